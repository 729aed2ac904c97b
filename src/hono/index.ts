// xlink-errors/hono: the Xlink error contract for Hono 4 (on Node, Bun, Deno, Workers). Like
// xlink-errors/web, nothing on this path imports a `node:` built-in or needs `require`; hono
// itself is only a type here (an optional peer).
import type { Context, Env, ErrorHandler, Input, MiddlewareHandler, Next, NotFoundHandler } from 'hono';
import { bodyLimitOf, checkBodyHeaders, checkBodySize, parseJsonBytes, type XlinkRequestJsonOptions } from '../core/body.js';
import { xlinkError } from '../core/error.js';
import { typeName } from '../core/headers.js';
import { acceptedLanguage } from '../core/language.js';
import { createResponder, type XlinkAdapter, type XlinkHandlerOptions, type XlinkReply } from '../core/respond.js';
import { compilePartCheck, type XlinkRequestPart, type XlinkSchemaType, type XlinkValidateOptions } from '../core/validate.js';
import { webResponse } from '../core/web-response.js';

// What a route needs, so that a Worker imports nothing else: the root entry's own functions and
// registry (the same module instances), not copies.
export { XLINK_ERRORS, type XlinkErrorName, type XlinkErrorCode, type XlinkErrorKey, type XlinkErrorRegister } from '../core/catalog.js';
export { defineXlinkErrors, type XlinkErrorDefinition, type XlinkDefinedErrors } from '../core/define.js';
export { XlinkError, xlinkError, isXlinkError, type XlinkErrorOptions } from '../core/error.js';
export { toXlinkError, type XlinkErrorMapper } from '../core/map.js';
export type { XlinkHandlerOptions, XlinkLocale } from '../core/respond.js';
export { XLINK_CONTENT_TYPE, type XlinkCodeFormat, type XlinkEnvelope } from '../core/wire.js';
export type { XlinkValidationError, XlinkValidationFailure, XlinkValidationIssue } from '../core/validate.js';

/** The handler options for Hono: `onError` receives the request's `Context`. */
export type XlinkHonoOptions<E extends Env = any> = XlinkHandlerOptions<Context<E>>;

const hono: XlinkAdapter<Context> = {
  acceptsLanguages: (c, offered) => acceptedLanguage(c.req.raw.headers.get('accept-language'), offered),
};

/** The Hono request's cached body, as `c.req.json()` read it: the text it parsed; `undefined` when it read none. */
async function cachedBodyText(c: Context): Promise<string | undefined> {
  // Hono's c.req.json() is JSON.parse(await c.req.text()), the text cached in c.req.bodyCache
  // (or made, uncached, from the first body cached under another key: an ArrayBuffer, a Blob).
  const cache = c.req.bodyCache as Record<string, unknown>;
  if (cache.text !== undefined) return String(await cache.text);
  for (const key in cache) {
    const body = await cache[key];
    if (body instanceof ArrayBuffer) return new TextDecoder().decode(body);
    if (body instanceof Blob) return body.text();
    return undefined;
  }
  return undefined;
}

/** `value instanceof SyntaxError`, false for a Proxy whose traps throw (answered 503 as any other value). */
function isSyntaxError(value: unknown): value is SyntaxError {
  try {
    return value instanceof SyntaxError;
  } catch {
    return false;
  }
}

/**
 * A `SyntaxError` that is the request body's parse failure (`c.req.json()`, or a JSON.parse of
 * `c.req.text()`): the client's fault, 400 4001001, its cause naming no byte of the body. Told
 * apart from any other JSON.parse that fails by parsing the body Hono cached again: the same
 * failure, with the same message. Only a SyntaxError pays for it; the success path, nothing.
 */
async function bodyFailureOf(thrown: SyntaxError, c: Context): Promise<unknown> {
  let text: string | undefined;
  try {
    text = await cachedBodyText(c);
  } catch {
    return thrown; // the body itself could not be read: not a parse failure of it
  }
  if (text === undefined) return thrown;
  try {
    JSON.parse(text);
  } catch (again) {
    if (again instanceof SyntaxError && again.message === thrown.message) {
      return xlinkError('PARAM_VERIFICATION_FAILED', { cause: new SyntaxError('xlink-errors: request body is not valid JSON'), stack: false });
    }
  }
  return thrown;
}

/**
 * What `xlinkErrorHandler()` returns: one function that Hono may call either way.
 * - `app.onError(xlinkErrorHandler())`: Hono's error handler, `(err, c)`. Hono's fastest path (a
 *   route that is its only handler skips compose()); Hono hands it the Errors thrown (an
 *   `HTTPException` included), not the values that are not errors, which it rethrows.
 * - `app.use(xlinkErrorHandler())`: middleware, `(c, next)`, mounted first: everything thrown after
 *   it, errors or not, whatever `app.onError` the app has.
 * Both at once answer each failure once: the middleware, when it ran; `app.onError` otherwise.
 */
export interface XlinkHonoErrorHandler<E extends Env = any> {
  /** As `app.onError(...)`: answers `err` with the envelope. */
  (err: Parameters<ErrorHandler<E>>[0], c: Context<E>): Response | Promise<Response>;
  /** As `app.use(...)`, first: answers whatever the middleware and routes after it throw. */
  (c: Context<E, any, any>, next: Next): Promise<void>;
}

/** Where the middleware keeps the failure it answered, for `c.error` to read. */
const failures = new WeakMap<object, unknown>();

/**
 * `c.error` as the middleware redefines it. Hono's compose catches an Error where it is thrown
 * and, recording it as `c.error` first, hands it to app.onError (whose default prints it).
 * Thrown again from there, it travels up through the middleware as a non-error does, to the
 * handler: app.onError never runs for it, and every middleware between sees the error itself, as
 * with no onError at all. One descriptor, its accessors made once, for every request: V8 then
 * keeps each Context on one shape (accessors made per request left every Context slower to use).
 */
const errorProperty: PropertyDescriptor = {
  configurable: true,
  enumerable: true,
  get(this: object): unknown {
    return failures.get(this); // still readable as c.error, for middleware that looks
  },
  set(this: object, thrown: unknown): never {
    failures.set(this, thrown);
    throw thrown;
  },
};

/**
 * Hono's error handler and error middleware in one (`app.onError(xlinkErrorHandler())`, or
 * `app.use(xlinkErrorHandler())` mounted first), answering with the Xlink envelope: Errors,
 * `HTTPException`s (by their status), bad JSON read with `c.req.json()` (400 4001001); as
 * middleware, values that are not errors as well (which Hono rethrows past `app.onError`),
 * whatever `app.onError` the app has. Headers set with `c.header()` before the throw stay
 * unless the header policy removes them (body headers; `no-store` on a 5xx). A 4xx is never
 * printed by Hono's default error handler; a 503 is reported once, by `onError` (default: stderr).
 *
 * @example
 * const app = new Hono();
 * app.onError(xlinkErrorHandler()); // Hono's fastest error path
 * app.use(xlinkErrorHandler());     // as well, first, if routes may throw values that are not errors
 * app.notFound(xlinkNotFound());
 * app.get('/v2/device/:id', () => { throw xlinkError('DEVICE_NOT_FOUND'); }); // 404 {"error":{"code":4041008,...}}
 */
export function xlinkErrorHandler<E extends Env = any>(options?: XlinkHonoOptions<E>): XlinkHonoErrorHandler<E> {
  const respond = createResponder<Context<E>>(options, hono);

  /** The envelope for `thrown`, with the headers the app set so far (the policy decides which stay). */
  const answer = (thrown: unknown, c: Context<E>): Response => {
    const reply: XlinkReply = respond(thrown, c);
    // c.newResponse() carries what `c.header()` set, and makes no c.res.
    const { headers } = c.newResponse(null);
    // Clear c.res: Hono merges the headers of a c.res into whatever replaces it (compose assigns
    // an app.onError's answer to c.res; the middleware assigns its own).
    c.res = undefined;
    return webResponse(reply, c.req.method === 'HEAD', headers);
  };

  async function middleware(c: Context<E>, next: Next): Promise<void> {
    Object.defineProperty(c, 'error', errorProperty);
    try {
      await next();
    } catch (thrown) {
      c.res = answer(isSyntaxError(thrown) ? await bodyFailureOf(thrown, c) : thrown, c);
    }
  }

  function onError(err: Error, c: Context<E>): Response | Promise<Response> {
    if (isSyntaxError(err)) return bodyFailureOf(err, c).then((thrown) => answer(thrown, c));
    return answer(err, c);
  }

  return function xlinkErrorHandler(first: Error | Context<E>, second: Context<E> | Next): Response | Promise<Response | void> {
    // Hono calls middleware with (c, next), its error handler with (err, c).
    return typeof second === 'function' ? middleware(first as Context<E>, second) : onError(first as Error, second);
  } as XlinkHonoErrorHandler<E>;
}

/**
 * For `app.notFound(...)`: 404 4041001 `URL not found`, with the handler options (`codeFormat`,
 * `locale`; `onError` hears of it as of any error).
 *
 * @example
 * app.notFound(xlinkNotFound());
 */
export function xlinkNotFound<E extends Env = any>(options?: XlinkHonoOptions<E>): NotFoundHandler<E> {
  const respond = createResponder<Context<E>>(options, hono);
  return function xlinkNotFound(c: Context<E>) {
    const reply = respond(xlinkError('URL_NOT_FOUND', { stack: false }), c);
    // The headers the app set so far (c.newResponse() carries them, and makes no c.res).
    return webResponse(reply, c.req.method === 'HEAD', c.newResponse(null).headers);
  } as NotFoundHandler<E>;
}

/** What `xlinkValidator` validates: Hono's targets (`cookie` aside). */
export type XlinkValidatorTarget = 'json' | 'form' | 'query' | 'param' | 'header';

/** A schema `xlinkValidator` takes: a JSON Schema (ajv, as `xlinkValidate`) or a Standard Schema (zod, valibot, arktype). */
export type XlinkValidatorSchema = object | boolean;

/** The type `c.req.valid(target)` gives for a schema: a Standard Schema's output, or the JSON Schema's type. */
export type XlinkValidatorOutput<S> = S extends { readonly '~standard': { readonly types?: infer T } }
  ? NonNullable<T> extends { readonly output: infer O }
    ? O
    : unknown
  : XlinkSchemaType<S>;

/** Options of `xlinkValidator()`: `xlinkValidate`'s, and the body `limit` of `'json'`. */
export interface XlinkValidatorOptions extends XlinkValidateOptions, XlinkRequestJsonOptions {}

const PART_OF: Readonly<Record<XlinkValidatorTarget, XlinkRequestPart>> = { json: 'body', form: 'body', query: 'query', param: 'params', header: 'headers' };

/** The one check of a part, the core's (as `xlinkValidate`'s): a JSON Schema compiled once, or a Standard Schema, sync or async. */
function checkerFor(schema: XlinkValidatorSchema, part: XlinkRequestPart, options: XlinkValidateOptions): (value: unknown) => unknown {
  return compilePartCheck('xlinkValidator', part, schema, options);
}

/** The raw value of a target, as Hono's own validator reads it (`'json'` whatever the Content-Type says). */
async function valueOf(c: Context, target: XlinkValidatorTarget, limit: number): Promise<unknown> {
  switch (target) {
    case 'json': {
      checkBodyHeaders(c.req.raw.headers, limit);
      const bytes = new Uint8Array(await c.req.arrayBuffer()); // Hono caches it: c.req.json() still works after
      checkBodySize(bytes.byteLength, limit);
      return parseJsonBytes(bytes) ?? {};
    }
    case 'form':
      return c.req.parseBody({ all: true });
    case 'query':
      return Object.fromEntries(Object.entries(c.req.queries()).map(([k, v]) => (v.length === 1 ? [k, v[0]] : [k, v])));
    case 'param':
      return c.req.param();
    case 'header':
      return c.req.header();
  }
}

/**
 * Hono validator middleware: validates one part of the request (`'json' | 'form' | 'query' |
 * 'param' | 'header'`) against a JSON Schema (compiled once, here) or a Standard Schema (zod,
 * valibot, arktype; sync or async), and types `c.req.valid(target)` from it (a Standard Schema's
 * output: its coercions, transforms and defaults are what the route sees). 400 4001002 `PARAM_NULL` for a missing or null required field, 400 4001001 otherwise
 * (as `xlinkValidate`); `'json'` reads the body as JSON whatever its Content-Type says. Query,
 * params and headers are coerced to the schema's types; defaults are applied.
 *
 * @example
 * app.post('/v2/user_auth',
 *   xlinkValidator('json', { type: 'object', required: ['corp_id', 'password'], properties: { corp_id: { type: 'string' }, password: { type: 'string' } } }),
 *   (c) => c.json(login(c.req.valid('json').corp_id)));
 */
export function xlinkValidator<T extends XlinkValidatorTarget, const S extends XlinkValidatorSchema, E extends Env = any, P extends string = string>(
  target: T,
  schema: S,
  options?: XlinkValidatorOptions,
): MiddlewareHandler<E, P, { in: { [K in T]: XlinkValidatorOutput<S> }; out: { [K in T]: XlinkValidatorOutput<S> } } & Input> {
  const part = PART_OF[target];
  if (part === undefined) throw new TypeError(`xlinkValidator: unknown target ${typeof target === 'string' ? JSON.stringify(target) : typeName(target)}; expected 'json', 'form', 'query', 'param' or 'header'`);
  const limit = bodyLimitOf(options, 'xlinkValidator');
  const check = checkerFor(schema, part, options ?? {});
  return async function xlinkValidator(c, next) {
    const valid = await check(await valueOf(c, target, limit));
    c.req.addValidatedData(target, valid as {});
    await next();
  };
}
