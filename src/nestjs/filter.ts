import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { acceptedLanguage } from '../core/language.js';
import type { XlinkError } from '../core/error.js';
import { report } from '../core/hooks.js';
import { requireOptional } from '../core/runtime.js';
import { writeReply } from '../core/node-response.js';
import { sendThroughReply, type XlinkReplyLike } from '../core/reply-response.js';
import { createResponder, type XlinkAdapter, type XlinkHandlerOptions, type XlinkResponder } from '../core/respond.js';

/**
 * What every Nest HTTP platform's request has (Express's `Request`, Fastify's `FastifyRequest`):
 * the request type `onError` gets unless the filter is given the platform's own, e.g.
 * `new XlinkExceptionFilter<FastifyRequest>({ onError: (err, xlinkErr, req) => ... })`.
 */
export interface XlinkNestRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

/** Options of `XlinkExceptionFilter`: those of the other handlers; `onError` gets the platform's request. */
export type XlinkNestOptions<Req = XlinkNestRequest> = XlinkHandlerOptions<Req>;

/** Nest's own logger for unknown errors: the context name Nest's `BaseExceptionFilter` logs them under. */
const logger = new Logger('ExceptionsHandler');

const nest: XlinkAdapter<unknown> = {
  name: 'XlinkExceptionFilter',
  // Both platforms' requests carry Node's headers; the core's negotiation is held to negotiator's (Express's acceptsLanguages).
  acceptsLanguages: (request, offered) => acceptedLanguage((request as { headers: IncomingHttpHeaders }).headers['accept-language'], offered),
  // 503s are logged with Nest's Logger, as Nest logs the errors its own filter does not know;
  // 4xx are the client's business, as Nest leaves its HttpExceptions unlogged.
  defaultOnError: (err, xlinkErr) => {
    if (xlinkErr.status < 500) return;
    logger.error(errorToLog(err, xlinkErr));
  },
};

/**
 * A `@Catch()` exception filter that answers every exception of an HTTP context with the Xlink
 * envelope, on platform-express and platform-fastify alike: `XlinkError`s as they are; Nest's
 * `HttpException`s by their status (`NotFoundException` and the unknown-route 404: 404 4041001;
 * 401 and 403: 403 4031001; `BadRequestException` and any other 4xx: 400 4001001; 5xx: 503);
 * body parser failures (bad JSON, too large): 400 4001001; anything else: 503 5031001, logged with
 * Nest's `Logger` (4xx are not logged). Options are the other handlers' (`codeFormat`, `locale`,
 * `map`, `onError`); a bad one is a `TypeError` here. A non-HTTP context (microservices,
 * WebSockets, GraphQL) is left to Nest's own filter for it.
 *
 * @example
 * const app = await NestFactory.create(AppModule);
 * app.useGlobalFilters(new XlinkExceptionFilter({ locale: 'auto' }));
 * // a route that throws xlinkError('DEVICE_NOT_FOUND'):
 * // 404 {"error":{"code":4041008,"msg":"Device does not exist"}}
 */
export class XlinkExceptionFilter<Req = XlinkNestRequest> implements ExceptionFilter {
  readonly #respond: XlinkResponder<Req>;

  constructor(options?: XlinkNestOptions<Req>) {
    this.#respond = createResponder<Req>(options, nest as XlinkAdapter<Req>);
  }

  /** Called by Nest for each exception; answers it through the platform's response. */
  catch(exception: unknown, host: ArgumentsHost): unknown {
    const type = host.getType<string>();
    if (type !== 'http') return leaveToNest(exception, host, type);
    const http = host.switchToHttp();
    const request = http.getRequest<Req>();
    const response: unknown = http.getResponse();
    const nodeResponse = rawResponse(response);
    if (nodeResponse === undefined) {
      // Not a response of a platform this filter knows: Nest's own handling has a better chance.
      report('XlinkExceptionFilter: the response is neither a Node response nor a Fastify reply, so the error is left to Nest', exception);
      throw exception;
    }
    // Already answered (or hijacked): nothing can be replaced. The error is still reported; a
    // response cut off half-way is ended, as Express and Koa end it, so the client is not left waiting.
    if (nodeResponse.headersSent || (response as { sent?: unknown }).sent === true) {
      this.#respond(exception, request);
      if (!nodeResponse.writableEnded) nodeResponse.destroy();
      return;
    }
    const reply = this.#respond(exception, request);
    if (nodeResponse.destroyed || nodeResponse.writableEnded) return; // the client is gone; the error was still reported
    // The core decided (mapping, header policy, bytes); the platform's response writes. Express's
    // is a Node response: written in one chunk, as the Express handler writes. Fastify's reply
    // keeps headers of its own: sent through it, so that its onSend and onResponse hooks run.
    if (response === nodeResponse) writeReply(nodeResponse, methodOf(request) === 'HEAD', reply);
    else sendThroughReply(response as XlinkReplyLike, reply);
  }
}
Catch()(XlinkExceptionFilter);

/** The Node response under a platform's response: Express's is one; Fastify's reply has it as `raw`. */
function rawResponse(response: unknown): ServerResponse | undefined {
  if (isNodeResponse(response)) return response;
  const reply = response as Partial<XlinkReplyLike> | null | undefined;
  if (reply !== null && typeof reply === 'object' && typeof reply.send === 'function' && typeof reply.getHeaders === 'function' && isNodeResponse(reply.raw)) {
    return reply.raw;
  }
  return undefined;
}

function isNodeResponse(value: unknown): value is ServerResponse {
  const res = value as Partial<ServerResponse> | null | undefined;
  return res !== null && typeof res === 'object' && typeof res.writeHead === 'function' && typeof res.getHeaderNames === 'function';
}

function methodOf(request: unknown): unknown {
  return (request as { method?: unknown } | null | undefined)?.method;
}

/** What the default log shows: the thrown error itself when it is one, else our 503 (whose cause holds it). */
function errorToLog(err: unknown, xlinkErr: XlinkError): unknown {
  try {
    if (err instanceof Error) return err;
  } catch {
    // a Proxy whose traps throw: log our own error instead
  }
  return xlinkErr;
}

/** Nest's base filters of the other contexts, loaded when such a context first fails. */
interface BaseFilter {
  catch(exception: unknown, host: ArgumentsHost): unknown;
}
const baseFilters = new Map<string, BaseFilter | null>();

/**
 * A non-HTTP context is answered as Nest answers it without this filter: by Nest's base filter
 * of that context (`BaseRpcExceptionFilter` of @nestjs/microservices, `BaseWsExceptionFilter` of
 * @nestjs/websockets), or, for any other context (GraphQL), by rethrowing, as Nest's
 * `ExternalExceptionFilter` does.
 */
function leaveToNest(exception: unknown, host: ArgumentsHost, type: string): unknown {
  const base = baseFilterFor(type);
  if (base === null) throw exception;
  return base.catch(exception, host);
}

function baseFilterFor(type: string): BaseFilter | null {
  let base = baseFilters.get(type);
  if (base === undefined) {
    const [id, name] = type === 'rpc' ? ['@nestjs/microservices', 'BaseRpcExceptionFilter'] : type === 'ws' ? ['@nestjs/websockets', 'BaseWsExceptionFilter'] : [];
    const Filter = id === undefined ? undefined : (requireOptional(id) as Record<string, unknown> | undefined)?.[name!];
    base = typeof Filter === 'function' ? (new (Filter as new () => BaseFilter)() as BaseFilter) : null;
    baseFilters.set(type, base);
  }
  return base;
}
