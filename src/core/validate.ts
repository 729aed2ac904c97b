import type { Ajv, ErrorObject, Options as AjvOptions, ValidateFunction } from 'ajv';
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import { XLINK_ERRORS } from './catalog.js';
import { XlinkError } from './error.js';
import { typeName } from './headers.js';
import { requireAddFormats, requireAjv } from './lazy.js';

/** The parts of a request `xlinkValidate()` checks. */
export type XlinkRequestPart = 'headers' | 'params' | 'query' | 'body';

/** A JSON Schema (draft-07, as ajv takes it) per request part. */
export type XlinkValidateSchemas = { readonly [P in XlinkRequestPart]?: object | boolean };

/**
 * The TypeScript type of data valid against a JSON Schema written as a literal (`as const`, or
 * inline in `xlinkValidate({...})`), computed by json-schema-to-ts; `unknown` for a schema
 * whose literal type is lost.
 *
 * @example
 * type Login = XlinkSchemaType<{ type: 'object', properties: { password: { type: 'string' } }, required: ['password'] }>;
 * // { [x: string]: unknown; password: string }
 */
export type XlinkSchemaType<Schema> = Schema extends JSONSchema ? FromSchema<Schema> : unknown;

/**
 * The validated parts of a request as `xlinkValidate(schemas)` leaves them: `body`, `query` and
 * `params` typed from their schemas (defaults applied, so a property with a `default` is
 * present). A part without a schema is absent, so that the framework's own type applies.
 *
 * @example
 * type Parts = XlinkRequestTypes<{ query: { type: 'object', properties: { limit: { type: 'integer', default: 20 } } } }>;
 * // { query: { [x: string]: unknown; limit: number } }
 */
export type XlinkRequestTypes<S extends XlinkValidateSchemas> = (S extends { readonly body: infer B } ? { body: XlinkSchemaType<B> } : unknown) &
  (S extends { readonly query: infer Q } ? { query: XlinkSchemaType<Q> } : unknown) &
  (S extends { readonly params: infer P } ? { params: XlinkSchemaType<P> } : unknown);

/** Options of `xlinkValidate()`. */
export interface XlinkValidateOptions {
  /** Collect every violation instead of stopping at the first (off by default: less work for hostile input). */
  readonly allErrors?: boolean;
  /**
   * Name the offending field in the message, e.g. `Requested variable null. (body.password)`.
   * Off by default: Xlink clients compare catalog messages. Only field names from the schema, or
   * plain identifiers, are named; other user input never is.
   */
  readonly fieldInMsg?: boolean;
}

/**
 * One violation, as ajv reports it, without the submitted value or the schema: safe to log
 * (passwords must not end up in logs).
 */
export type XlinkValidationIssue = Pick<ErrorObject, 'instancePath' | 'schemaPath' | 'keyword' | 'params' | 'message'>;

/** What failed, on the thrown `XlinkError` as `err.validation` (for logs and for `map`). */
export interface XlinkValidationFailure {
  readonly part: XlinkRequestPart;
  readonly errors: readonly XlinkValidationIssue[];
}

/** The error `xlinkValidate()` throws: 4001002 PARAM_NULL or 4001001 PARAM_VERIFICATION_FAILED. */
export type XlinkValidationError = XlinkError<'PARAM_NULL' | 'PARAM_VERIFICATION_FAILED'> & {
  readonly validation: XlinkValidationFailure;
};

/** A compiled check of one part: returns the data, with defaults applied and (not for bodies) types coerced. */
export interface PartCheck {
  readonly part: XlinkRequestPart;
  check(data: unknown): unknown;
}

const PARTS: readonly XlinkRequestPart[] = ['headers', 'params', 'query', 'body'];

/**
 * Shared ajv instances, made on first use: one for bodies (JSON has types: no coercion), one for
 * query, params and headers (strings: coerced to the schema's types), each with and without
 * `allErrors`. `$data` references and remote `$ref` loading stay off.
 */
const instances = new Map<string, Ajv>();

function ajvFor(coerce: boolean, allErrors: boolean): Ajv {
  const key = `${coerce}:${allErrors}`;
  let ajv = instances.get(key);
  if (ajv === undefined) {
    const options: AjvOptions = { allErrors, coerceTypes: coerce ? 'array' : false, useDefaults: true, $data: false };
    ajv = requireAddFormats()(new (requireAjv().Ajv)(options)); // ajv is loaded here, on first use
    instances.set(key, ajv);
  }
  return ajv;
}

/**
 * Compiles the schemas of `xlinkValidate()` once. Throws a `TypeError` for an unknown part or a
 * schema that is not one, and ajv's own error (with its message) for an invalid schema.
 */
export function compileRequestSchemas(schemas: XlinkValidateSchemas, options: XlinkValidateOptions = {}): readonly PartCheck[] {
  if (schemas === null || typeof schemas !== 'object') throw new TypeError(`xlinkValidate: expected { body, query, params, headers } schemas, got ${typeName(schemas)}`);
  for (const key of Object.keys(schemas)) {
    if (!PARTS.includes(key as XlinkRequestPart)) throw new TypeError(`xlinkValidate: unknown request part ${JSON.stringify(key)}; expected body, query, params or headers`);
  }
  const { allErrors = false, fieldInMsg = false } = options;
  const checks: PartCheck[] = [];
  for (const part of PARTS) {
    const schema = schemas[part];
    if (schema === undefined) continue;
    if (schema === null || (typeof schema !== 'object' && typeof schema !== 'boolean')) {
      throw new TypeError(`xlinkValidate: the ${part} schema must be a JSON Schema object, got ${typeName(schema)}`);
    }
    let validate: ValidateFunction;
    try {
      validate = ajvFor(part !== 'body', allErrors).compile(schema);
    } catch (err) {
      throw new Error(`xlinkValidate: invalid ${part} schema: ${(err as Error).message}`, { cause: err });
    }
    checks.push({ part, check: (data) => check(part, validate, data, fieldInMsg) });
  }
  return checks;
}

function check(part: XlinkRequestPart, validate: ValidateFunction, data: unknown, fieldInMsg: boolean): unknown {
  if (validate(data)) return data;
  throw validationError(part, validate.errors ?? [], data, { fieldInMsg });
}

/**
 * The error for ajv's violations of one part of a request: what `xlinkValidate()` throws, and
 * what the Fastify adapter makes of Fastify's own schema validation failures.
 */
export function validationError(
  part: XlinkRequestPart,
  errors: readonly ErrorObject[],
  data: unknown,
  { fieldInMsg = false, cause }: { readonly fieldInMsg?: boolean; readonly cause?: unknown } = {},
): XlinkValidationError {
  // Something required is missing or null: 4001002. Any other violation: 4001001. The data
  // only picks between those two; it never decides the status.
  const nullError = errors.find((error) => isNullError(error, data));
  const decisive = nullError ?? errors[0];
  const name = nullError ? 'PARAM_NULL' : 'PARAM_VERIFICATION_FAILED';
  const field = fieldInMsg && decisive ? fieldOf(part, decisive) : undefined;
  const msg = field === undefined ? undefined : `${XLINK_ERRORS[name].msg} (${field})`;
  const err = new XlinkError(name, cause === undefined ? { msg, stack: false } : { msg, cause, stack: false });
  Object.defineProperty(err, 'validation', { value: Object.freeze({ part, errors: Object.freeze(errors.map(issueOf)) }), enumerable: true });
  return err as XlinkValidationError;
}

/** What a violation keeps for the logs: never the submitted value (`data`) nor the schema. */
function issueOf({ instancePath, schemaPath, keyword, params, message }: ErrorObject): XlinkValidationIssue {
  return Object.freeze(message === undefined ? { instancePath, schemaPath, keyword, params } : { instancePath, schemaPath, keyword, params, message });
}

/**
 * `required`, `dependencies` and `dependentRequired` all report a `missingProperty`; any other
 * violation counts as a null one when the value it is about is `null` (looked up by its path,
 * so that ajv need not copy the data into its errors).
 */
function isNullError(error: ErrorObject, data: unknown): boolean {
  return typeof (error.params as { missingProperty?: unknown }).missingProperty === 'string' || valueAt(data, error.instancePath) === null;
}

/** The value at a JSON Pointer (`/a/0/b`) in the validated data; `undefined` if there is none. */
function valueAt(data: unknown, pointer: string): unknown {
  if (pointer === '') return data;
  let value = data;
  for (const raw of pointer.slice(1).split('/')) {
    if (value === null || typeof value !== 'object') return undefined;
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A field name that is safe to show: schema names and plain identifiers only. */
const SAFE_SEGMENT = /^[A-Za-z0-9_$-]{1,64}$/;

function fieldOf(part: XlinkRequestPart, error: ErrorObject): string | undefined {
  const segments = error.instancePath === '' ? [] : error.instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const missing = (error.params as { missingProperty?: unknown }).missingProperty;
  if (typeof missing === 'string') segments.push(missing);
  if (!segments.every((s) => SAFE_SEGMENT.test(s))) return part;
  return [part, ...segments].join('.');
}
