import { isForeignHeaders } from './headers.js';
import type { XlinkReply } from './respond.js';

/**
 * Headers that describe a body or its transfer (lower-case). The envelope replaces whatever body
 * they described, so they never reach an error response, whoever set them: a route, a
 * middleware, the error itself. (`Content-Type` and `Content-Length` are written with the
 * envelope.) A `Trailer` left on a response with a `Content-Length` even makes Node's
 * `writeHead` throw.
 */
export const BODY_HEADERS: readonly string[] = [
  'content-encoding',
  'content-language',
  'content-range',
  'content-disposition',
  'etag',
  'last-modified',
  'trailer',
  'transfer-encoding',
];

/**
 * The header operations the policy needs. A Node `ServerResponse` is one as it is; an adapter
 * whose framework keeps headers elsewhere (Fastify's reply) wraps its own store in these five.
 */
export interface XlinkHeaderStore {
  getHeaderNames(): string[];
  hasHeader(name: string): boolean;
  getHeader(name: string): unknown;
  setHeader(name: string, value: string | number | readonly string[]): unknown;
  removeHeader(name: string): unknown;
}

/**
 * The one policy for the headers of an error response; every adapter path (a thrown error, an
 * error status set without a body, a stream that failed, HEAD) calls it before writing the
 * envelope:
 *
 * 1. `kept` given (Koa, an error thrown downstream): every header not named in it is removed,
 *    as Koa's own `onerror` does; what the middleware before the handler set (CORS, request
 *    ids) stays. Not given (Express; Koa's status set without a body): headers already set stay.
 * 2. The error's own headers are set. Those of a foreign error (already allow-listed) never
 *    replace a header the app set; those given to `xlinkError()` do.
 * 3. Headers that describe a body or a transfer ({@link BODY_HEADERS}) are removed.
 * 4. A 5xx gets `Cache-Control: no-store`: a route's caching policy is not the error's.
 * 5. A negotiated language adds `Accept-Language` to `Vary`.
 *
 * The adapter then writes the status with {@link statusText} and the envelope's own
 * `Content-Type` and `Content-Length`.
 *
 * @example
 * applyErrorHeaders(res, reply);                        // Express: keep what the app set
 * applyErrorHeaders(ctx.res, reply, namesAtEntry);      // Koa: drop what downstream set
 * res.writeHead(reply.status, statusText(reply.status), reply.body.head);
 */
export function applyErrorHeaders(store: XlinkHeaderStore, reply: XlinkReply, kept?: readonly string[]): void {
  // The usual error response starts with no header at all: then steps 1 and 3 have nothing to do.
  const names = store.getHeaderNames();
  // 1. Koa: what the failed downstream set describes another response.
  if (kept !== undefined) {
    for (const name of names) if (!kept.includes(name)) store.removeHeader(name);
  }
  // 2. The error's own headers; a foreign error's yield to the app's.
  const { headers } = reply;
  if (headers !== undefined) {
    const yieldToApp = isForeignHeaders(headers);
    for (const name of Object.keys(headers)) if (!(yieldToApp && store.hasHeader(name))) store.setHeader(name, headers[name]!);
  }
  // 3. Nothing that describes another body, or its transfer.
  if (names.length > 0 || headers !== undefined) {
    for (const name of BODY_HEADERS) if (store.hasHeader(name)) store.removeHeader(name);
  }
  // 4. A server error is never cached on the strength of what the route set.
  if (reply.status >= 500) store.setHeader('Cache-Control', 'no-store');
  // 5. The language was negotiated.
  if (reply.vary) appendVary(store, 'Accept-Language');
}

// The reason phrases are a table of their own (the web path imports no node:http).
export { statusText } from './status-text.js';

/** Adds a field to `Vary` unless it (or `*`) is already there. */
function appendVary(store: XlinkHeaderStore, field: string): void {
  const current = store.getHeader('Vary');
  const text = Array.isArray(current) ? current.join(', ') : current === undefined ? '' : String(current);
  if (text === '') return void store.setHeader('Vary', field);
  const present = text.split(',').some((f) => {
    const name = f.trim().toLowerCase();
    return name === '*' || name === field.toLowerCase();
  });
  if (!present) store.setHeader('Vary', `${text}, ${field}`);
}
