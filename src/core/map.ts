import { findCatalogRecord, unknownKeyError, type XlinkErrorKey, type XlinkErrorName } from './catalog.js';
import { isOwnXlinkError, isXlinkError, XlinkError } from './error.js';
import { foreignHeaders, isCheckedHeaders, salvageHeaders } from './headers.js';
import { containRejection, isThenable } from './hooks.js';
import { inspectValue } from './portable.js';

/**
 * A user's mapping of foreign errors: return an `XlinkError` or a catalog key to use it, or
 * `undefined` to fall through to the default mapping.
 */
export type XlinkErrorMapper = (err: unknown) => XlinkError | XlinkErrorKey | undefined | void;

/** Options of `toXlinkError()`. */
export interface ToXlinkErrorOptions {
  readonly map?: XlinkErrorMapper | undefined;
}

/**
 * Turns anything thrown into an `XlinkError`: the mapping both handlers use.
 * `XlinkError`s stay as they are; errors with a 4xx `status`/`statusCode` become 400 4001001,
 * 403 4031001 (401, 403) or 404 4041001; everything else is 503 5031001 with the thrown value
 * as `cause`. Never throws, whatever it is given (a `map` that throws or returns something
 * unusable gives a 503 too).
 *
 * @example
 * toXlinkError(createError(404)).code;    // 4041001
 * toXlinkError(new Error('db down')).code; // 5031001
 */
export function toXlinkError(thrown: unknown, options?: ToXlinkErrorOptions): XlinkError {
  const map = options?.map;
  if (map !== undefined) {
    try {
      const mapped = map(thrown);
      if (isThenable(mapped)) {
        // `map` is synchronous: a promise is no mapping, and its rejection must not go unhandled.
        containRejection(mapped, 'the promise returned by map rejected');
        throw new TypeError('xlink-errors: map() returned a promise; map must be synchronous and return an XlinkError, a catalog name or code, or undefined');
      }
      if (mapped !== undefined) return fromMapped(mapped, thrown);
    } catch (failure) {
      // The user's `map` failed (it threw, or returned something unusable): a 503 that says so.
      const error = serverException(thrown, failure);
      mapFailures.set(error, failure ?? new TypeError(`xlink-errors: map() threw ${String(failure)}`));
      return error;
    }
  }
  try {
    return fromThrown(thrown);
  } catch (failure) {
    // Reading the thrown value failed (a hostile getter, a Proxy): its fields can't be trusted.
    return serverException(thrown, failure);
  }
}

/** The 503s made because the user's `map` failed, with that failure. */
const mapFailures = new WeakMap<XlinkError, unknown>();

/**
 * Why `map` failed, if `err` is the 503 `toXlinkError()` made for that reason (the original
 * error stays the `cause`'s first entry); `undefined` otherwise. The handlers report it.
 */
export function mapFailureOf(err: XlinkError): unknown {
  return mapFailures.get(err);
}

/**
 * What to hand on to the framework when the response can no longer be replaced (headers already
 * sent): the thrown value itself if it is an ordinary `Error` whose fields can be read, else the
 * 503 `XlinkError` that carries it as `cause`, so that the framework's own error handling
 * (finalhandler, Koa's `onerror`) cannot trip over a hostile value and crash the process.
 */
export function reportableError(thrown: unknown): unknown {
  try {
    if (thrown instanceof Error) {
      const { message, stack, status, statusCode, headers, expose, name } = thrown as Error & Record<string, unknown>;
      void [stack, status, statusCode, headers, expose, name];
      if (typeof message === 'string' && Object.prototype.toString.call(thrown) === '[object Error]') return thrown;
    }
  } catch {
    // a getter or a Proxy trap threw: not safe to hand on
  }
  return toXlinkError(thrown);
}

function fromMapped(mapped: unknown, thrown: unknown): XlinkError {
  if (isXlinkError(mapped)) return adopt(mapped);
  if (findCatalogRecord(mapped) !== undefined) return new XlinkError(mapped as XlinkErrorKey, { cause: thrown, stack: false });
  if (typeof mapped === 'string' || typeof mapped === 'number') throw unknownKeyError('xlink-errors: map() returned', mapped);
  throw new TypeError(`xlink-errors: map() returned something that is neither an XlinkError nor a catalog name or code`);
}

function fromThrown(thrown: unknown): XlinkError {
  if (isXlinkError(thrown)) return adopt(thrown);
  if (!isError(thrown)) return serverException(thrown);
  const status = statusOf(thrown);
  if (status === undefined || status >= 500) return serverException(thrown);
  const name = clientErrorName(status);
  // The client's fault: allow-listed headers such as WWW-Authenticate or Allow may help it (never
  // the rest: an upstream's Set-Cookie or Content-Encoding); the message is not sent.
  const headers = foreignHeaders((thrown as { headers?: unknown }).headers);
  return new XlinkError(name, { cause: thrown, headers, stack: false });
}

/**
 * An `XlinkError` of this copy, as it was made, is used as it is. One from another copy of the
 * package, or one whose fields were changed since (a `status`, `errorName` or `headers` set by
 * hand), is rebuilt from its name (or else its code), so that the catalog decides the status
 * and every header is checked again.
 */
function adopt(err: XlinkError): XlinkError {
  if (isOwnXlinkError(err) && isIntact(err)) return err;
  const { errorName, code, message, headers, cause } = err;
  const record = findCatalogRecord(errorName) ?? findCatalogRecord(code);
  if (record === undefined) throw new TypeError('xlink-errors: an XlinkError with neither a catalog name nor a catalog code');
  return new XlinkError(record.name, {
    msg: typeof message === 'string' ? message : undefined,
    // Only the headers given to this copy's xlinkError() may ride on a 503.
    headers: record.status < 500 ? salvageHeaders(headers) : undefined,
    cause,
    stack: false,
  });
}

function isIntact(err: XlinkError): boolean {
  const record = findCatalogRecord(err.errorName);
  return record !== undefined && record.code === err.code && record.status === err.status && (err.headers === undefined || isCheckedHeaders(err.headers));
}

function serverException(thrown: unknown, failure?: unknown): XlinkError {
  const msg = isError(thrown) ? safeMessage(thrown) : `Non-error thrown: ${describe(thrown)}`;
  const cause = failure === undefined ? thrown : new AggregateError([thrown, failure], 'xlink-errors: mapping failed');
  // A 503 keeps its stack for the logs; its message is never sent (the wire says "Server exception").
  return new XlinkError('SERVER_EXCEPTION', { msg, cause });
}

/**
 * The error for an error status that was set rather than thrown (Koa's 404 when nobody
 * answered, a router's 405): mapped as if an error with that status had been thrown.
 */
export function xlinkErrorForStatus(status: number): XlinkError {
  return new XlinkError(isErrorStatus(status) && status < 500 ? clientErrorName(status) : 'SERVER_EXCEPTION', { stack: false });
}

/** The catalog entry for a foreign 4xx status: 401/403, 404, or any other 4xx. */
function clientErrorName(status: number): XlinkErrorName {
  return status === 401 || status === 403 ? 'ACCESS_DENIED' : status === 404 ? 'URL_NOT_FOUND' : 'PARAM_VERIFICATION_FAILED';
}

/** finalhandler's rule: `status`, else `statusCode`, taken only if it is an integer in 400-599. */
function statusOf(err: object): number | undefined {
  const { status, statusCode } = err as { status?: unknown; statusCode?: unknown };
  if (isErrorStatus(status)) return status;
  if (isErrorStatus(statusCode)) return statusCode;
  return undefined;
}

function isErrorStatus(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 599;
}

/** Errors from this realm, from vm contexts and from workers alike. */
function isError(value: unknown): value is Error {
  try {
    return value instanceof Error || Object.prototype.toString.call(value) === '[object Error]';
  } catch {
    return false; // a Proxy whose traps throw is no error we can read
  }
}

function safeMessage(err: Error): string {
  try {
    const { message } = err;
    return typeof message === 'string' ? message : 'Server exception';
  } catch {
    return 'Server exception';
  }
}

function describe(value: unknown): string {
  return inspectValue(value); // node:util's inspect where there is one
}
