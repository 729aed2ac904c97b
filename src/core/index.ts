// The framework-free core: the catalog, the error, the mapping, the wire form and the schema.
export {
  XLINK_ERRORS,
  xlinkMessage,
  type XlinkErrorName,
  type XlinkErrorCode,
  type XlinkErrorKey,
  type XlinkErrorEntry,
  type XlinkStatus,
  type XlinkStatusOf,
  type XlinkCodeOf,
  type XlinkNameOf,
  type XlinkNameOfKey,
  type XlinkErrorRegister,
} from './catalog.js';
export { defineXlinkErrors, type XlinkErrorDefinition, type XlinkDefinedEntry, type XlinkDefinedErrors } from './define.js';
export { XlinkError, xlinkError, isXlinkError, setXlinkErrorDefaults, type XlinkErrorOptions } from './error.js';
export type { XlinkHeaders, XlinkHeadersInit, XlinkHeaderValue } from './headers.js';
export {
  xlinkOpenApiComponents,
  type XlinkOpenApiComponents,
  type XlinkOpenApiOptions,
  type XlinkOpenApiResponse,
  type XlinkOpenApiSchema,
} from './openapi.js';
export { toXlinkError, type ToXlinkErrorOptions, type XlinkErrorMapper } from './map.js';
export type { XlinkHandlerOptions, XlinkLocale, XlinkSyncResult } from './respond.js';
export { xlinkEnvelopeSchema, xlinkEnvelopeStringSchema, validateXlinkEnvelope } from './schema.js';
export { XLINK_CONTENT_TYPE, type XlinkCodeFormat, type XlinkEnvelope, type XlinkLanguage } from './wire.js';
export {
  xlinkCheck,
  type XlinkCheckResult,
  type XlinkPartSchema,
  type XlinkRequestPart,
  type XlinkRequestTypes,
  type XlinkSchemaIssue,
  type XlinkSchemaType,
  type XlinkValidateOptions,
  type XlinkValidateSchemas,
  type XlinkValidationError,
  type XlinkValidationFailure,
  type XlinkValidationIssue,
} from './validate.js';
export { isStandardSchema, type StandardSchemaV1, type XlinkIssuePathSegment } from './standard-schema.js';
