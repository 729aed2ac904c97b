/**
 * `xlink-errors/extended`: the later official Xlink codes, the ones the platform's Chinese error
 * table lists beyond the 82 of the English table, ready for `defineXlinkErrors`.
 *
 * The data lives in `xlink-extended-errors.tsv` beside this file (its header comment says where
 * each column comes from and how the table's irregularities were decided); `scripts/gen-extended.mjs`
 * turns it into `entries.generated.ts`, an `as const` object, so every name keeps its literal
 * code and both builds load it with no file to read at runtime. `msgZh` is the official Chinese
 * text verbatim; `msg` is an English translation by this project (the platform publishes none).
 */
import { EXTENDED_ENTRIES } from './entries.generated.js';

/** The type of `XLINK_EXTENDED_ERRORS`: each name with its literal `code`, `msg` and `msgZh`. */
export type XlinkExtendedErrors = typeof EXTENDED_ENTRIES;

/** The union of the extended names, e.g. `'ACCESS_TOKEN_EXPIRED'`. */
export type XlinkExtendedErrorName = keyof XlinkExtendedErrors;

/** The union of the extended codes, e.g. `4031021`. */
export type XlinkExtendedErrorCode = XlinkExtendedErrors[XlinkExtendedErrorName]['code'];

function freezeEntries<T extends Record<string, object>>(entries: T): T {
  for (const entry of Object.values(entries)) Object.freeze(entry);
  Object.freeze(entries);
  return entries;
}

/**
 * The later official codes (195), by name, each `{ code, msg, msgZh }`: exactly what
 * `defineXlinkErrors` takes. Frozen. Nothing is registered until you pass it there.
 *
 * @example
 * import { defineXlinkErrors, xlinkError } from 'xlink-errors';
 * import { XLINK_EXTENDED_ERRORS } from 'xlink-errors/extended';
 *
 * export const extendedErrors = defineXlinkErrors(XLINK_EXTENDED_ERRORS);
 * declare module 'xlink-errors' {
 *   interface XlinkErrorRegister { extended: typeof extendedErrors }
 * }
 *
 * XLINK_EXTENDED_ERRORS.ACCESS_TOKEN_EXPIRED; // { code: 4031021, msg: 'Access-Token expired', msgZh: 'Access-Token过期' }
 * throw xlinkError('USER_LOCKED');            // 400 {"error":{"code":4001061,"msg":"User is locked after too many wrong passwords"}}
 */
export const XLINK_EXTENDED_ERRORS: XlinkExtendedErrors = freezeEntries(EXTENDED_ENTRIES);
