import { knownRecords, type CatalogRecord } from './catalog.js';
import { statusText } from './header-policy.js';
import type { XlinkCodeFormat } from './wire.js';

/** Options of `xlinkOpenApiComponents()`. */
export interface XlinkOpenApiOptions {
  /** `'number'` (default) documents `"code":4041008`; `'string'` documents `"code":"4041008"`, as the handler option. */
  readonly codeFormat?: XlinkCodeFormat;
}

/** A JSON Schema (OpenAPI 3.1 uses JSON Schema 2020-12) as plain data. */
export type XlinkOpenApiSchema = { [keyword: string]: unknown };

/** An OpenAPI 3.1 Response Object with the envelope as `application/json`. */
export interface XlinkOpenApiResponse {
  description: string;
  content: {
    'application/json': {
      schema: { $ref: string };
      examples: { [name: string]: { summary: string; description: string; value: { error: { code: number | string; msg: string } } } };
    };
  };
}

/** What `xlinkOpenApiComponents()` returns: merge it into a document's `components`. */
export interface XlinkOpenApiComponents {
  /** `XlinkError`: the envelope with every known code; `XlinkError400`, `XlinkError403`...: the codes of one status. */
  schemas: { [name: string]: XlinkOpenApiSchema };
  /** `XlinkError400`, `XlinkError403`, `XlinkError404`, `XlinkError503` (and any other status a defined code has). */
  responses: { [name: string]: XlinkOpenApiResponse };
}

/** The statuses of the official catalog, always documented. */
const BASE_STATUSES = [400, 403, 404, 503];

/**
 * OpenAPI 3.1 `components` for the Xlink error contract: the envelope schema and one response
 * per status (400, 403, 404, 503, and any other status of a code defined with
 * `defineXlinkErrors`), each listing every known code of that status with its message as an
 * example. A new object on each call, made from the codes known at that moment: call it after
 * the modules that define codes have run.
 *
 * @example
 * const components = xlinkOpenApiComponents();
 * const document = {
 *   openapi: '3.1.0',
 *   info: { title: 'Devices', version: '1.0.0' },
 *   paths: {
 *     '/v2/device/{id}': {
 *       get: {
 *         responses: {
 *           200: { description: 'The device' },
 *           404: { $ref: '#/components/responses/XlinkError404' },
 *           503: { $ref: '#/components/responses/XlinkError503' },
 *         },
 *       },
 *     },
 *   },
 *   components: { ...components, schemas: { ...components.schemas, Device: deviceSchema } },
 * };
 */
export function xlinkOpenApiComponents(options?: XlinkOpenApiOptions): XlinkOpenApiComponents {
  const codeFormat = options?.codeFormat ?? 'number';
  if (codeFormat !== 'number' && codeFormat !== 'string') {
    throw new TypeError(`xlinkOpenApiComponents: codeFormat must be 'number' or 'string', got ${JSON.stringify(codeFormat)}`);
  }
  const records = knownRecords();
  const statuses = [...new Set([...BASE_STATUSES, ...records.map((r) => r.status)])].sort((a, b) => a - b);
  const schemas: XlinkOpenApiComponents['schemas'] = { XlinkError: envelopeSchema('Xlink error envelope', records, codeFormat) };
  const responses: XlinkOpenApiComponents['responses'] = {};
  for (const status of statuses) {
    const ofStatus = records.filter((r) => r.status === status);
    const name = `XlinkError${status}`;
    schemas[name] = envelopeSchema(`Xlink error envelope, status ${status}`, ofStatus, codeFormat);
    const { description, examples } = describeStatus(status, ofStatus, codeFormat);
    responses[name] = { description, content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` }, examples } } };
  }
  return { schemas, responses };
}

/**
 * The description and examples of one status's response, for the codes given (all known codes
 * of that status here; those a route lists in NestJS's `ApiXlinkErrorResponses`).
 */
export function describeStatus(status: number, ofStatus: readonly CatalogRecord[], codeFormat: XlinkCodeFormat) {
  return {
    description: `${statusText(status) || `HTTP ${status}`}: the Xlink error envelope; \`code\` is ${ofStatus.length === 1 ? `${ofStatus[0]!.code} (see the example)` : `one of ${ofStatus.length} codes (see the examples)`}.`,
    examples: Object.fromEntries(ofStatus.map((r) => [r.name, example(r, codeFormat)])),
  };
}

function wireCode(record: CatalogRecord, codeFormat: XlinkCodeFormat): number | string {
  return codeFormat === 'string' ? String(record.code) : record.code;
}

/** The envelope's JSON Schema, its `code` restricted to the records given. */
export function envelopeSchema(title: string, records: readonly CatalogRecord[], codeFormat: XlinkCodeFormat): XlinkOpenApiSchema {
  const code: XlinkOpenApiSchema =
    codeFormat === 'string'
      ? { type: 'string', pattern: '^[1-9][0-9]{6}$', enum: records.map((r) => String(r.code)) }
      : { type: 'integer', enum: records.map((r) => r.code) };
  return {
    title,
    type: 'object',
    required: ['error'],
    additionalProperties: false,
    properties: {
      error: {
        type: 'object',
        required: ['code', 'msg'],
        additionalProperties: false,
        properties: {
          code: { ...code, description: 'The 7-digit Xlink error code; its first three digits are the HTTP status.' },
          msg: { type: 'string', description: 'The message of the code (English by default, or its Chinese text), or a custom message for 4xx.' },
        },
      },
    },
    // A small example, for tools that show one per schema.
    ...(records[0] === undefined ? {} : { examples: [{ error: { code: wireCode(records[0], codeFormat), msg: records[0].msg } }] }),
  };
}

function example(record: CatalogRecord, codeFormat: XlinkCodeFormat) {
  return {
    summary: `${record.code} ${record.msg}`,
    description: record.hasMsgZh ? `${record.name}; zh-CN: ${record.msgZh}` : record.name,
    value: { error: { code: wireCode(record, codeFormat), msg: record.msg } },
  };
}

