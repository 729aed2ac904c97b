import { recordOf, XlinkError } from './error.js';
import { callOnError, report } from './hooks.js';
import { mapFailureOf, toXlinkError, type XlinkErrorMapper } from './map.js';
import { bodyOf, type WireBody, type XlinkCodeFormat, type XlinkLanguage } from './wire.js';
import type { XlinkHeaders } from './headers.js';

/** `'en'`, `'zh-CN'`, or `'auto'`: chosen per request from `Accept-Language`. */
export type XlinkLocale = XlinkLanguage | 'auto';

/** Options of both handlers (Express and Koa). */
export interface XlinkHandlerOptions<Ctx = unknown> {
  /** `'number'` (default): `"code":4041008`; `'string'`: `"code":"4041008"`. */
  readonly codeFormat?: XlinkCodeFormat;
  /** Language of catalog messages: `'en'` (default), `'zh-CN'`, or `'auto'` (per request, adds `Vary: Accept-Language`). */
  readonly locale?: XlinkLocale;
  /** Maps foreign errors: return an `XlinkError` or a catalog key, or `undefined` for the defaults. */
  readonly map?: XlinkErrorMapper;
  /**
   * Called for every error handled (a logging hook). Default: 503s are printed to stderr,
   * 4xx are silent. Synchronous: the response does not wait for it. What it throws, or the
   * rejection of a promise it returns anyway, is reported to stderr and does not change the
   * response; an `async` function does not compile (start your async work inside, with its
   * own `.catch`).
   */
  readonly onError?: (err: unknown, xlinkErr: XlinkError, reqOrCtx: Ctx) => XlinkSyncResult;
}

/**
 * What a synchronous hook may return: anything but a promise (a logger's return value is fine),
 * so that TypeScript refuses an `async` hook whose failures nobody would wait for.
 */
export type XlinkSyncResult = void | undefined | null | string | number | boolean | bigint | symbol | (object & { then?: never });

/** What to send for one error: computed by the core, written by an adapter. */
export interface XlinkReply {
  readonly error: XlinkError;
  readonly status: number;
  readonly body: WireBody;
  readonly headers: XlinkHeaders | undefined;
  /** Whether the language was negotiated, so the response must say `Vary: Accept-Language`. */
  readonly vary: boolean;
}

/** Turns a thrown value into the reply for one request; made once per handler. */
export interface XlinkResponder<Ctx> {
  (thrown: unknown, reqOrCtx: Ctx): XlinkReply;
  /**
   * For an error that came after the response started, which the framework reports itself
   * (Express's finalhandler, Koa's `app.on('error')`): maps it and calls the user's `onError`,
   * so that a logging hook hears of every error; the default `onError` stays quiet, since the
   * framework's own report is the log.
   */
  readonly late: (thrown: unknown, reqOrCtx: Ctx) => void;
}

/** What an adapter tells the core about its framework. */
export interface XlinkAdapter<Ctx> {
  /** The framework's own `Accept-Language` negotiation (`req.acceptsLanguages`, `ctx.acceptsLanguages`). */
  readonly acceptsLanguages: (reqOrCtx: Ctx, offered: string[]) => unknown;
  /** The `onError` used when none is given. */
  readonly defaultOnError?: (err: unknown, xlinkErr: XlinkError, reqOrCtx: Ctx) => void;
  /** The name a bad option's `TypeError` starts with (default `xlinkErrorHandler`). */
  readonly name?: string;
}

/** The languages offered to the negotiation, English first so that no header means English. */
const OFFERED_LANGUAGES = ['en', 'zh-CN', 'zh'];

/**
 * Checks handler options once, when the handler is made (a `TypeError` names a bad one), and
 * returns the function both adapters call for each error.
 */
export function createResponder<Ctx>(options: XlinkHandlerOptions<Ctx> | undefined, adapter: XlinkAdapter<Ctx>): XlinkResponder<Ctx> {
  const { acceptsLanguages, defaultOnError = logServerErrors, name = 'xlinkErrorHandler' } = adapter;
  const { codeFormat = 'number', locale = 'en', map, onError = defaultOnError } = checkOptions(options, name);
  const mapOptions = { map };
  const fixedLanguage: XlinkLanguage | undefined = locale === 'auto' ? undefined : locale;

  const negotiate = (reqOrCtx: Ctx): XlinkLanguage => {
    try {
      const chosen = acceptsLanguages(reqOrCtx, OFFERED_LANGUAGES);
      return chosen === 'zh-CN' || chosen === 'zh' ? 'zh-CN' : 'en';
    } catch {
      return 'en'; // a header the negotiator chokes on: the default language
    }
  };

  const mapAndNotify = (thrown: unknown, reqOrCtx: Ctx, hook: typeof onError): XlinkError => {
    const error = toXlinkError(thrown, mapOptions);
    const mapFailure = map === undefined ? undefined : mapFailureOf(error);
    if (mapFailure !== undefined) report('map() failed, so the error is answered 503 Server exception', mapFailure);
    callOnError(hook, thrown, error, reqOrCtx);
    return error;
  };
  const userOnError = options?.onError;

  const respond = (thrown: unknown, reqOrCtx: Ctx): XlinkReply => {
    const error = mapAndNotify(thrown, reqOrCtx, onError);
    const language = fixedLanguage ?? negotiate(reqOrCtx);
    return { error, status: error.status, body: bodyOf(error, codeFormat, language), headers: error.headers, vary: fixedLanguage === undefined };
  };
  const late = (thrown: unknown, reqOrCtx: Ctx): void => {
    if (userOnError !== undefined) mapAndNotify(thrown, reqOrCtx, userOnError);
  };
  return Object.assign(respond, { late });
}

/** Checks handler options (a `TypeError`, naming the handler, for a bad one); `{}` for none. */
export function checkOptions<Ctx>(options: XlinkHandlerOptions<Ctx> | undefined, name = 'xlinkErrorHandler'): XlinkHandlerOptions<Ctx> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object') throw new TypeError(`${name}: options must be an object`);
  const { codeFormat, locale, map, onError } = options;
  if (codeFormat !== undefined && codeFormat !== 'number' && codeFormat !== 'string') {
    throw new TypeError(`${name}: codeFormat must be 'number' or 'string', got ${JSON.stringify(codeFormat)}`);
  }
  if (locale !== undefined && locale !== 'en' && locale !== 'zh-CN' && locale !== 'auto') {
    throw new TypeError(`${name}: locale must be 'en', 'zh-CN' or 'auto', got ${JSON.stringify(locale)}`);
  }
  if (map !== undefined && typeof map !== 'function') throw new TypeError(`${name}: map must be a function`);
  if (onError !== undefined && typeof onError !== 'function') throw new TypeError(`${name}: onError must be a function`);
  return options;
}

/** The default `onError`: 503s to stderr (with the original error's stack), 4xx are the client's business. */
export function logServerErrors(err: unknown, xlinkErr: XlinkError): void {
  if (xlinkErr.status < 500) return;
  let detail: unknown = xlinkErr; // its cause holds a non-error thrown value
  try {
    if (err instanceof Error) detail = err;
  } catch {
    // a Proxy whose traps throw: log our own error instead
  }
  // '503 Server exception', or a defined 5xx's status and message.
  report(`${xlinkErr.status} ${recordOf(xlinkErr).msg}`, detail);
}
