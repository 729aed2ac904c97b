import type { ServerResponse } from 'node:http';
import { isXlinkError } from '../core/error.js';
import { reportableError } from '../core/map.js';
import { unansweredError } from '../core/unanswered.js';
import { calledByFramework, notCalledError } from '../core/factory.js';
import { writeReply } from '../core/node-response.js';
import { createResponder, logServerErrors, type XlinkAdapter, type XlinkHandlerOptions, type XlinkReply } from '../core/respond.js';
import { compileRequestSchemas, runPartChecks, type XlinkRequestPart, type XlinkSchemaType, type XlinkValidateOptions, type XlinkValidateSchemas } from '../core/validate.js';

/** The parts of a Koa context the handler uses (Koa 2 and 3 both have them). */
export interface KoaLikeContext {
  readonly method: string;
  status: number;
  body: unknown;
  readonly headerSent: boolean;
  readonly writable: boolean;
  respond?: boolean;
  readonly res: ServerResponse;
  readonly app: {
    emit(event: 'error', err: unknown, ctx: never): boolean;
    listeners?(event: 'error'): unknown[];
    /** Koa's own default `error` listener, which prints to stderr unless `app.silent`. */
    onerror?: unknown;
    silent?: boolean;
  };
  acceptsLanguages(languages: string[]): string | false;
  /** Koa's error handler of the context; see the stream guard below. */
  onerror(err: unknown): void;
}

/** The parts of a Koa context `xlinkValidate()` reads: a body parser's `ctx.request.body`, `ctx.query`, the router's `ctx.params`. */
export interface KoaLikeRequestContext {
  readonly request: { body?: unknown; params?: unknown };
  readonly query: unknown;
  params?: unknown;
  readonly headers: unknown;
}

/** `true` for `any` (what a type import of a package that is not installed gives, under `@ts-ignore`). */
type IsAny<T> = 0 extends 1 & T ? true : false;

// Koa's own context, where @types/koa is installed. The import is ignored where it is not (an
// Express-only user), leaving `any`, and then the package's own `KoaLikeContext` is used.
/** @ts-ignore `any` unless @types/koa is installed */
type InstalledKoaContext = import('koa').ParameterizedContext;

/**
 * The context `onError` receives from the Koa handler: Koa's own `ParameterizedContext` when
 * `@types/koa` is installed (so `ctx.path`, `ctx.state` are typed in an inline hook), else
 * `KoaLikeContext`.
 *
 * @example
 * app.use(xlinkErrorHandler({ onError: (err, xlinkErr, ctx) => logger.warn({ code: xlinkErr.code, path: ctx.path }) }));
 */
export type XlinkKoaContext = IsAny<InstalledKoaContext> extends true ? KoaLikeContext : InstalledKoaContext;

// Koa's own `Context` where @types/koa is installed (`unknown` where it is not): the validated
// parts are typed on top of it, so that the context type is a subtype of what other middleware of
// the same route take (`@koa/bodyparser`'s `bodyParser()` takes `Koa.Context`): @koa/router infers
// one context type for all of a route's middleware, the most specific one, which is then ours.
/** @ts-ignore `any` unless @types/koa is installed */
type InstalledKoaPlainContext = import('koa').Context;
type KoaContextBase = IsAny<InstalledKoaPlainContext> extends true ? unknown : InstalledKoaPlainContext;

/**
 * What Koa's `xlinkValidate()` returns: middleware whose context type carries the validated parts
 * (`ctx.request.body`, `ctx.query`, `ctx.params`), so that `@koa/router` types the handlers
 * after it from the schemas, a per-route body parser before it included. A part without a schema
 * is left as Koa and the router type it.
 *
 * @example
 * router.get('/v2/share/device/list', xlinkValidate({ query: { type: 'object', properties: { limit: { type: 'integer' } } } }),
 *   (ctx) => { ctx.body = { limit: ctx.query.limit }; }); // number | undefined
 */
export type XlinkKoaValidateMiddleware<S extends XlinkValidateSchemas = XlinkValidateSchemas> = (
  ctx: KoaContextBase &
    (S extends { readonly body: infer B } ? { request: { body: XlinkSchemaType<B> } } : unknown) &
    (S extends { readonly query: infer Q } ? { query: XlinkSchemaType<Q> } : unknown) &
    (S extends { readonly params: infer P } ? { params: XlinkSchemaType<P> } : unknown),
  next: () => Promise<unknown>,
) => Promise<void>;

/** Koa middleware: `(ctx, next)`. */
export type XlinkKoaMiddleware<Ctx extends KoaLikeContext = KoaLikeContext> = (ctx: Ctx, next: () => Promise<unknown>) => Promise<void>;

const koa: XlinkAdapter<KoaLikeContext> = {
  acceptsLanguages: (ctx, offered) => ctx.acceptsLanguages(offered),
  // 503s are also emitted on `app.on('error')`. When Koa's own default listener is the only
  // one, it prints them to stderr (unless `app.silent`): that is the 503 log, printed once.
  // When the app has listeners of its own, Koa's is not installed, so the default logs as in Express.
  defaultOnError: (err, xlinkErr, ctx) => {
    if (xlinkErr.status < 500) return;
    const { app } = ctx;
    const listeners = app.listeners?.('error') ?? [];
    const koaLogs = listeners.length === 1 && listeners[0] === app.onerror;
    if (!koaLogs) logServerErrors(err, xlinkErr);
  },
};

/**
 * Koa middleware that answers anything thrown downstream (`ctx.throw()` and `ctx.assert()`
 * included) with the Xlink envelope, and a request nobody answered with 404 4041001.
 * Mount it first. Works with Koa 2 and 3; same options as the Express handler.
 *
 * @example
 * const app = new Koa();
 * app.use(xlinkErrorHandler());
 * router.get('/v2/device/:id', (ctx) => { throw xlinkError('DEVICE_NOT_FOUND'); });
 * app.use(router.routes());
 */
// The returned middleware takes any Koa-like context, so that it mounts on whichever Koa types
// the app has.
export function xlinkErrorHandler(options?: XlinkHandlerOptions<XlinkKoaContext>): XlinkKoaMiddleware;
/** With a context type of your own for `onError`. */
export function xlinkErrorHandler<Ctx extends KoaLikeContext>(options?: XlinkHandlerOptions<Ctx>): XlinkKoaMiddleware<Ctx>;
export function xlinkErrorHandler<Ctx extends KoaLikeContext>(options?: XlinkHandlerOptions<Ctx>): XlinkKoaMiddleware<Ctx> {
  // `app.use(xlinkErrorHandler)`: Koa calls this with (ctx, next); every request would be 404.
  if (calledByFramework(arguments)) throw notCalledError('xlinkErrorHandler', 'app.use(xlinkErrorHandler())');
  const respond = createResponder<Ctx>(options, koa);

  /** `kept`: the names of the headers set before the handler ran, which stay on the error response. */
  function answerThrown(ctx: Ctx, thrown: unknown, kept: readonly string[]): void {
    // The response has started (or the socket is gone): it can't be replaced, and Koa's own
    // onerror, which reports it, would leave the connection open. End it as Express does,
    // so the client sees a cut-off response rather than waiting; nothing is written twice.
    if (ctx.headerSent || !ctx.writable) {
      if (!ctx.res.writableEnded) ctx.res.destroy();
      respond.late(thrown, ctx); // Koa reports it; a user's onError still hears of it
      throw reportableError(thrown);
    }
    const reply = respond(thrown, ctx);
    if (reply.status >= 500) emitServerError(ctx, thrown, reply);
    // As Koa's own onerror, the headers the failed downstream set go; unlike it, those set
    // before the handler (CORS, request ids) stay. Written directly, as Koa's own onerror
    // does; Koa then finds the response ended.
    writeReply(ctx.res, ctx.method === 'HEAD', reply, kept);
  }

  /**
   * Koa sends the body after the middleware has returned, in its own `respond()`, and calls
   * `ctx.onerror` for what fails there: a JSON body that cannot be serialised (a BigInt, a cycle,
   * a throwing `toJSON`), a stream that fails. Before the headers went out, that error gets the
   * envelope too (503 5031001, as on Express and Fastify); after, the connection is ended (Koa
   * alone would leave it open) and Koa reports the error. Koa serialises the body once, as ever.
   */
  function guardRespond(ctx: Ctx, kept: readonly string[]): void {
    const koaOnerror = ctx.onerror;
    let reported: unknown;
    ctx.onerror = (err: unknown) => {
      // Koa 3 reports a failed pipe twice (from the pipeline and from on-finished): once is enough.
      if (err == null || err === reported) return;
      reported = err;
      try {
        answerThrown(ctx, err, kept);
      } catch {
        koaOnerror.call(ctx, reportableError(err));
      }
    };
  }

  function answerUnanswered(ctx: Ctx, kept: readonly string[]): void {
    // A body Koa has yet to serialise or pipe (any object: JSON, a stream; a string or a Buffer can't fail).
    const body = ctx.body;
    if (body !== null && typeof body === 'object' && !Buffer.isBuffer(body)) return guardRespond(ctx, kept);
    // An error status with no body: Koa's default 404 when nobody answered (the Xlink "URL not
    // found"), or a status set by middleware such as the router's 405, or its 501 for a method no
    // route implements (404 too: the core's rule for unanswered requests). Koa would send its
    // status text; the Xlink client gets the envelope.
    // Nothing failed, so the headers set stay (the router's Allow), but for the body-describing ones.
    if (ctx.body == null && ctx.status >= 400 && ctx.respond !== false && ctx.writable && !ctx.headerSent) {
      writeReply(ctx.res, ctx.method === 'HEAD', respond(unansweredError(ctx.status), ctx));
    }
  }

  // `then` rather than async/await: one promise less on every request.
  return function xlinkErrorHandler(ctx, next) {
    // What is set by now was set upstream (CORS, request ids): it stays on an error response.
    // Usually nothing (the handler comes first): an empty list.
    const kept = ctx.res.getHeaderNames();
    let downstream: Promise<unknown>;
    try {
      downstream = next();
    } catch (thrown) {
      downstream = Promise.reject(thrown);
    }
    return downstream.then(
      () => answerUnanswered(ctx, kept),
      (thrown: unknown) => answerThrown(ctx, thrown, kept),
    );
  };
}

/**
 * Koa middleware that validates `ctx.request.body`, `ctx.query`, `ctx.params` and the headers
 * against JSON Schemas (compiled once, here) or Standard Schemas (zod, valibot, arktype; sync or
 * async), and throws 400 4001002 `PARAM_NULL` for a missing or null required field, or 400
 * 4001001 `PARAM_VERIFICATION_FAILED` for any other violation. Query and params are coerced to a
 * JSON Schema's types; defaults are applied; a Standard Schema's output replaces the part.
 *
 * @example
 * router.get('/v2/share/device/list', xlinkValidate({ query: { type: 'object', properties: { limit: { type: 'integer' } } } }), list);
 * router.post('/v2/user_auth', bodyParser(), xlinkValidate({ body: z.object({ corp_id: z.string(), password: z.string() }) }), login);
 */
export function xlinkValidate<const S extends XlinkValidateSchemas>(schemas: S, options?: XlinkValidateOptions): XlinkKoaValidateMiddleware<S> {
  const checks = compileRequestSchemas(schemas, options);
  return function xlinkValidate(context: unknown, next: () => Promise<unknown>): Promise<void> {
    const ctx = context as KoaLikeRequestContext;
    let pending: Promise<void> | undefined;
    try {
      pending = runPartChecks(checks, ctx, readPart, writePart);
    } catch (err) {
      return Promise.reject(err);
    }
    return pending === undefined ? next().then(nothing) : pending.then(next).then(nothing);
  };
}

const nothing = (): void => undefined;

/** What a part's schema checks (no body at all counts as `{}`; headers as a copy). */
function readPart(ctx: KoaLikeRequestContext, part: XlinkRequestPart): unknown {
  if (part === 'body') return ctx.request.body === undefined ? {} : ctx.request.body;
  if (part === 'query') return ctx.query; // Koa's cached parse: a JSON Schema coerces it in place
  if (part === 'params') return ctx.params ?? {};
  return { ...(ctx.headers as object) };
}

/** What the route is to see: the validated body, query and params; headers are checked, never rewritten. */
function writePart(ctx: KoaLikeRequestContext, part: XlinkRequestPart, value: unknown): void {
  if (part === 'body') ctx.request.body = value;
  else if (part === 'query') {
    // Koa's `query` setter would stringify it back: a Standard Schema's output (another object)
    // is kept as an own property of the request and of the context, where both getters are.
    if (value === ctx.query) return;
    for (const holder of [ctx.request, ctx]) Object.defineProperty(holder, 'query', { value, writable: true, configurable: true, enumerable: true });
  } else if (part === 'params') {
    ctx.params = value;
    if (ctx.request.params !== undefined) ctx.request.params = value; // @koa/router sets both
  }
}

/** As Koa does for errors it handles itself: the original error if it is one, else ours (which has it as cause). */
function emitServerError(ctx: KoaLikeContext, thrown: unknown, reply: XlinkReply): void {
  try {
    const reportable = reportableError(thrown);
    ctx.app.emit('error', isXlinkError(reportable) ? reply.error : reportable, ctx as never);
  } catch (listenerFailure) {
    try {
      console.error('xlink-errors: an app error listener threw:', listenerFailure);
    } catch {
      // nothing more can be done
    }
  }
}
