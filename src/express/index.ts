import type { IncomingMessage, ServerResponse } from 'node:http';
import { xlinkError } from '../core/error.js';
import { createResponder, type XlinkAdapter, type XlinkHandlerOptions } from '../core/respond.js';
import { reportableError } from '../core/map.js';
import { writeReply } from '../core/node-response.js';
import { compileRequestSchemas, type XlinkValidateOptions, type XlinkValidateSchemas } from '../core/validate.js';

/** The parts of an Express request the package uses (Express 4 and 5 both have them). */
export interface ExpressLikeRequest extends IncomingMessage {
  acceptsLanguages?(languages: string[]): string | false;
  body?: unknown;
  query?: unknown;
  params?: unknown;
}

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
export function xlinkErrorHandler<Req extends ExpressLikeRequest = ExpressLikeRequest>(options?: XlinkHandlerOptions<Req>): XlinkExpressErrorHandler<Req> {
  const respond = createResponder<Req>(options, express);
  // Four parameters: that is how Express tells error middleware apart.
  return function xlinkErrorHandler(err, req, res, next) {
    // Headers already went out: the response can't be replaced; Express ends the connection.
    if (res.headersSent) return next(reportableError(err));
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
  return function xlinkNotFound(_req, _res, next) {
    next(xlinkError('URL_NOT_FOUND', { stack: false }));
  };
}

const express: XlinkAdapter<ExpressLikeRequest> = {
  acceptsLanguages: (req, offered) => req.acceptsLanguages?.(offered),
};
/**
 * Express middleware that validates the request against JSON Schemas (compiled once, here) and
 * passes on 400 4001002 `PARAM_NULL` for a missing or null required field, or 400 4001001
 * `PARAM_VERIFICATION_FAILED` for any other violation. Query strings and route params are
 * coerced to the schema's types and defaults are applied, so the route sees `?limit=10` as the
 * number 10. Mount it on the route, after a body parser.
 *
 * @example
 * app.post('/v2/user_auth', express.json({ type: () => true }),
 *   xlinkValidate({ body: { type: 'object', required: ['corp_id', 'password'], properties: { ... } } }),
 *   login);
 */
export function xlinkValidate(schemas: XlinkValidateSchemas, options?: XlinkValidateOptions): XlinkExpressMiddleware {
  const checks = compileRequestSchemas(schemas, options);
  return function xlinkValidate(req, _res, next) {
    try {
      for (const { part, check } of checks) {
        if (part === 'body') req.body = check(req.body === undefined ? {} : req.body);
        // Express 5 parses req.query anew on each read: keep the coerced copy as an own property.
        else if (part === 'query') Object.defineProperty(req, 'query', { value: check(req.query ?? {}), writable: true, configurable: true, enumerable: true });
        else if (part === 'params') check(req.params ?? {});
        else check({ ...req.headers }); // headers are checked, never rewritten
      }
    } catch (err) {
      return next(err);
    }
    next();
  };
}
