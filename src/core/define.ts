import { addDefinedEntries, definedEntries, ENTRY_NAME, findCatalogRecord, type SharedEntry, type XlinkStatusOf } from './catalog.js';
import { typeName } from './headers.js';

/** One entry as `defineXlinkErrors()` takes it. */
export interface XlinkErrorDefinition {
  /** The 7-digit code; its first three digits are the HTTP status (400-599). */
  readonly code: number;
  /** The English message, sent on the wire (a 5xx sends it in place of the thrown error's). */
  readonly msg: string;
  /** The Chinese message for `locale: 'zh-CN'`; without it, Chinese requests get `msg`. */
  readonly msgZh?: string;
  /** Optional: if given, it must be the code's first three digits (so a returned map can be defined again). */
  readonly status?: number;
}

/** A defined entry as `defineXlinkErrors()` returns it: literal `code`, derived `status`. */
export type XlinkDefinedEntry<E extends XlinkErrorDefinition> = {
  readonly code: E['code'];
  readonly status: XlinkStatusOf<E['code']>;
  readonly msg: E['msg'];
} & (E extends { readonly msgZh: infer Z extends string } ? { readonly msgZh: Z } : unknown);

/** What `defineXlinkErrors()` returns: the entries, frozen, each with its status. */
export type XlinkDefinedErrors<T extends { readonly [name: string]: XlinkErrorDefinition }> = {
  readonly [N in keyof T]: XlinkDefinedEntry<T[N]>;
};

const FIELDS = new Set(['code', 'msg', 'msgZh', 'status']);

/**
 * Defines codes beyond the 82 of the catalog, process-wide: every part of the package (errors,
 * mapping, both handlers, the schema, the testing helpers) knows them from then on, in every
 * copy of the package loaded in the process. Returns the entries, frozen, each with its `status`
 * (the code's first three digits).
 *
 * Rules: names are UPPER_SNAKE_CASE; `code` is an integer of 7 digits whose first three are an
 * HTTP error status (400-599); `msg` a non-empty string; `msgZh` optional (Chinese requests fall
 * back to `msg`). A `TypeError`, naming both sides, for a name or code of the official catalog or
 * one defined earlier with a different entry, for a code twice in one call, and for any malformed
 * entry; a refused call defines nothing. Defining an identical entry again does nothing.
 *
 * Register the returned map with TypeScript through `XlinkErrorRegister` to type the names.
 *
 * @example
 * export const appErrors = defineXlinkErrors({
 *   ACCESS_TOKEN_EXPIRED: { code: 4031021, msg: 'Access-Token expired', msgZh: 'Access-Token过期' },
 *   DEVICE_BUSY: { code: 4091001, msg: 'Device is busy' },
 * } as const);
 * declare module 'xlink-errors' {
 *   interface XlinkErrorRegister { app: typeof appErrors }
 * }
 * throw xlinkError('DEVICE_BUSY'); // 409 {"error":{"code":4091001,"msg":"Device is busy"}}
 */
export function defineXlinkErrors<const T extends { readonly [name: string]: XlinkErrorDefinition }>(entries: T): XlinkDefinedErrors<T> {
  if (entries === null || typeof entries !== 'object' || Array.isArray(entries)) {
    throw new TypeError(`defineXlinkErrors: expected an object of entries keyed by name, got ${typeName(entries)}`);
  }
  // 1. Read and check every entry, against the catalog, earlier definitions and each other.
  const earlier = new Map<string, SharedEntry>();
  const earlierCodes = new Map<number, SharedEntry>();
  for (const entry of definedEntries()) {
    earlier.set(entry.name, entry);
    earlierCodes.set(entry.code, entry);
  }
  const fresh: SharedEntry[] = [];
  const result: Record<string, object> = {};
  const inCall = new Map<number, string>();
  for (const name of Object.keys(entries)) {
    const entry = readEntry(name, (entries as Record<string, unknown>)[name]);
    const twin = inCall.get(entry.code);
    if (twin !== undefined) throw new TypeError(`defineXlinkErrors: ${name} and ${twin} both have the code ${entry.code}`);
    inCall.set(entry.code, name);
    checkAgainstCatalog(entry);
    const same = earlier.get(name);
    const sameCode = earlierCodes.get(entry.code);
    if (same !== undefined && !isSameEntry(same, entry)) throw new TypeError(`defineXlinkErrors: ${describe(entry)} differs from the ${describe(same)} defined earlier`);
    if (sameCode !== undefined && sameCode.name !== name) {
      throw new TypeError(`defineXlinkErrors: ${describe(entry)} has the code of ${describe(sameCode)}, defined earlier`);
    }
    if (same === undefined) fresh.push(entry);
    const { code, msg, msgZh } = entry;
    result[name] = Object.freeze(msgZh === undefined ? { code, status: statusOf(code), msg } : { code, status: statusOf(code), msg, msgZh });
  }
  // 2. All good: define them all at once.
  if (fresh.length > 0) addDefinedEntries(fresh);
  return Object.freeze(result) as XlinkDefinedErrors<T>;
}

/** Reads one entry's fields once (a getter can't change them between the check and the use) and checks them. */
function readEntry(name: string, value: unknown): SharedEntry {
  if (!ENTRY_NAME.test(name)) throw new TypeError(`defineXlinkErrors: the name ${JSON.stringify(name)} is not UPPER_SNAKE_CASE (such as DEVICE_BUSY)`);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`defineXlinkErrors: ${name} must be an object { code, msg, msgZh? }, got ${typeName(value)}`);
  }
  for (const field of Object.keys(value)) {
    if (!FIELDS.has(field)) throw new TypeError(`defineXlinkErrors: ${name} has an unknown field ${JSON.stringify(field)}; an entry is { code, msg, msgZh? }`);
  }
  const { code, msg, msgZh, status } = value as Record<string, unknown>;
  if (typeof code !== 'number' || !Number.isInteger(code) || code < 1000000 || code > 9999999) {
    throw new TypeError(`defineXlinkErrors: ${name}.code must be an integer of 7 digits, got ${typeof code === 'number' ? code : typeName(code)}`);
  }
  const derived = statusOf(code);
  if (derived < 400 || derived > 599) {
    throw new TypeError(`defineXlinkErrors: ${name}.code ${code} must start with an HTTP error status (400-599), not ${derived}`);
  }
  if (status !== undefined && status !== derived) {
    throw new TypeError(`defineXlinkErrors: ${name}.status ${JSON.stringify(status)} does not match its code ${code}, whose status is ${derived}`);
  }
  if (typeof msg !== 'string' || msg === '') throw new TypeError(`defineXlinkErrors: ${name}.msg must be a non-empty string, got ${typeof msg === 'string' ? 'an empty one' : typeName(msg)}`);
  if (msgZh !== undefined && (typeof msgZh !== 'string' || msgZh === '')) {
    throw new TypeError(`defineXlinkErrors: ${name}.msgZh must be a non-empty string when given, got ${typeof msgZh === 'string' ? 'an empty one' : typeName(msgZh)}`);
  }
  return msgZh === undefined ? { name, code, msg } : { name, code, msg, msgZh: msgZh as string };
}

/** The official catalog's names and codes are not to be redefined. */
function checkAgainstCatalog(entry: SharedEntry): void {
  for (const official of [findCatalogRecord(entry.name), findCatalogRecord(entry.code)]) {
    if (official === undefined || !official.official) continue;
    const what = official.name === entry.name ? 'name' : 'code';
    throw new TypeError(`defineXlinkErrors: ${describe(entry)} has the ${what} of the official ${describe(official)}`);
  }
}

function isSameEntry(a: SharedEntry, b: SharedEntry): boolean {
  return a.name === b.name && a.code === b.code && a.msg === b.msg && a.msgZh === b.msgZh;
}

function describe(entry: { readonly name: string; readonly code: number; readonly msg: string }): string {
  return `${entry.name} (${entry.code} ${JSON.stringify(entry.msg)})`;
}

function statusOf(code: number): number {
  return Math.floor(code / 10000);
}
