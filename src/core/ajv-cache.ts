import type { Ajv, ErrorObject, FuncKeywordDefinition, Options as AjvOptions, ValidateFunction } from 'ajv';

/** What ajv hands a function keyword about where the data sits (its `DataValidationCxt`, not exported by name). */
interface DataPlace {
  readonly parentData?: Record<string | number, unknown>;
  readonly parentDataProperty: string | number;
}
import { requireAddFormats, requireAjv } from './lazy.js';

/*
 * The compiled JSON Schemas of request validation (`xlinkValidate`, `xlinkCheck`), cached so that
 * memory stays flat however often they are built (a middleware made per request included):
 *
 * 1. By schema identity, in a WeakMap: the same schema object compiles once, and its check goes
 *    when the schema does.
 * 2. By content, in a bounded LRU map: a schema written inline and built anew per request (a new
 *    object each time, the same JSON) compiles once too; at most CONTENT_ENTRIES per instance.
 * 3. ajv itself keeps what it compiled: its cache holds every schema (and refuses a second
 *    `$id`), so each is removed from it once compiled; and every compiled function holds the
 *    instance's whole scope of values (each schema compiled by it included), so an instance is
 *    replaced by a fresh one after GENERATION compilations. Functions compiled earlier keep
 *    working, and their instance goes once none of them is used any more.
 */
const CONTENT_ENTRIES = 500;
const GENERATION = 1000;

interface Compiler {
  ajv: Ajv;
  compiled: number;
  readonly make: () => Ajv;
  readonly byIdentity: WeakMap<object, ValidateFunction>;
  readonly byContent: Map<string, ValidateFunction>;
}

/**
 * Shared ajv instances, made on first use: one for bodies (JSON has types: no coercion), one for
 * query, params and headers (strings: coerced to the schema's types), each with and without
 * `allErrors`. `$data` references and remote `$ref` loading stay off.
 */
const compilers = new Map<string, Compiler>();

function compilerFor(coerce: boolean, allErrors: boolean): Compiler {
  const key = `${coerce}:${allErrors}`;
  let compiler = compilers.get(key);
  if (compiler === undefined) {
    // Coercing instances check `type: 'integer' | 'number'` with the keyword below, without a
    // `type` for ajv to coerce with, so its strict-types warnings about `minimum` and the like
    // without a `type` are off there.
    const options: AjvOptions = { allErrors, coerceTypes: coerce ? 'array' : false, useDefaults: true, $data: false, ...(coerce ? { strictTypes: false } : {}) };
    const make = (): Ajv => {
      const ajv = requireAddFormats()(new (requireAjv().Ajv)(options)); // ajv is loaded here, on first use
      return coerce ? ajv.addKeyword(numericKeyword) : ajv;
    };
    compiler = { ajv: make(), compiled: 0, make, byIdentity: new WeakMap(), byContent: new Map() };
    compilers.set(key, compiler);
  }
  return compiler;
}

/** Compiles a JSON Schema for request validation, once per schema (see above). Throws ajv's error for an invalid one. */
export function compileJsonSchema(schema: object | boolean, coerce: boolean, allErrors: boolean): ValidateFunction {
  const compiler = compilerFor(coerce, allErrors);
  const known = typeof schema === 'object' ? compiler.byIdentity.get(schema) : undefined;
  if (known !== undefined) return known;
  const key = contentKey(schema);
  let validate = key === undefined ? undefined : compiler.byContent.get(key);
  if (validate !== undefined) {
    compiler.byContent.delete(key!); // most recently used last
  } else {
    const source = coerce ? canonicalNumbers(schema) : schema;
    if (++compiler.compiled > GENERATION) {
      compiler.ajv = compiler.make();
      compiler.compiled = 1;
    }
    try {
      validate = compiler.ajv.compile(source);
    } finally {
      if (typeof source === 'object') compiler.ajv.removeSchema(source);
    }
  }
  if (key !== undefined) {
    compiler.byContent.set(key, validate);
    if (compiler.byContent.size > CONTENT_ENTRIES) compiler.byContent.delete(compiler.byContent.keys().next().value!);
  }
  if (typeof schema === 'object') compiler.byIdentity.set(schema, validate);
  return validate;
}

/** The schema's JSON, as a cache key; `undefined` for one that has none (a cycle, a BigInt). */
function contentKey(schema: object | boolean): string | undefined {
  try {
    return JSON.stringify(schema);
  } catch {
    return undefined;
  }
}

/*
 * Canonical numbers in query strings, params and headers. ajv's coercion takes whatever `+value`
 * reads as a number: `0x3EA`, ` 12`, `+12`, `1e2`, and `99999999999999999999999` as 1e23. Only
 * canonical decimal strings are numbers here: integers `0` or `-?[1-9][0-9]*` within
 * Number.MAX_SAFE_INTEGER, numbers the same with an optional `.digits` fraction. So every
 * `type: 'integer'` or `type: 'number'` of a coerced part's schema is checked, and coerced, by
 * the keyword below instead of by ajv (on a copy: the user's schema is not changed).
 */
const NUMERIC = 'xlinkNumeric';
const CANONICAL_INTEGER = /^(?:0|-?[1-9][0-9]*)$/;
const CANONICAL_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$/;

type Numeric = 'integer' | 'number';

function numeric(kind: Numeric, data: unknown): number | undefined {
  const value = Array.isArray(data) && data.length === 1 ? data[0] : data; // ?limit=1 given once, as coerceTypes: 'array' reads it
  if (typeof value === 'number') return (kind === 'integer' ? Number.isInteger(value) : Number.isFinite(value)) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  if (kind === 'integer') return CANONICAL_INTEGER.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : undefined;
  return CANONICAL_NUMBER.test(value) && Number.isFinite(Number(value)) ? Number(value) : undefined;
}

function validateNumeric(this: unknown, kind: Numeric, data: unknown, _parentSchema?: unknown, cxt?: DataPlace): boolean {
  const value = numeric(kind, data);
  if (value === undefined) {
    validateNumeric.errors = [{ keyword: 'type', params: { type: kind }, message: `must be ${kind}` }];
    return false;
  }
  if (value !== data && cxt?.parentData != null) cxt.parentData[cxt.parentDataProperty] = value;
  return true;
}
validateNumeric.errors = [] as Partial<ErrorObject>[];

const numericKeyword: FuncKeywordDefinition = {
  keyword: NUMERIC,
  schemaType: 'string',
  metaSchema: { enum: ['integer', 'number'] },
  modifying: true,
  errors: true,
  before: 'const', // before `const` and `enum` compare the value
  validate: validateNumeric as unknown as FuncKeywordDefinition['validate'],
};

/** Where a schema's keywords hold subschemas: maps of them, lists of them, or one. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas', 'dependencies']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items']);
const SCHEMA_ONE = new Set(['items', 'additionalItems', 'additionalProperties', 'contains', 'propertyNames', 'not', 'if', 'then', 'else', 'unevaluatedItems', 'unevaluatedProperties']);

/** A copy of a schema with each `type: 'integer' | 'number'` checked by the keyword above. */
function canonicalNumbers<T>(schema: T): T {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (SCHEMA_LISTS.has(key) && Array.isArray(value)) copy[key] = value.map(canonicalNumbers);
    else if (SCHEMA_MAPS.has(key) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      copy[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, canonicalNumbers(sub)])); // (dependencies' name lists stay)
    } else if (SCHEMA_ONE.has(key)) copy[key] = canonicalNumbers(value);
    else copy[key] = value;
  }
  if (copy.type === 'integer' || copy.type === 'number') {
    copy[NUMERIC] = copy.type;
    delete copy.type;
  }
  return copy as T;
}

/** The schema path the user wrote: the keyword above reports as `type`. */
export function publicSchemaPath(schemaPath: string): string {
  return schemaPath.endsWith(`/${NUMERIC}`) ? `${schemaPath.slice(0, -NUMERIC.length)}type` : schemaPath;
}
