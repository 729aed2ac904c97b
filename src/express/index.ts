import type { IncomingMessage, ServerResponse } from 'node:http';
import { createResponder, type XlinkAdapter, type XlinkHandlerOptions } from '../core/respond.js';
import { reportableError } from '../core/map.js';
import { writeReply } from '../core/node-response.js';
import { unansweredError } from '../core/unanswered.js';
import { calledByFramework, notCalledError } from '../core/factory.js';
import { compileRequestSchemas, runPartChecks, type XlinkRequestPart, type XlinkRequestTypes, type XlinkValidateOptions, type XlinkValidateSchemas } from '../core/validate.js';

/** The parts of an Express request the package uses (Express 4 and 5 both have them). */
export interface ExpressLikeRequest extends IncomingMessage {
  acceptsLanguages?(languages: string[]): string | false;
  body?: unknown;
  query?: unknown;
  params?: unknown;
}

/** `true` for `any` (what a type import of a package that is not installed gives, under `@ts-ignore`). */
type IsAny<T> = 0 extends 1 & T ? true : false;

// Express's own Request, where @types/express is installed. The import is ignored where it is
// not (a Koa-only user), leaving `any`, and then the package's own `ExpressLikeRequest` is used.
/** @ts-ignore `any` unless @types/express is installed */
type InstalledExpressRequest = import('express').Request;

/**
 * The request `onError` receives from the Express handler: Express's own `Request` when
 * `@types/express` is installed (so `req.originalUrl`, `req.ip` are typed in an inline hook),
 * else `ExpressLikeRequest`.
 *
 * @example
 * app.use(xlinkErrorHandler({ onError: (err, xlinkErr, req) => logger.warn({ code: xlinkErr.code, url: req.originalUrl }) }));
 */
export type XlinkExpressRequest = IsAny<InstalledExpressRequest> extends true ? ExpressLikeRequest : InstalledExpressRequest;

/** Express error middleware: `(err, req, res, next)`. */
export type XlinkExpressErrorHandler<Req extends ExpressLikeRequest = ExpressLikeRequest> = (
  err: unknown,
  req: Req,
  res: ServerResponse,
  next: (err?: unknown) => void,
) => void;

/** Express middleware: `(req, res, next)`. */
export type XlinkExpressMiddleware = (req: ExpressLikeRequest, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * Express error middleware that answers anything thrown with the Xlink envelope.
 * Mount it after the routes. Works with Express 4 and 5.
 *
 * @example
 * app.get('/v2/device/:id', (req, res) => { throw xlinkError('DEVICE_NOT_FOUND'); });
 * app.use(xlinkNotFound());
 * app.use(xlinkErrorHandler());   // 404 {"error":{"code":4041008,"msg":"Device does not exist"}}
 */
// The returned handler takes any Express-like request, so that it mounts on whichever Express
// types the app has (two majors' types installed side by side, an app's own Request type).
export function xlinkErrorHandler(options?: XlinkHandlerOptions<XlinkExpressRequest>): XlinkExpressErrorHandler;
/** With a request type of your own for `onError` (an app's extended `Request`). */
export function xlinkErrorHandler<Req extends ExpressLikeRequest>(options?: XlinkHandlerOptions<Req>): XlinkExpressErrorHandler<Req>;
export function xlinkErrorHandler<Req extends ExpressLikeRequest>(options?: XlinkHandlerOptions<Req>): XlinkExpressErrorHandler<Req> {
  // `app.use(xlinkErrorHandler)`: Express calls this with (req, res, next); it would hang.
  if (calledByFramework(arguments)) throw notCalledError('xlinkErrorHandler', 'app.use(xlinkErrorHandler())');
  const respond = createResponder<Req>(options, express);
  // Four parameters: that is how Express tells error middleware apart.
  return function xlinkErrorHandler(err, req, res, next) {
    // Headers already went out: the response can't be replaced; Express ends the connection
    // and logs the error. A user's onError still hears of it.
    if (res.headersSent) {
      respond.late(err, req);
      return next(reportableError(err));
    }
    const reply = respond(err, req);
    if (res.destroyed || res.writableEnded) return; // the client is gone; the error was still reported
    // Headers the app set stay (CORS, request ids), but for those describing the body the
    // failed route meant to send: the core's header policy decides.
    writeReply(res, req.method === 'HEAD', reply);
  };
}

/**
 * Express middleware for unmatched routes: passes on 404 4041001 `URL not found`.
 * Mount it after the routes and before `xlinkErrorHandler()`.
 *
 * @example
 * app.use(xlinkNotFound());
 */
export function xlinkNotFound(): XlinkExpressMiddleware {
  if (calledByFramework(arguments)) throw notCalledError('xlinkNotFound', 'app.use(xlinkNotFound())');
  return function xlinkNotFound(_req, _res, next) {
    next(unansweredError());
  };
}

/**
 * What `xlinkValidate()` returns: Express middleware whose request type carries the validated
 * parts, so that Express's `app.get()`/`app.post()` type `req.body`, `req.query` and `req.params`
 * of the handlers after it from the schemas. A part without a schema is left as Express types it.
 *
 * @example
 * app.get('/v2/device/:id', xlinkValidate({ query: { type: 'object', properties: { limit: { type: 'integer' } } } }),
 *   (req, res) => res.json({ id: req.params.id, limit: req.query.limit })); // string, number | undefined
 */
export type XlinkValidateMiddleware<S extends XlinkValidateSchemas = XlinkValidateSchemas> = (
  req: IncomingMessage & XlinkRequestTypes<S>,
  res: ServerResponse,
  next: (err?: unknown) => void,
) => void;

const express: XlinkAdapter<ExpressLikeRequest> = {
  acceptsLanguages: (req, offered) => req.acceptsLanguages?.(offered),
};
/**
 * Express middleware that validates the request against JSON Schemas (compiled once, here) or
 * Standard Schemas (zod, valibot, arktype; sync or async) and passes on 400 4001002 `PARAM_NULL`
 * for a missing or null required field, or 400 4001001 `PARAM_VERIFICATION_FAILED` for any other
 * violation. Query strings and route params are coerced to a JSON Schema's types and defaults
 * are applied, so the route sees `?limit=10` as the number 10; a Standard Schema's output
 * (coerced, transformed, defaults) replaces the part. Mount it on the route, after a body parser.
 *
 * The handlers after it see the validated parts typed from the schemas (see `XlinkValidateMiddleware`).
 *
 * @example
 * app.post('/v2/user_auth', express.json({ type: () => true }),
 *   xlinkValidate({ body: { type: 'object', required: ['corp_id', 'password'], properties: { ... } } }),
 *   (req, res) => login(req.body.corp_id, req.body.password)); // both typed string
 * app.get('/v2/share/device/list', xlinkValidate({ query: z.object({ limit: z.coerce.number().int().default(20) }) }),
 *   (req, res) => res.json({ limit: req.query.limit })); // number
 */
export function xlinkValidate<const S extends XlinkValidateSchemas>(schemas: S, options?: XlinkValidateOptions): XlinkValidateMiddleware<S> {
  const checks = compileRequestSchemas(schemas, options);
  return function xlinkValidate(req: ExpressLikeRequest, _res: ServerResponse, next: (err?: unknown) => void) {
    let pending: Promise<void> | undefined;
    try {
      pending = runPartChecks(checks, req, readPart, writePart);
    } catch (err) {
      return next(err);
    }
    if (pending === undefined) return next();
    // An async Standard Schema: Express 4 does not await middleware, so the promise is settled here.
    pending.then(() => next(), (err: unknown) => next(err ?? new Error('a Standard Schema rejected with nothing')));
  };
}

/** What a part's schema checks (no body at all counts as `{}`; headers as a copy). */
function readPart(req: ExpressLikeRequest, part: XlinkRequestPart): unknown {
  if (part === 'body') return req.body === undefined ? {} : req.body;
  if (part === 'query') return req.query ?? {};
  if (part === 'params') return req.params ?? {};
  return { ...req.headers };
}

/** What the route is to see: the validated body, query and params; headers are checked, never rewritten. */
function writePart(req: ExpressLikeRequest, part: XlinkRequestPart, value: unknown): void {
  if (part === 'body') req.body = value;
  // Express 5 parses req.query anew on each read: keep the checked copy as an own property.
  else if (part === 'query') Object.defineProperty(req, 'query', { value, writable: true, configurable: true, enumerable: true });
  else if (part === 'params') req.params = value;
}
