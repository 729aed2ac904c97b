import type { ErrorObject, ValidateFunction } from 'ajv';
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import { compileJsonSchema, publicSchemaPath } from './ajv-cache.js';
import { XLINK_ERRORS } from './catalog.js';
import { XlinkError } from './error.js';
import { typeName } from './headers.js';
import {
  isMissingAt,
  isStandardSchema,
  issuePath,
  looksStandard,
  safeMessage,
  valueAtPath,
  type StandardSchemaV1,
  type XlinkIssuePathSegment,
} from './standard-schema.js';

/** The parts of a request `xlinkValidate()` checks. */
export type XlinkRequestPart = 'headers' | 'params' | 'query' | 'body';

/**
 * What checks one part: a JSON Schema (draft-07, as ajv takes it: an object or a boolean) or any
 * Standard Schema v1 (zod, valibot, arktype: an object or function with a `~standard` property).
 */
export type XlinkPartSchema = object | boolean;

/** A JSON Schema or a Standard Schema per request part. */
export type XlinkValidateSchemas = { readonly [P in XlinkRequestPart]?: XlinkPartSchema };

/**
 * The TypeScript type of what a part's schema lets through: a Standard Schema's output type
 * (`StandardSchemaV1.InferOutput`: after its coercions, transforms and defaults), or the type of
 * data valid against a JSON Schema written as a literal (`as const`, or inline in
 * `xlinkValidate({...})`), computed by json-schema-to-ts; `unknown` for a JSON Schema whose
 * literal type is lost.
 *
 * @example
 * type Login = XlinkSchemaType<{ type: 'object', properties: { password: { type: 'string' } }, required: ['password'] }>;
 * // { [x: string]: unknown; password: string }
 * type Query = XlinkSchemaType<typeof zodQuery>; // z.output<typeof zodQuery>
 */
export type XlinkSchemaType<Schema> = Schema extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<Schema> : Schema extends JSONSchema ? FromSchema<Schema> : unknown;

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
 * One violation of a JSON Schema, as ajv reports it, without the submitted value or the schema:
 * safe to log (passwords must not end up in logs).
 */
export type XlinkValidationIssue = Pick<ErrorObject, 'instancePath' | 'schemaPath' | 'keyword' | 'params' | 'message'>;

/**
 * One issue of a Standard Schema: its path (keys only) and its message, without the submitted
 * value (a library message quoting it, valibot's `received "..."` or arktype's `(was "...")`,
 * loses the quote): safe to log.
 */
export interface XlinkSchemaIssue {
  readonly path: readonly XlinkIssuePathSegment[];
  readonly message: string;
}

/**
 * What failed, on the thrown `XlinkError` as `err.validation` (for logs and for `map`): ajv's
 * issues for a JSON Schema, `{ path, message }` ones for a Standard Schema (tell them apart with
 * `'instancePath' in issue`).
 */
export interface XlinkValidationFailure {
  readonly part: XlinkRequestPart;
  readonly errors: readonly (XlinkValidationIssue | XlinkSchemaIssue)[];
}

/** The error `xlinkValidate()` throws: 4001002 PARAM_NULL or 4001001 PARAM_VERIFICATION_FAILED. */
export type XlinkValidationError = XlinkError<'PARAM_NULL' | 'PARAM_VERIFICATION_FAILED'> & {
  readonly validation: XlinkValidationFailure;
};

/**
 * A compiled check of one part: returns what the route sees (a JSON Schema's data with defaults
 * applied and, but for bodies, types coerced; a Standard Schema's output), or a promise of it
 * for an async Standard Schema; throws (or rejects with) the 400.
 */
export interface PartCheck {
  readonly part: XlinkRequestPart;
  check(data: unknown): unknown;
}

const PARTS: readonly XlinkRequestPart[] = ['headers', 'params', 'query', 'body'];

/**
 * Compiles the schemas of `xlinkValidate()` once. Throws a `TypeError` for an unknown part or a
 * schema that is not one, and ajv's own error (with its message) for an invalid JSON Schema.
 */
export function compileRequestSchemas(schemas: XlinkValidateSchemas, options: XlinkValidateOptions = {}): readonly PartCheck[] {
  if (schemas === null || typeof schemas !== 'object') throw new TypeError(`xlinkValidate: expected { body, query, params, headers } schemas, got ${typeName(schemas)}`);
  for (const key of Object.keys(schemas)) {
    if (!PARTS.includes(key as XlinkRequestPart)) throw new TypeError(`xlinkValidate: unknown request part ${JSON.stringify(key)}; expected body, query, params or headers`);
  }
  const checks: PartCheck[] = [];
  for (const part of PARTS) {
    const schema = schemas[part];
    if (schema !== undefined) checks.push({ part, check: compilePartCheck('xlinkValidate', part, schema, options) });
  }
  return checks;
}

/**
 * The check of one part, for either kind of schema (`who` names the caller in a `TypeError`).
 * JSON Schemas are compiled through a cache keyed by the schema (ajv-cache.ts).
 */
export function compilePartCheck(who: string, part: XlinkRequestPart, schema: unknown, options: XlinkValidateOptions = {}): (data: unknown) => unknown {
  const { allErrors = false, fieldInMsg = false } = options;
  if (looksStandard(schema)) {
    if (!isStandardSchema(schema)) throw new TypeError(`${who}: the ${part} schema has a "~standard" property but is not a Standard Schema v1 (version 1 and a validate function)`);
    return standardCheck(part, schema, fieldInMsg);
  }
  if (schema === null || (typeof schema !== 'object' && typeof schema !== 'boolean')) {
    throw new TypeError(`${who}: the ${part} schema must be a JSON Schema object or a Standard Schema, got ${typeName(schema)}`);
  }
  let validate: ValidateFunction;
  try {
    validate = compileJsonSchema(schema, part !== 'body', allErrors); // ajv is loaded here, on first use
  } catch (err) {
    throw new Error(`${who}: invalid ${part} schema: ${(err as Error).message}`, { cause: err });
  }
  return (data) => {
    if (validate(data)) return data;
    throw validationError(part, validate.errors ?? [], data, { fieldInMsg });
  };
}

/** A Standard Schema's check: its `validate`, sync or async, its issues made the 400. */
function standardCheck(part: XlinkRequestPart, schema: StandardSchemaV1, fieldInMsg: boolean): (data: unknown) => unknown {
  const props = schema['~standard'];
  return (data) => {
    const result = props.validate(data);
    if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
      return Promise.resolve(result).then((settled) => outcome(part, settled, data, fieldInMsg)); // a native promise, whatever the library's
    }
    return outcome(part, result as StandardSchemaV1.Result<unknown>, data, fieldInMsg);
  };
}

/** The output of a success (a falsy `issues`, as the spec says); the 400 of a failure. */
function outcome(part: XlinkRequestPart, result: StandardSchemaV1.Result<unknown>, data: unknown, fieldInMsg: boolean): unknown {
  if (result === null || typeof result !== 'object') throw new TypeError(`a Standard Schema's validate() returned ${typeName(result)}, not { value } or { issues }`);
  if (!result.issues) return (result as StandardSchemaV1.SuccessResult<unknown>).value;
  throw standardValidationError(part, Array.isArray(result.issues) ? result.issues : [], data, { fieldInMsg });
}

/**
 * Runs a request's checks in order, reading each part of `target` (a request, a context) with
 * `read` and handing what the route is to see to `write`: synchronous (returns `undefined`)
 * unless a check is async, then a promise. What the Express and Koa `xlinkValidate()` share;
 * `read` and `write` are module functions, so that a request allocates no closure.
 */
export function runPartChecks<T>(
  checks: readonly PartCheck[],
  target: T,
  read: (target: T, part: XlinkRequestPart) => unknown,
  write: (target: T, part: XlinkRequestPart, value: unknown) => void,
  from = 0,
): Promise<void> | undefined {
  for (let i = from; i < checks.length; i++) {
    const { part, check } = checks[i]!;
    const value = check(read(target, part));
    if (value instanceof Promise) {
      return value.then((settled) => {
        write(target, part, settled);
        return runPartChecks(checks, target, read, write, i + 1);
      });
    }
    write(target, part, value);
  }
  return undefined;
}

/**
 * Checks one value against a JSON Schema or a Standard Schema, outside any framework (a Fastify
 * `preHandler`, a Hono validator, a queue consumer): returns what the schema lets through (the
 * data with a JSON Schema's defaults, and its coercions but for `part: 'body'`; a Standard
 * Schema's output), or a promise of it for an async Standard Schema, and throws (or rejects
 * with) 400 4001002 for a missing or null value, 4001001 for any other issue, as
 * `xlinkValidate()` does. `part` (default `'body'`) is named in `err.validation`. JSON Schemas
 * are compiled once per schema object and cached.
 *
 * @example
 * const body = await xlinkCheck(z.object({ corp_id: z.string(), password: z.string().min(6) }), request.body);
 * const query = xlinkCheck({ type: 'object', properties: { limit: { type: 'integer', default: 20 } } } as const, req.query, 'query');
 */
export function xlinkCheck<const S extends XlinkPartSchema>(schema: S, value: unknown, part: XlinkRequestPart = 'body', options?: XlinkValidateOptions): XlinkCheckResult<S> {
  if (!PARTS.includes(part)) throw new TypeError(`xlinkCheck: unknown request part ${JSON.stringify(part)}; expected body, query, params or headers`);
  return compilePartCheck('xlinkCheck', part, schema, options)(value) as XlinkCheckResult<S>;
}

/** What `xlinkCheck()` returns: the schema's type; for a Standard Schema, possibly a promise of it (`await` it). */
export type XlinkCheckResult<S> = S extends StandardSchemaV1 ? XlinkSchemaType<S> | Promise<XlinkSchemaType<S>> : XlinkSchemaType<S>;

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
  return failure(part, nullError !== undefined, fieldInMsg && decisive ? fieldOf(decisive) : undefined, errors.map(issueOf), cause);
}

/**
 * The error for a Standard Schema's issues: 4001002 when the input at an issue's path is missing
 * or null (whatever the library calls it), 4001001 otherwise. Each issue keeps its path and its
 * message, without the input.
 */
export function standardValidationError(
  part: XlinkRequestPart,
  issues: readonly StandardSchemaV1.Issue[],
  data: unknown,
  { fieldInMsg = false }: { readonly fieldInMsg?: boolean } = {},
): XlinkValidationError {
  const paths = issues.map(issuePath);
  const nullAt = paths.findIndex((path) => isMissingAt(data, path));
  const decisive = paths[nullAt >= 0 ? nullAt : 0];
  const kept = issues.map((issue, i): XlinkSchemaIssue => Object.freeze({ path: Object.freeze(paths[i]!), message: safeMessage(issue.message, valueAtPath(data, paths[i]!)) }));
  return failure(part, nullAt >= 0, fieldInMsg && decisive ? decisive : undefined, kept);
}

/** The 400 itself: `segments` (when `fieldInMsg`) name the field in the message, if they are safe to show. */
function failure(
  part: XlinkRequestPart,
  isNull: boolean,
  segments: readonly XlinkIssuePathSegment[] | undefined,
  errors: readonly (XlinkValidationIssue | XlinkSchemaIssue)[],
  cause?: unknown,
): XlinkValidationError {
  const name = isNull ? 'PARAM_NULL' : 'PARAM_VERIFICATION_FAILED';
  const field = segments === undefined ? undefined : fieldName(part, segments);
  const msg = field === undefined ? undefined : `${XLINK_ERRORS[name].msg} (${field})`;
  const err = new XlinkError(name, cause === undefined ? { msg, stack: false } : { msg, cause, stack: false });
  Object.defineProperty(err, 'validation', { value: Object.freeze({ part, errors: Object.freeze(errors) }), enumerable: true });
  return err as XlinkValidationError;
}

/** What a violation keeps for the logs: never the submitted value (`data`) nor the schema. */
function issueOf({ instancePath, schemaPath: rawPath, keyword, params, message }: ErrorObject): XlinkValidationIssue {
  const schemaPath = publicSchemaPath(rawPath);
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

/** The path of an ajv violation, as segments (the missing property's name last, for `required`). */
function fieldOf(error: ErrorObject): string[] {
  const segments = error.instancePath === '' ? [] : error.instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const missing = (error.params as { missingProperty?: unknown }).missingProperty;
  if (typeof missing === 'string') segments.push(missing);
  return segments;
}

/** `body.password`; just the part when a segment is not safe to show. */
function fieldName(part: XlinkRequestPart, segments: readonly XlinkIssuePathSegment[]): string {
  if (!segments.every((s) => SAFE_SEGMENT.test(String(s)))) return part;
  return [part, ...segments].join('.');
}
