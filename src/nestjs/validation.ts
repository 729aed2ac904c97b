import { XlinkError } from '../core/error.js';

/**
 * The parts of class-validator's `ValidationError` that are read (structural, so that the
 * package needs no class-validator types). `value` is read only to tell a missing or null
 * value from a wrong one, and never kept; `target` (the whole DTO) is never read.
 */
export interface XlinkClassValidatorError {
  readonly property: string;
  readonly value?: unknown;
  readonly constraints?: { readonly [name: string]: string } | undefined;
  readonly children?: readonly XlinkClassValidatorError[] | undefined;
}

/** One failing property: its path in the DTO and the constraints it failed, with their messages. */
export interface XlinkNestValidationIssue {
  /** `corp_id`, or `profile.name` for a nested DTO (a segment that is not a plain identifier reads `*`). */
  readonly property: string;
  /**
   * Constraint name -> class-validator's message. A message that quotes the submitted value (a
   * custom message with `$value`) is replaced by `<property> failed <constraint>`.
   */
  readonly constraints: { readonly [name: string]: string };
}

/** The error `xlinkValidationExceptionFactory` returns: 400 4001002 or 4001001, with the failing properties. */
export type XlinkNestValidationError = XlinkError<'PARAM_NULL' | 'PARAM_VERIFICATION_FAILED'> & {
  readonly validation: { readonly errors: readonly XlinkNestValidationIssue[] };
};

/**
 * For `ValidationPipe`'s `exceptionFactory`: class-validator's errors become 400 4001002
 * `PARAM_NULL` when a failing property is missing or null, else 400 4001001
 * `PARAM_VERIFICATION_FAILED`. `err.validation.errors` names each failing property and its
 * constraints, never the submitted values (a password in a failing DTO appears nowhere in it).
 * With `ValidationPipe({ validationError: { value: false } })` the values are not there to read:
 * then only a failed `@IsDefined()` counts as missing.
 *
 * @example
 * app.useGlobalPipes(new ValidationPipe({ exceptionFactory: xlinkValidationExceptionFactory }));
 * // POST /v2/user_auth {"corp_id":"c"} with a required password: 400 {"error":{"code":4001002,"msg":"Requested variable null."}}
 */
export function xlinkValidationExceptionFactory(errors: readonly XlinkClassValidatorError[]): XlinkNestValidationError {
  if (!Array.isArray(errors)) throw new TypeError(`xlinkValidationExceptionFactory: expected class-validator's array of ValidationError, got ${errors === null ? 'null' : typeof errors}`);
  const issues: XlinkNestValidationIssue[] = [];
  let missing = false;
  const visit = (list: readonly XlinkClassValidatorError[], path: readonly string[], depth: number): void => {
    if (depth > 32) return; // a cyclic or absurdly deep tree: what was collected is enough
    for (const error of list) {
      if (error === null || typeof error !== 'object') continue;
      const here = [...path, segment(error.property)];
      const names = Object.keys(error.constraints ?? {});
      if (names.length > 0) {
        if (isMissing(error, names)) missing = true;
        issues.push(Object.freeze({ property: here.join('.'), constraints: Object.freeze(safeMessages(error, here.join('.'), names)) }));
      }
      if (Array.isArray(error.children)) visit(error.children, here, depth + 1);
    }
  };
  visit(errors, [], 0);
  const err = new XlinkError(missing ? 'PARAM_NULL' : 'PARAM_VERIFICATION_FAILED', { stack: false });
  Object.defineProperty(err, 'validation', { value: Object.freeze({ errors: Object.freeze(issues) }), enumerable: true });
  return err as XlinkNestValidationError;
}

/** A property name that is safe to log: DTO names and array indexes, not a map's user-chosen keys. */
const SAFE_SEGMENT = /^[A-Za-z0-9_$-]{1,64}$/;

function segment(property: unknown): string {
  return typeof property === 'string' && SAFE_SEGMENT.test(property) ? property : '*';
}

/**
 * Missing or null: the value class-validator checked is `undefined` or `null`. Without the value
 * (`validationError.value: false`), only `isDefined` says so. Forbidden extra properties
 * (`whitelistValidation`) are never "missing", whatever their value.
 */
function isMissing(error: XlinkClassValidatorError, names: readonly string[]): boolean {
  if (names.every((name) => name === 'whitelistValidation')) return false;
  if (!Object.prototype.hasOwnProperty.call(error, 'value')) return names.includes('isDefined');
  return error.value === undefined || error.value === null;
}

function safeMessages(error: XlinkClassValidatorError, property: string, names: readonly string[]): Record<string, string> {
  const quoted = quotable(error.value);
  const messages: Record<string, string> = {};
  for (const name of names) {
    const message = error.constraints?.[name];
    messages[name] = typeof message === 'string' && (quoted === undefined || !message.includes(quoted)) ? message : `${property} failed ${name}`;
  }
  return messages;
}

/** The text a `$value` in a message would have become (class-validator interpolates with String()). */
function quotable(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  let text: string;
  try {
    text = Array.isArray(value) ? value.join(',') : String(value);
  } catch {
    return undefined;
  }
  return text === '' || text === '[object Object]' ? undefined : text;
}
