/**
 * Test helpers: assert that a response is a given Xlink error (status, JSON type, schema, code,
 * message). Framework-agnostic: no test runner is needed to load them; `xlinkMatchers` follows
 * Jest's matcher protocol for `expect.extend()`.
 */
import { AssertionError } from 'node:assert';
import { findCatalogRecord, unknownKeyError, type CatalogRecord, type XlinkErrorKey } from '../core/catalog.js';
import { typeName } from '../core/headers.js';
import { checkEnvelope } from '../core/schema.js';
import type { XlinkCodeFormat, XlinkLanguage } from '../core/wire.js';
import { contractMatcher } from '../conformance/matcher.js';

export {
  checkXlinkContract,
  type XlinkContractFailure,
  type XlinkContractOptions,
  type XlinkContractReport,
  type XlinkContractRequest,
  type XlinkContractResult,
  type XlinkContractTarget,
  type XlinkFetchTarget,
} from '../conformance/index.js';

/** A supertest response, or anything with `status`, `headers` and a `body` (object, string or Buffer). */
export interface XlinkResponseLike {
  readonly status?: number;
  readonly statusCode?: number;
  readonly headers?: unknown;
  readonly body?: unknown;
  /** supertest's raw text; preferred over `body` when present, so a non-JSON body is seen as such. */
  readonly text?: unknown;
  /** A fetch `Response` has this: its body must be read first; `expectXlinkResponse()` does it. */
  readonly bodyUsed?: never;
}

/** Options of `expectXlinkError()` and `toBeXlinkError()`. */
export interface ExpectXlinkErrorOptions {
  /** `'number'` (default) expects `"code":4041008`; `'string'` expects `"code":"4041008"`. */
  readonly codeFormat?: XlinkCodeFormat;
  /** The language of the catalog message expected: `'en'` (default) or `'zh-CN'`. */
  readonly locale?: XlinkLanguage;
  /** A custom message instead of the catalog's: the exact text, or a pattern it must match. */
  readonly msg?: string | RegExp;
}

interface Verdict {
  readonly problems: string[];
  readonly expected: { status: number; body: unknown };
  readonly received: { status: unknown; body: unknown };
  readonly record: CatalogRecord;
}

const JSON_UTF8 = /^application\/json\s*;\s*charset="?utf-8"?\s*$/i;

/**
 * Asserts that a response is the Xlink error `key` (a name, a code or a 7-digit string): its
 * status, `Content-Type: application/json; charset=utf-8`, a schema-valid envelope, and the
 * catalog code and message. Throws an `AssertionError` that lists every difference, with the
 * expected and received envelopes.
 *
 * @example
 * const res = await request(app).get('/v2/device/404');
 * expectXlinkError(res, 'DEVICE_NOT_FOUND');
 * expectXlinkError(res, 4041008, { msg: /offline/ });
 */
export function expectXlinkError(res: XlinkResponseLike, key: XlinkErrorKey, options?: ExpectXlinkErrorOptions): void {
  assertVerdict(judge(res, key, options), 'expectXlinkError', expectXlinkError);
}

function assertVerdict(verdict: Verdict, operator: string, stackStartFn: (...args: never[]) => unknown): void {
  if (verdict.problems.length === 0) return;
  throw new AssertionError({
    message: `Expected an Xlink ${describe(verdict.record)} response:\n${verdict.problems.map((p) => `  - ${p}`).join('\n')}`,
    expected: verdict.expected,
    actual: verdict.received,
    operator,
    stackStartFn,
  });
}

/**
 * The async form, for a fetch `Response` (Node's `fetch`, undici): reads its body, then asserts
 * as `expectXlinkError()` does. Anything `expectXlinkError()` takes is accepted too.
 *
 * @example
 * await expectXlinkResponse(await fetch(`${base}/v2/device/404`), 'DEVICE_NOT_FOUND');
 */
export async function expectXlinkResponse(res: XlinkFetchResponseLike | XlinkResponseLike, key: XlinkErrorKey, options?: ExpectXlinkErrorOptions): Promise<void> {
  if (findCatalogRecord(key) === undefined) throw unknownKeyError('expectXlinkResponse', key); // before the body is consumed
  checkOptions(options, 'expectXlinkResponse');
  if (isFetchResponse(res)) {
    if (res.bodyUsed) throw new TypeError(`expectXlinkResponse: ${BODY_USED}`);
    const { status, headers } = res;
    const text = await res.text();
    res = { status, headers, text };
  }
  assertVerdict(judge(res as XlinkResponseLike, key, options), 'expectXlinkResponse', expectXlinkResponse);
}

/**
 * A fetch `Response` (or undici's): its body is a stream that must be read, asynchronously;
 * `expectXlinkResponse()` takes it.
 *
 * @example
 * const res: XlinkFetchResponseLike = await fetch(url);
 */
export interface XlinkFetchResponseLike {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly bodyUsed: boolean;
  text(): Promise<string>;
}

const UNREAD =
  'this is a fetch Response whose body has not been read: use `await expectXlinkResponse(res, key)`, ' +
  'or pass `{ status: res.status, headers: res.headers, body: await res.json() }`';
const BODY_USED = 'this is a fetch Response whose body was already read: pass `{ status: res.status, headers: res.headers, body }` with the body you read';

function isFetchResponse(res: unknown): res is XlinkFetchResponseLike {
  if (res === null || typeof res !== 'object') return false;
  const { text, bodyUsed } = res as { text?: unknown; bodyUsed?: unknown };
  return typeof text === 'function' && typeof bodyUsed === 'boolean';
}

/** What Jest passes to matchers as `this`; only what is used, so Jest need not be installed. */
interface MatcherContextLike {
  readonly isNot?: boolean;
  readonly utils?: {
    matcherHint(name: string, received?: string, expected?: string, options?: { isNot?: boolean }): string;
    printExpected(value: unknown): string;
    printReceived(value: unknown): string;
  };
}

/**
 * Jest matchers: `expect.extend(xlinkMatchers)`, then
 * `expect(res).toBeXlinkError('DEVICE_NOT_FOUND', options?)` (and `.not`). Importing this
 * module registers nothing by itself.
 *
 * @example
 * import { xlinkMatchers } from 'xlink-errors/testing';
 * expect.extend(xlinkMatchers);
 * expect(await request(app).get('/v2/device/404')).toBeXlinkError('DEVICE_NOT_FOUND');
 */
export const xlinkMatchers = {
  toBeXlinkError(this: unknown, received: unknown, key: XlinkErrorKey, options?: ExpectXlinkErrorOptions) {
    const verdict = judge(received as XlinkResponseLike, key, options);
    const pass = verdict.problems.length === 0;
    const context = (typeof this === 'object' && this !== null ? this : {}) as MatcherContextLike;
    const { utils, isNot = false } = context;
    const hint = utils
      ? utils.matcherHint('toBeXlinkError', 'response', JSON.stringify(key), { isNot })
      : `expect(response).${isNot ? 'not.' : ''}toBeXlinkError(${JSON.stringify(key)})`;
    const show = (value: unknown, which: 'expected' | 'received') =>
      utils ? (which === 'expected' ? utils.printExpected(value) : utils.printReceived(value)) : JSON.stringify(value);
    const message = pass
      ? () => `${hint}\n\nExpected the response not to be ${describe(verdict.record)}, but it is.\n\nReceived: ${show(verdict.received, 'received')}`
      : () =>
          `${hint}\n\nExpected ${describe(verdict.record)}:\n${verdict.problems.map((p) => `  - ${p}`).join('\n')}\n\n` +
          `Expected: ${show(verdict.expected, 'expected')}\nReceived: ${show(verdict.received, 'received')}`;
    return { pass, message };
  },
  /** `expect(await checkXlinkContract(app)).toKeepXlinkContract()`: passes when the report is ok; shows the first failures. */
  toKeepXlinkContract(this: unknown, received: unknown) {
    return contractMatcher(this, received);
  },
};

// The matcher's TypeScript declaration, for each way of getting `expect`. An augmentation applies
// only where its module is part of the user's program (imported by a test, or by @types/jest);
// in a declaration file, one whose module is absent is ignored, so none of these makes Jest or
// Vitest a requirement. (The build has neither in its program: hence the @ts-ignore below.)
declare global {
  // The global `expect` of @types/jest (Vitest's `Assertion` extends these `jest.Matchers` too).
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** Asserts that a response is the Xlink error `key`; see `expectXlinkError()`. */
      toBeXlinkError(key: XlinkErrorKey, options?: ExpectXlinkErrorOptions): R;
      /** Asserts that a `checkXlinkContract()` report found no failure; see `checkXlinkContract()`. */
      toKeepXlinkContract(): R;
    }
  }
}

// `import { expect } from '@jest/globals'`: Jest's own types, from its `expect` package.
// @ts-ignore
declare module 'expect' {
  interface Matchers<R extends void | Promise<void>, T = unknown> {
    /** Asserts that a response is the Xlink error `key`; see `expectXlinkError()`. */
    toBeXlinkError(key: XlinkErrorKey, options?: ExpectXlinkErrorOptions): R;
    /** Asserts that a `checkXlinkContract()` report found no failure; see `checkXlinkContract()`. */
    toKeepXlinkContract(): R;
  }
  interface AsymmetricMatchers {
    /** Matches a response that is the Xlink error `key`; see `expectXlinkError()`. */
    toBeXlinkError(key: XlinkErrorKey, options?: ExpectXlinkErrorOptions): void;
  }
}

// `import { expect } from 'vitest'`.
// @ts-ignore
declare module 'vitest' {
  interface Assertion<T = any> {
    /** Asserts that a response is the Xlink error `key`; see `expectXlinkError()`. */
    toBeXlinkError(key: XlinkErrorKey, options?: ExpectXlinkErrorOptions): void;
    /** Asserts that a `checkXlinkContract()` report found no failure; see `checkXlinkContract()`. */
    toKeepXlinkContract(): void;
  }
  interface AsymmetricMatchersContaining {
    /** Matches a response that is the Xlink error `key`; see `expectXlinkError()`. */
    toBeXlinkError(key: XlinkErrorKey, options?: ExpectXlinkErrorOptions): unknown;
  }
}

/** Reads the options once and checks them: a typo from plain JavaScript must not make the assertion check something else. */
function checkOptions(options: ExpectXlinkErrorOptions | undefined, caller: string): ExpectXlinkErrorOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object') throw new TypeError(`${caller}: options must be an object, got ${typeName(options)}`);
  const { codeFormat, locale, msg } = options;
  if (codeFormat !== undefined && codeFormat !== 'number' && codeFormat !== 'string') {
    throw new TypeError(`${caller}: codeFormat must be 'number' or 'string', got ${JSON.stringify(codeFormat)}`);
  }
  if (locale !== undefined && locale !== 'en' && locale !== 'zh-CN') throw new TypeError(`${caller}: locale must be 'en' or 'zh-CN', got ${JSON.stringify(locale)}`);
  if (msg !== undefined && typeof msg !== 'string' && !(msg instanceof RegExp)) throw new TypeError(`${caller}: msg must be a string or a RegExp, got ${typeName(msg)}`);
  return { codeFormat, locale, msg };
}

function judge(res: XlinkResponseLike, key: XlinkErrorKey, options?: ExpectXlinkErrorOptions): Verdict {
  const record = findCatalogRecord(key);
  if (record === undefined) throw unknownKeyError('expectXlinkError', key);
  const unread: unknown = res;
  if (isFetchResponse(unread)) throw new TypeError(`expectXlinkError: ${unread.bodyUsed ? BODY_USED : UNREAD}`);
  const { codeFormat = 'number', locale = 'en', msg } = checkOptions(options, 'expectXlinkError');
  const code = codeFormat === 'string' ? String(record.code) : record.code;
  const catalogMsg = locale === 'zh-CN' ? record.msgZh : record.msg;
  const expected = { status: record.status, body: { error: { code, msg: typeof msg === 'string' ? msg : msg ? String(msg) : catalogMsg } } };
  const problems: string[] = [];

  if (res === null || typeof res !== 'object') {
    return { problems: [`received ${res === null ? 'null' : typeof res}, not a response`], expected, received: { status: undefined, body: undefined }, record };
  }
  const status = res.status ?? res.statusCode;
  const body = readBody(res);
  const received = { status, body: body.ok ? body.value : body.raw };
  if (status !== record.status) {
    problems.push(`status: expected ${record.status}, received ${typeof status === 'string' ? `${JSON.stringify(status)} (a string)` : String(status)}`);
  }
  const type = header(res.headers, 'content-type');
  if (type === undefined || !JSON_UTF8.test(type)) {
    problems.push(`Content-Type: expected "application/json; charset=utf-8", received ${type === undefined ? 'none' : JSON.stringify(type)}`);
  }
  if (!body.ok) {
    problems.push(`body: not JSON (${body.reason})`);
    return { problems, expected, received, record };
  }
  const envelope = checkEnvelope(body.value, codeFormat);
  if (!envelope.valid) problems.push(`envelope: not a valid Xlink envelope with ${codeFormat} codes (${envelope.problems.join('; ')})`);
  const error = (body.value as { error?: { code?: unknown; msg?: unknown } } | null)?.error;
  const receivedCode = error?.code;
  if (receivedCode !== code) {
    const sameDigits = String(receivedCode) === String(code);
    problems.push(
      sameDigits
        ? `code: expected ${JSON.stringify(code)} as a ${codeFormat}, received ${JSON.stringify(receivedCode)} as a ${typeof receivedCode}`
        : `code: expected ${JSON.stringify(code)} (${record.name}), received ${JSON.stringify(receivedCode)}${nameOf(receivedCode)}`,
    );
  }
  const receivedMsg = error?.msg;
  // search(), not test(): it ignores and keeps the pattern's lastIndex, so a /g or /y pattern passes every time.
  const msgOk = msg instanceof RegExp ? typeof receivedMsg === 'string' && receivedMsg.search(msg) !== -1 : receivedMsg === (msg ?? catalogMsg);
  if (!msgOk) problems.push(`msg: expected ${msg instanceof RegExp ? `to match ${String(msg)}` : JSON.stringify(msg ?? catalogMsg)}, received ${JSON.stringify(receivedMsg)}`);
  return { problems, expected, received, record };
}

type BodyRead = { ok: true; value: unknown } | { ok: false; raw: unknown; reason: string };

function readBody(res: XlinkResponseLike): BodyRead {
  const raw = typeof res.text === 'string' ? res.text : res.body;
  if (typeof raw === 'string' || raw instanceof Uint8Array) {
    const text = typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8');
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch {
      return { ok: false, raw: text, reason: text === '' ? 'it is empty' : `it starts ${JSON.stringify(text.slice(0, 80))}` };
    }
  }
  if (raw === undefined) return { ok: false, raw, reason: 'there is none' };
  return { ok: true, value: raw };
}

function header(headers: unknown, name: string): string | undefined {
  if (headers === null || typeof headers !== 'object') return undefined;
  const get = (headers as { get?: unknown }).get;
  if (typeof get === 'function') return (get.call(headers, name) as string | null) ?? undefined;
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === name) {
      const value = (headers as Record<string, unknown>)[key];
      return Array.isArray(value) ? value.join(', ') : value === undefined ? undefined : String(value);
    }
  }
  return undefined;
}

function describe(record: CatalogRecord): string {
  return `${record.name} (${record.status} ${record.code})`;
}

function nameOf(code: unknown): string {
  const record = findCatalogRecord(code);
  return record === undefined ? '' : ` (${record.name})`;
}
