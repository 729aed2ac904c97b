import {
  findCatalogRecord,
  unknownKeyError,
  type CatalogRecord,
  type XlinkCodeOf,
  type XlinkErrorKey,
  type XlinkErrorName,
  type XlinkNameOfKey,
  type XlinkStatusOf,
} from './catalog.js';
import { checkHeaders, typeName, type XlinkHeaders, type XlinkHeadersInit } from './headers.js';
import { publishXlinkErrorFactory } from './error-factory.js';
import { nodeEnv } from './portable.js';
import { loadHttpErrors } from './runtime.js';

/** Marks an `XlinkError` of any copy of this package (ESM and CommonJS builds, two versions). */
const MARKER = Symbol.for('xlink-errors.XlinkError');

/** Options of `xlinkError()`. */
export interface XlinkErrorOptions {
  /**
   * Replaces the catalog message on the wire (4xx only: a 5xx always sends its entry's own
   * message, `Server exception` for 503). Never put unescaped user input here; it is sent as is.
   */
  readonly msg?: string;
  /** What caused this error; kept as `err.cause` for logs, never sent. */
  readonly cause?: unknown;
  /** Extra response headers (`Retry-After`, `WWW-Authenticate`...), checked when the error is made. */
  readonly headers?: XlinkHeadersInit;
  /**
   * `false` skips capturing a stack trace, the main cost of making an error. Worth it for
   * expected 4xx errors on hot paths; keep stacks for 5xx and while developing.
   * Default for 4xx: no stack when `NODE_ENV` is `production`, a stack otherwise; or what
   * `setXlinkErrorDefaults({ stack })` set. A 5xx has a stack unless this says `false`.
   */
  readonly stack?: boolean;
}

/**
 * Whether 4xx errors made without a `stack` option capture one. Read from `NODE_ENV` on first
 * use: an expected client error's stack costs most of its making and is rarely read in
 * production, while in development it shows where the error came from.
 */
let captureStackByDefault: boolean | undefined;

/**
 * Sets package-wide defaults for new errors. `stack` decides whether 4xx errors made without an
 * explicit `stack` option capture a stack trace (503s always keep theirs). The default is
 * `NODE_ENV !== 'production'`.
 *
 * @example
 * setXlinkErrorDefaults({ stack: true }); // 4xx stacks in production too
 */
export function setXlinkErrorDefaults(defaults: { readonly stack?: boolean }): void {
  if (defaults === null || typeof defaults !== 'object') {
    throw new TypeError(`setXlinkErrorDefaults: expected an object such as { stack: true }, got ${typeName(defaults)}`);
  }
  if (defaults.stack !== undefined) {
    if (typeof defaults.stack !== 'boolean') throw new TypeError('setXlinkErrorDefaults: stack must be a boolean');
    captureStackByDefault = defaults.stack;
  }
}

const ANY_OPTIONS: XlinkErrorOptions = Object.freeze({});

/**
 * An error of the Xlink catalog. It is an http-errors `HttpError`, so middleware that knows
 * `status`/`expose` (finalhandler, Koa's `ctx.onerror`) treats it right; `instanceof` also
 * recognises errors made by another copy of this package.
 *
 * @example
 * throw new XlinkError('DEVICE_NOT_FOUND'); // same as xlinkError('DEVICE_NOT_FOUND')
 */
export class XlinkError<N extends XlinkErrorName = XlinkErrorName> extends Error {
  /** The HTTP status: the code's first three digits. */
  declare readonly status: XlinkStatusOf<XlinkCodeOf<N>>;
  /** Same as `status`, as Node and http-errors name it. */
  declare readonly statusCode: XlinkStatusOf<XlinkCodeOf<N>>;
  /** The 7-digit Xlink code, e.g. `4041008`. */
  declare readonly code: XlinkCodeOf<N>;
  /** The catalog name, e.g. `'DEVICE_NOT_FOUND'`. */
  declare readonly errorName: N;
  /** Headers sent with the response, if any. */
  declare readonly headers?: XlinkHeaders;
  /** Whether the message may be shown to clients: true for 4xx, false for 5xx. */
  declare expose: boolean;

  constructor(key: XlinkErrorKey, options?: XlinkErrorOptions);
  constructor(key: XlinkErrorKey, options: XlinkErrorOptions = ANY_OPTIONS) {
    if (!linkedToHttpError) linkToHttpError();
    const record = findCatalogRecord(key);
    if (record === undefined) throw unknownKeyError('xlinkError', key);
    if (options === null || typeof options !== 'object') {
      throw new TypeError(`xlinkError: options must be an object, got ${typeName(options)}`);
    }
    const { msg, cause, stack } = options;
    if (msg !== undefined && typeof msg !== 'string') {
      throw new TypeError(`xlinkError: options.msg must be a string, got ${typeName(msg)}`);
    }
    if (stack !== undefined && typeof stack !== 'boolean') {
      throw new TypeError(`xlinkError: options.stack must be a boolean, got ${typeName(stack)}`);
    }
    const headers = checkHeaders(options.headers);

    // Stack capture is most of what an error costs; skip it when asked (never for a 503 by default).
    const skipStack = stack === false || (stack === undefined && record.status < 500 && !(captureStackByDefault ??= nodeEnv() !== 'production'));
    const limit = Error.stackTraceLimit;
    if (skipStack) Error.stackTraceLimit = 0;
    try {
      super(msg ?? record.msg, cause === undefined && !('cause' in options) ? undefined : { cause });
    } finally {
      if (skipStack) Error.stackTraceLimit = limit;
    }
    this.status = this.statusCode = record.status as XlinkStatusOf<XlinkCodeOf<N>>;
    this.code = record.code as XlinkCodeOf<N>;
    this.errorName = record.name as N;
    if (headers !== undefined) this.headers = headers;
  }

  /** The envelope as Xlink clients receive it (a 5xx shows only its entry's message). */
  toJSON(): { error: { code: XlinkCodeOf<N>; msg: string } } {
    // Read from the catalog, so an error whose fields were changed by hand still serialises.
    const record = findCatalogRecord(this.errorName) ?? findCatalogRecord(this.code) ?? findCatalogRecord('SERVER_EXCEPTION')!;
    const msg = record.status < 500 && typeof this.message === 'string' ? this.message : record.msg;
    return { error: { code: record.code as XlinkCodeOf<N>, msg } };
  }

  /** True for errors of any copy of this package; subclasses keep the usual `instanceof`. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== XlinkError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return isXlinkError(value);
  }
}

// Shared by every instance, as http-errors does, so instances stay small.
Object.defineProperty(XlinkError.prototype, 'name', { value: 'XlinkError', writable: true, configurable: true });
Object.defineProperty(XlinkError.prototype, MARKER, { value: true });
Object.defineProperty(XlinkError.prototype, 'expose', {
  get(this: XlinkError) {
    return this.status < 500;
  },
  // Middleware may set it (Koa apps sometimes do); that shadows the default on the instance.
  set(this: XlinkError, value: boolean) {
    Object.defineProperty(this, 'expose', { value, writable: true, enumerable: true, configurable: true });
  },
  configurable: true,
});
// An http-errors HttpError: `createError.isHttpError(err)` and `err instanceof HttpError` hold.
// Linked when the first error is made, so that importing the package loads no http-errors.
// Where http-errors cannot be loaded synchronously (workerd), an XlinkError is an Error as it is.
let linkedToHttpError = false;
function linkToHttpError(): void {
  const httpErrors = loadHttpErrors();
  if (httpErrors !== undefined) Object.setPrototypeOf(XlinkError.prototype, httpErrors.HttpError.prototype);
  linkedToHttpError = true;
}

/**
 * Makes an `XlinkError` from a catalog name, a code or its 7-digit string.
 * Throws a `TypeError` at once for an unknown name or code and for bad options.
 *
 * @example
 * throw xlinkError('DEVICE_NOT_FOUND');            // 404 {"error":{"code":4041008,"msg":"Device does not exist"}}
 * throw xlinkError(4001007);                       // 400 Wrong password
 * throw xlinkError('ACCESS_DENIED', { msg: 'Device is offline', headers: { 'Retry-After': '30' } });
 */
export function xlinkError<K extends XlinkErrorKey>(key: K, options?: XlinkErrorOptions): XlinkError<XlinkNameOfKey<K>> {
  return new XlinkError(key, options) as XlinkError<XlinkNameOfKey<K>>;
}

// For xlink-errors/client's relayXlinkError, whose path cannot import this module (see factory.ts).
publishXlinkErrorFactory(xlinkError);

/**
 * Whether a value is an `XlinkError`, from this copy of the package or another one.
 * A plain `Error` that merely has an Xlink `code` is not. Never throws.
 *
 * @example
 * if (isXlinkError(err) && err.errorName === 'DEVICE_NOT_FOUND') { ... }
 */
export function isXlinkError(value: unknown): value is XlinkError {
  try {
    return typeof value === 'object' && value !== null && (value as { [MARKER]?: unknown })[MARKER] === true;
  } catch {
    return false; // a Proxy whose traps throw
  }
}

/** Whether an error is an instance of this very copy's class, so its fields can be trusted. */
export function isOwnXlinkError(value: unknown): boolean {
  return Function.prototype[Symbol.hasInstance].call(XlinkError, value) as boolean;
}

/** The catalog entry of an error made by this copy. */
export function recordOf(err: XlinkError): CatalogRecord {
  return findCatalogRecord(err.errorName)!;
}
