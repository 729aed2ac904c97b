// xlink-errors/web: the Xlink error contract for web-standard Request/Response handlers (Node 20+,
// Bun, Deno, Cloudflare Workers, Next.js route handlers). Nothing on this path imports a `node:`
// built-in or needs `require`.
import { readJsonBody, bodyLimitOf, type XlinkRequestJsonOptions } from '../core/body.js';
import { acceptedLanguage } from '../core/language.js';
import { createResponder, type XlinkAdapter, type XlinkHandlerOptions, type XlinkResponder } from '../core/respond.js';
import { typeName } from '../core/headers.js';
import { webResponse } from '../core/web-response.js';

// What a route needs, so that a Worker imports nothing else: the root entry's own functions and
// registry (the same module instances), not copies.
export { XLINK_ERRORS, type XlinkErrorName, type XlinkErrorCode, type XlinkErrorKey, type XlinkErrorRegister } from '../core/catalog.js';
export { defineXlinkErrors, type XlinkErrorDefinition, type XlinkDefinedErrors } from '../core/define.js';
export { XlinkError, xlinkError, isXlinkError, type XlinkErrorOptions } from '../core/error.js';
export { toXlinkError, type XlinkErrorMapper } from '../core/map.js';
export type { XlinkHandlerOptions, XlinkLocale } from '../core/respond.js';
export { XLINK_CONTENT_TYPE, type XlinkCodeFormat, type XlinkEnvelope } from '../core/wire.js';
export type { XlinkRequestJsonOptions } from '../core/body.js';

/** The web path's handler options: `onError` receives the request (`undefined` when none was given). */
export type XlinkWebOptions<Req extends Request = Request> = XlinkHandlerOptions<Req | undefined>;

/** Options of `xlinkResponse()`: the handler options plus the request being answered. */
export interface XlinkResponseOptions<Req extends Request = Request> extends XlinkWebOptions<Req> {
  /** The request: a HEAD gets no body; `locale: 'auto'` negotiates from its `Accept-Language`. */
  readonly request?: Req | undefined;
}

/** A web-standard fetch handler: Next.js route handlers, `Bun.serve`, `Deno.serve`, a Worker's `fetch`. */
export type XlinkFetchHandler<Req extends Request = Request, Rest extends unknown[] = unknown[]> = (request: Req, ...rest: Rest) => Promise<Response>;

const web: XlinkAdapter<Request | undefined> = {
  acceptsLanguages: (request, offered) => acceptedLanguage(request?.headers.get('accept-language'), offered),
};

/** Responders made for an options object, so that passing the same options again checks nothing. */
const responders = new WeakMap<object, XlinkResponder<Request | undefined>>();
let defaultResponder: XlinkResponder<Request | undefined> | undefined;

function responderFor(options: XlinkResponseOptions | undefined): XlinkResponder<Request | undefined> {
  if (options === undefined) return (defaultResponder ??= createResponder(undefined, web));
  if (options === null || typeof options !== 'object') throw new TypeError(`xlinkResponse: options must be an object, got ${typeName(options)}`);
  let respond = responders.get(options);
  if (respond === undefined) responders.set(options, (respond = createResponder(options, web)));
  return respond;
}

function checkRequest(request: unknown, caller: string): asserts request is Request | undefined {
  if (request === undefined) return;
  if (request === null || typeof request !== 'object' || typeof (request as Request).method !== 'string' || typeof (request as Request).headers?.get !== 'function') {
    throw new TypeError(`${caller}: request must be a web Request, got ${typeName(request)}`);
  }
}

function answer(respond: XlinkResponder<Request | undefined>, thrown: unknown, request: Request | undefined): Response {
  return webResponse(respond(thrown, request), request?.method === 'HEAD');
}

/**
 * The envelope `Response` for anything thrown, as the Express handler answers it: the same
 * status line, headers and bytes (`XlinkError`s as they are, foreign errors by the default
 * mapping or `map`, a 503 that never leaks). `request` makes a HEAD bodiless and lets
 * `locale: 'auto'` negotiate from `Accept-Language`.
 *
 * @example
 * export async function GET(request: Request) {
 *   try {
 *     return Response.json(await findDevice(request));
 *   } catch (err) {
 *     return xlinkResponse(err, { request }); // 404 {"error":{"code":4041008,"msg":"Device does not exist"}}
 *   }
 * }
 */
export function xlinkResponse(thrown: unknown, options?: XlinkResponseOptions): Response {
  const respond = responderFor(options);
  const request = options?.request;
  checkRequest(request, 'xlinkResponse');
  return answer(respond, thrown, request);
}

/**
 * Wraps a fetch handler: whatever it throws or rejects with, errors or not, is answered with
 * `xlinkResponse(thrown, { request })`. Options are the handler options, checked here, once.
 *
 * @example
 * export default { fetch: xlinkFetchHandler(async (request) => { throw xlinkError('DEVICE_NOT_FOUND'); }) };
 * Bun.serve({ fetch: xlinkFetchHandler(app) });
 * Deno.serve(xlinkFetchHandler(app));
 * export const GET = xlinkFetchHandler(async (request: Request) => Response.json(await findDevice(request)));
 */
export function xlinkFetchHandler<Req extends Request, Rest extends unknown[]>(
  handler: (request: Req, ...rest: Rest) => Response | PromiseLike<Response>,
  options?: XlinkWebOptions<Req>,
): XlinkFetchHandler<Req, Rest> {
  if (typeof handler !== 'function') throw new TypeError(`xlinkFetchHandler: handler must be a function (request) => Response, got ${typeName(handler)}`);
  const respond = createResponder<Req | undefined>(options, web);
  return async function xlinkFetchHandler(request: Req, ...rest: Rest): Promise<Response> {
    try {
      return await handler(request, ...rest);
    } catch (thrown) {
      return webResponse(respond(thrown, request), request?.method === 'HEAD');
    }
  };
}

/**
 * Reads a request's JSON body as Xlink clients send it, whatever its Content-Type says. No body
 * is `undefined`; bad JSON, a charset other than UTF-8, bytes that are not UTF-8, or more than
 * `options.limit` bytes (default 102,400: body-parser's `'100kb'`) throw 400 4001001.
 *
 * @example
 * const body = await xlinkRequestJson(request); // unknown: validate it before use
 * const body = await xlinkRequestJson(request, { limit: 1024 });
 */
export async function xlinkRequestJson(request: Request, options?: XlinkRequestJsonOptions): Promise<unknown> {
  const limit = bodyLimitOf(options, 'xlinkRequestJson');
  checkRequest(request, 'xlinkRequestJson');
  if (request === undefined) throw new TypeError('xlinkRequestJson: request must be a web Request, got undefined');
  return readJsonBody(request, limit);
}
