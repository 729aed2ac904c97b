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
 * again. (`validateXlinkEnvelope()` and the testing helpers recompile by themselves.)
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

// Compiled on first use, once per code format: importing the package compiles nothing and loads no ajv.
// Compiled again when codes were defined since (the known codes are then another array).
const validators: Partial<Record<XlinkCodeFormat, ValidateFunction & { codes?: readonly XlinkErrorCode[] }>> = {};

function validatorFor(codeFormat: XlinkCodeFormat): ValidateFunction {
  const codes = knownCodes();
  const cached = validators[codeFormat];
  if (cached !== undefined && cached.codes === codes) return cached;
  const validate = new (requireAjv().Ajv)({ strict: true, allErrors: true }).compile(codeFormat === 'string' ? xlinkEnvelopeStringSchema : xlinkEnvelopeSchema);
  return (validators[codeFormat] = Object.assign(validate, { codes }));
}

/** Validates a body against the envelope schema and says why it failed. */
export function checkEnvelope(body: unknown, codeFormat: XlinkCodeFormat = 'number'): EnvelopeCheck {
  const validate = validatorFor(codeFormat);
  if (validate(body)) return { valid: true, problems: [] };
  return {
    valid: false,
    problems: (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`),
  };
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
  return validatorFor(codeFormat)(body);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    // Data properties only: the `enum` getters are not called here (they return frozen arrays).
    for (const key of Object.keys(value)) deepFreeze(Object.getOwnPropertyDescriptor(value, key)!.value);
    Object.freeze(value);
  }
  return value;
}
