import type { ErrorObject } from 'ajv';
import type { FastifyInstance, FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import type { Socket } from 'node:net';
import '../core/node-require.js';
import { acceptedLanguage } from '../core/language.js';
import { unansweredError } from '../core/unanswered.js';
import { createClientErrorHandler } from '../core/client-error.js';
import { calledByFramework, reportNotCalled } from '../core/factory.js';
import { writeReply } from '../core/node-response.js';
import { sendThroughReply } from '../core/reply-response.js';
import { createResponder, logServerErrors, type XlinkAdapter, type XlinkHandlerOptions, type XlinkReply } from '../core/respond.js';
import { validationError, type XlinkRequestPart } from '../core/validate.js';

/** Options of the plugin: those of the Express and Koa handlers; `onError` gets the Fastify request. */
export type XlinkFastifyOptions = XlinkHandlerOptions<FastifyRequest>;

/** The plugin's type: `await app.register(xlinkErrors, options)`. */
export type XlinkFastifyPlugin = FastifyPluginCallback<XlinkFastifyOptions>;

/** Fastify's names of the request parts it validates, as `err.validation.part` names them. */
const PARTS: Readonly<Record<string, XlinkRequestPart>> = { body: 'body', querystring: 'query', params: 'params', headers: 'headers' };

const fastify: XlinkAdapter<FastifyRequest> = {
  // The core's negotiation, held to negotiator's (Express's `accepts`): the same result.
  acceptsLanguages: (request, offered) => acceptedLanguage(request.headers['accept-language'], offered),
  // 503s go to the app's own logger, as Fastify's default error handler sends them; an app
  // created without a logger would lose them, so then they go to stderr as in Express.
  defaultOnError: (err, xlinkErr, request) => {
    if (xlinkErr.status < 500) return;
    const log = request.log;
    if (!hasLogger(log)) return logServerErrors(err, xlinkErr);
    log.error({ err: err instanceof Error ? err : xlinkErr }, 'xlink-errors: 503 Server exception');
  },
};

/**
 * Fastify plugin that answers, on the instance it is registered on and its children, anything
 * thrown with the Xlink envelope (the same mapping as Express and Koa), unknown routes with
 * 404 4041001, Fastify's schema validation failures with 400 4001002 (a missing or null
 * required field) or 4001001, and body parser failures (bad or empty JSON, too large,
 * unsupported type) with 400 4001001. Fastify 5; options as the other handlers.
 *
 * @example
 * import Fastify from 'fastify';
 * import xlinkErrors from 'xlink-errors/fastify';
 * import { xlinkError } from 'xlink-errors';
 *
 * const app = Fastify({ logger: true });
 * await app.register(xlinkErrors, { locale: 'auto' });
 * app.get('/v2/device/:id', async () => { throw xlinkError('DEVICE_NOT_FOUND'); });
 * // GET /v2/device/1 -> 404 {"error":{"code":4041008,"msg":"Device does not exist"}}
 */
function plugin(instance: FastifyInstance, options: XlinkFastifyOptions, done: (err?: Error) => void): void {
  let answer: Answer;
  try {
    answer = answerWith(pluginOptions(options));
  } catch (badOptions) {
    return done(badOptions as Error); // register() rejects with the TypeError that names the option
  }
  instance.setErrorHandler(function xlinkErrorHandler(error: unknown, request, reply) {
    answer(error, request, reply);
  });
  try {
    instance.setNotFoundHandler(function xlinkNotFound(request, reply) {
      answer(unansweredError(), request, reply);
    });
  } catch {
    // Fastify allows one not-found handler per prefix: one set already (the app's own, or this
    // plugin's in a sibling scope with the same prefix) is kept, and answers unknown routes there.
  }
  done();
}

type Answer = (thrown: unknown, request: FastifyRequest, reply: FastifyReply) => void;

/** The one way both the plugin and `xlinkFrameworkErrors()` answer an error. Checks the options. */
function answerWith(options: XlinkFastifyOptions | undefined): Answer {
  const respond = createResponder<FastifyRequest>(options, fastify);
  /** The replies an envelope was sent on: an error while sending it is a hook's (`onSend`). */
  const attempted = new WeakSet<FastifyReply>();
  // What Fastify calls when an `onSend` hook throws on the envelope: the hook's error answered
  // as any error (a 503), through the hooks once more; if they throw again, written without them.
  const retry = { func: (error: unknown, request: FastifyRequest, reply: FastifyReply) => answer(error, request, reply) };
  const direct = { func: (error: unknown, request: FastifyRequest, reply: FastifyReply) => writeDirect(reply, respond(error, request)) };
  function answer(thrown: unknown, request: FastifyRequest, reply: FastifyReply): void {
    const raw = reply.raw;
    // Already answered (or hijacked): nothing can be replaced. The error is still reported; a
    // response cut off half-way is ended, as Express and Koa end it, so the client is not left waiting.
    if (reply.sent || raw.headersSent) {
      respond(thrown, request);
      if (!raw.writableEnded) raw.destroy();
      return;
    }
    const xlinkReply = respond(fromValidation(thrown, request), request);
    if (raw.destroyed) return; // the client is gone; the error was still reported
    const again = attempted.has(reply);
    if (!again) attempted.add(reply);
    catchHookFailures(reply, again ? direct : retry);
    sendThroughReply(reply, xlinkReply);
  }
  return answer;
}

/** Fastify's key (a private symbol) for the error handler an error thrown after this one goes to. */
let nextErrorHandlerKey: symbol | undefined;

/**
 * An `onSend` hook that throws on the envelope makes Fastify hand the hook's error to the next
 * error handler up the chain: its own default, whose reply (`{"statusCode":...,"message":...}`,
 * the hook's message in it) is no envelope. So the handler that comes next, for this reply, is
 * ours: Fastify keeps it on the reply under a private symbol, found by its description (if a
 * later Fastify renames it, nothing changes but that, and hook failures get Fastify's answer).
 */
function catchHookFailures(reply: FastifyReply, next: object): void {
  nextErrorHandlerKey ??= Object.getOwnPropertySymbols(reply).find((key) => key.description === 'fastify.reply.nextErrorHandler');
  // Set by Fastify before it calls an error handler; absent when the not-found handler answers
  // (a hook failure then goes to this instance's error handler: ours).
  if (nextErrorHandlerKey !== undefined && Object.prototype.hasOwnProperty.call(reply, nextErrorHandlerKey)) {
    (reply as unknown as Record<symbol, unknown>)[nextErrorHandlerKey] = next;
  }
}

/** The envelope written on the Node response, past the hooks (they failed on it twice). */
function writeDirect(reply: FastifyReply, xlinkReply: XlinkReply): void {
  const raw = reply.raw;
  if (raw.headersSent || raw.destroyed) return void raw.destroy();
  // The headers Fastify holds for the reply (CORS, request ids) go out too, as on any error reply.
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    try {
      if (value !== undefined) raw.setHeader(name, value);
    } catch {
      // a header Node refuses: left out
    }
  }
  writeReply(raw, reply.request.method === 'HEAD', xlinkReply);
}

/**
 * The plugin: `await app.register(xlinkErrors, options)`. Wrapped with `fastify-plugin`, so its
 * handlers apply to the instance it is registered on (and that instance's children), not to a
 * scope of its own.
 */
export const xlinkErrors: XlinkFastifyPlugin = fastifyPlugin(plugin, { fastify: '5.x', name: 'xlink-errors' });
export default xlinkErrors;

/**
 * For Fastify's `frameworkErrors` option: the failures Fastify answers before any route or
 * error handler runs (a malformed URL such as `/%`, `FST_ERR_BAD_URL`; a failed async route
 * constraint) get the envelope too, with the same options as the plugin.
 *
 * @example
 * const app = Fastify({ frameworkErrors: xlinkFrameworkErrors() });
 * await app.register(xlinkErrors);
 * // GET /device/% -> 400 {"error":{"code":4001001,"msg":"Requested variable verification failed"}}
 */
export function xlinkFrameworkErrors(options?: XlinkFastifyOptions): (error: unknown, request: FastifyRequest, reply: FastifyReply) => void {
  if (calledByFramework(arguments)) {
    // `Fastify({ frameworkErrors: xlinkFrameworkErrors })`: Fastify calls this with (error, request, reply).
    reportNotCalled('xlinkFrameworkErrors', 'Fastify({ frameworkErrors: xlinkFrameworkErrors() })');
    (defaultFrameworkErrors ??= xlinkFrameworkErrors())(arguments[0], arguments[1] as FastifyRequest, arguments[2] as FastifyReply);
    return undefined as never; // Fastify ignores what it returns
  }
  const answer = answerWith(pluginOptions(options));
  return function xlinkFrameworkErrors(error, request, reply) {
    answer(error, request, reply);
  };
}

/**
 * For Fastify's `clientErrorHandler` option: a request Node's HTTP parser refuses (a bad method,
 * a header line without a colon, headers over the size limit, a broken chunked body) never
 * reaches Fastify's routes or error handlers, and Fastify answers it in its own format
 * (`{"error":"Bad Request","message":"Client Error","statusCode":400}`). This answers 400 4001001
 * as an envelope on the socket, which then closes. Options: `codeFormat` and `locale` (`'auto'`
 * has no request to negotiate from: English).
 *
 * @example
 * const app = Fastify({ clientErrorHandler: xlinkClientErrorHandler(), frameworkErrors: xlinkFrameworkErrors() });
 * await app.register(xlinkErrors);
 * // "G@T / HTTP/1.1" -> 400 {"error":{"code":4001001,"msg":"Requested variable verification failed"}}
 */
export function xlinkClientErrorHandler(options?: Pick<XlinkFastifyOptions, 'codeFormat' | 'locale'>): (error: Error, socket: Socket) => void {
  if (calledByFramework(arguments)) {
    // `Fastify({ clientErrorHandler: xlinkClientErrorHandler })`: called with (error, socket).
    reportNotCalled('xlinkClientErrorHandler', 'Fastify({ clientErrorHandler: xlinkClientErrorHandler() })');
    (defaultClientErrors ??= createClientErrorHandler(undefined))(arguments[0], arguments[1] as Socket);
    return undefined as never; // Fastify ignores what it returns
  }
  const answer = createClientErrorHandler(options);
  return function xlinkClientErrorHandler(error, socket) {
    answer(error, socket);
  };
}

/** The handlers with the default options, for a factory that Fastify called as the handler. */
let defaultFrameworkErrors: ((error: unknown, request: FastifyRequest, reply: FastifyReply) => void) | undefined;
let defaultClientErrors: ((error: unknown, socket: Socket) => void) | undefined;

/** Fastify hands every plugin an options object (`{}` when none was given); only ours are checked. */
function pluginOptions(options: XlinkFastifyOptions | undefined): XlinkFastifyOptions | undefined {
  if (options === undefined || options === null || typeof options !== 'object') return options;
  const { codeFormat, locale, map, onError } = options;
  return { codeFormat, locale, map, onError };
}

/**
 * Fastify's schema validation failure (`FST_ERR_VALIDATION` with ajv's `validation` array)
 * becomes the error `xlinkValidate()` throws in Express and Koa, made by the same core function:
 * 4001002 for a missing or null required field, 4001001 otherwise, `err.validation = { part,
 * errors }` without the submitted values, and Fastify's error as `cause`. Decided by the error's
 * code and ajv's keywords, never by message text. Anything else is returned as it is, for the
 * default mapping (Fastify's body parser errors carry 400, 413 or 415: 4001001).
 */
function fromValidation(thrown: unknown, request: FastifyRequest): unknown {
  let code: unknown, validation: unknown, context: unknown;
  try {
    if (!(thrown instanceof Error)) return thrown;
    ({ code, validation, validationContext: context } = thrown as Error & Record<string, unknown>);
  } catch {
    return thrown; // a hostile getter: the default mapping copes
  }
  if (code !== 'FST_ERR_VALIDATION') return thrown;
  const part = (typeof context === 'string' ? PARTS[context] : undefined) ?? 'body';
  // A validator of another kind (a type provider's own) reports no ajv errors: 4001001.
  const errors = Array.isArray(validation) ? validation.filter(isAjvError) : [];
  return validationError(part, errors, dataOf(request, part), { cause: thrown });
}

function isAjvError(value: unknown): value is ErrorObject {
  return typeof value === 'object' && value !== null && typeof (value as ErrorObject).instancePath === 'string' && typeof (value as ErrorObject).keyword === 'string';
}

/** The validated data, as the route sees it (Fastify's ajv coerces and fills defaults in place). */
function dataOf(request: FastifyRequest, part: XlinkRequestPart): unknown {
  return part === 'body' ? request.body : part === 'query' ? request.query : part === 'params' ? request.params : request.headers;
}

/**
 * Whether the request logs somewhere: Fastify made without a logger gives every request its
 * no-op logger (abstract-logging: one no-op for every level, and no `level`).
 */
function hasLogger(log: FastifyRequest['log']): boolean {
  return typeof log.level === 'string' || log.error !== log.info || log.error !== log.fatal;
}
