import type { ValidateFunction } from 'ajv';
import { knownCodes, type XlinkErrorCode } from './catalog.js';
import { requireAjv } from './lazy.js';
import type { XlinkCodeFormat, XlinkEnvelope } from './wire.js';

function envelopeSchema<const C extends object>(code: C) {
  return deepFreeze({
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Xlink error envelope',
    type: 'object',
    required: ['error'],
    additionalProperties: false,
    properties: {
      error: {
        type: 'object',
        required: ['code', 'msg'],
        additionalProperties: false,
        properties: { code, msg: { type: 'string' } },
      },
    },
  } as const);
}

/**
 * The JSON Schema (draft-07, ajv-compatible) of an Xlink error envelope, codes as numbers and
 * restricted to the catalog and the codes defined by `defineXlinkErrors()`.
 *
 * The schema is frozen, but its `enum` is read live: a getter returns the codes known at the
 * time it is read (a frozen array, the same one until a code is defined). A validator you
 * compile yourself knows the codes defined before you compiled it: define first, or compile
 * again. (`validateXlinkEnvelope()` and the testing helpers always know every defined code.)
 *
 * @example
 * new Ajv().compile(xlinkEnvelopeSchema)({ error: { code: 4041008, msg: 'Device does not exist' } }); // true
 */
export const xlinkEnvelopeSchema = envelopeSchema({
  type: 'integer',
  get enum(): readonly XlinkErrorCode[] {
    return knownCodes();
  },
});

/** The same schema for servers using `codeFormat: 'string'`: `"code":"4041008"`. */
export const xlinkEnvelopeStringSchema = envelopeSchema({
  type: 'string',
  get enum(): readonly `${XlinkErrorCode}`[] {
    return knownCodeStrings();
  },
});

let codeStrings = { from: [] as readonly XlinkErrorCode[], strings: [] as readonly `${XlinkErrorCode}`[] };

function knownCodeStrings(): readonly `${XlinkErrorCode}`[] {
  const codes = knownCodes();
  if (codeStrings.from !== codes) codeStrings = { from: codes, strings: Object.freeze(codes.map((c) => `${c}` as const)) };
  return codeStrings.strings;
}

/** A check and the reasons it failed; internal, shared with the testing helpers. */
export interface EnvelopeCheck {
  readonly valid: boolean;
  readonly problems: readonly string[];
}

// The envelope's structure is compiled on first use, once per code format (importing the package
// compiles nothing and loads no ajv), without its `enum`: the code is looked up in a set of the
// known codes, which grows as codes are defined. (Compiling the enum again after every
// definition made defining 2,000 codes one at a time, with a check between, quadratic.)
const structures: Partial<Record<XlinkCodeFormat, ValidateFunction>> = {};

function structureFor(codeFormat: XlinkCodeFormat): ValidateFunction {
  return (structures[codeFormat] ??= new (requireAjv().Ajv)({ strict: true, allErrors: true }).compile(
    envelopeSchema(codeFormat === 'string' ? { type: 'string' } : { type: 'integer' }),
  ));
}

/** The known codes as a set per format; known codes are only ever appended, so only new ones are added. */
const knownSets = { count: 0, number: new Set<unknown>(), string: new Set<unknown>() };

function isKnownCode(code: unknown, codeFormat: XlinkCodeFormat): boolean {
  const codes = knownCodes();
  for (; knownSets.count < codes.length; knownSets.count++) {
    knownSets.number.add(codes[knownSets.count]);
    knownSets.string.add(`${codes[knownSets.count]}`);
  }
  return knownSets[codeFormat].has(code);
}

/** The envelope's code, if the body has the shape to carry one. */
function codeOf(body: unknown): unknown {
  const error = body !== null && typeof body === 'object' ? (body as { error?: unknown }).error : undefined;
  return error !== null && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
}

/** Validates a body against the envelope schema and says why it failed. */
export function checkEnvelope(body: unknown, codeFormat: XlinkCodeFormat = 'number'): EnvelopeCheck {
  const validate = structureFor(codeFormat);
  const problems = validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`);
  const code = codeOf(body);
  const typed = codeFormat === 'string' ? typeof code === 'string' : Number.isInteger(code);
  if (typed && !isKnownCode(code, codeFormat)) problems.push('/error/code must be equal to one of the allowed values'); // ajv's words for the enum
  return { valid: problems.length === 0, problems };
}

/**
 * Whether a body is a valid Xlink error envelope with a catalog code: ajv, compiled once.
 * `codeFormat: 'string'` checks the `"code":"4041008"` form.
 *
 * @example
 * validateXlinkEnvelope(res.body);                            // codes as numbers
 * validateXlinkEnvelope(res.body, { codeFormat: 'string' });  // codes as strings
 */
export function validateXlinkEnvelope(body: unknown, options?: { readonly codeFormat?: XlinkCodeFormat }): body is XlinkEnvelope<number | string> {
  const codeFormat = options?.codeFormat ?? 'number';
  if (codeFormat !== 'number' && codeFormat !== 'string') {
    throw new TypeError(`validateXlinkEnvelope: codeFormat must be 'number' or 'string', got ${JSON.stringify(codeFormat)}`);
  }
  return structureFor(codeFormat)(body) && isKnownCode(codeOf(body), codeFormat);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    // Data properties only: the `enum` getters are not called here (they return frozen arrays).
    for (const key of Object.keys(value)) deepFreeze(Object.getOwnPropertyDescriptor(value, key)!.value);
    Object.freeze(value);
  }
  return value;
}
