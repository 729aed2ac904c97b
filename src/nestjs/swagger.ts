import { findCatalogRecord, unknownKeyError, type CatalogRecord, type XlinkErrorKey } from '../core/catalog.js';
import { requireOptional } from '../core/runtime.js';
import { describeStatus, envelopeSchema } from '../core/openapi.js';

/** The one function of @nestjs/swagger used: `ApiResponse(options)`. */
type ApiResponse = (options: object) => MethodDecorator & ClassDecorator;

/**
 * A method or controller decorator for `@nestjs/swagger` that documents the listed errors'
 * responses in the document Nest generates: one response per status, with the envelope's schema
 * (its `code` restricted to the listed codes of that status) and each listed code's body as an
 * example, as `xlinkOpenApiComponents()` describes them. Names, codes and 7-digit strings, of
 * the catalog or defined with `defineXlinkErrors`; an unknown one is a `TypeError` (and does not
 * compile). `@nestjs/swagger` is loaded when the decorator is made: without it, a `TypeError`.
 *
 * @example
 * @Get(':id')
 * @ApiXlinkErrorResponses('DEVICE_NOT_FOUND', 'ACCESS_TOKEN_INVALID', 'SERVER_EXCEPTION')
 * find(@Param('id') id: string) { ... }
 * // responses: 403 (4031003), 404 (4041008), 503 (5031001), each with the envelope schema and examples
 */
export function ApiXlinkErrorResponses(...namesOrCodes: XlinkErrorKey[]): MethodDecorator & ClassDecorator {
  const records: CatalogRecord[] = [];
  for (const key of namesOrCodes) {
    const record = findCatalogRecord(key);
    if (record === undefined) throw unknownKeyError('ApiXlinkErrorResponses', key);
    if (!records.includes(record)) records.push(record);
  }
  const swagger = requireOptional('@nestjs/swagger') as { ApiResponse?: ApiResponse } | undefined;
  const apiResponse = swagger?.ApiResponse;
  if (typeof apiResponse !== 'function') throw new TypeError('ApiXlinkErrorResponses: @nestjs/swagger is not installed (npm install @nestjs/swagger)');
  const decorators = [...new Set(records.map((r) => r.status))]
    .sort((a, b) => a - b)
    .map((status) => {
      const ofStatus = records.filter((r) => r.status === status);
      const { description, examples } = describeStatus(status, ofStatus, 'number');
      return apiResponse({ status, description, schema: envelopeSchema(`Xlink error envelope, status ${status}`, ofStatus, 'number'), examples });
    });
  return function xlinkErrorResponses(target: object, key?: string | symbol, descriptor?: PropertyDescriptor) {
    for (const decorate of decorators) (decorate as (t: object, k?: string | symbol, d?: PropertyDescriptor) => void)(target, key, descriptor);
  } as MethodDecorator & ClassDecorator;
}
