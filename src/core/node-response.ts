import type { ServerResponse } from 'node:http';
import './node-require.js';
import { applyErrorHeaders, statusText } from './header-policy.js';
import type { XlinkReply } from './respond.js';

/**
 * Writes a reply on the Node response, as both adapters do (Koa's own error responses are
 * written this way too): the headers as the error-header policy decides ({@link applyErrorHeaders};
 * `kept` as it takes it), the status with its own reason phrase, the JSON type and exact length,
 * and the precomputed body in one `end()`, joined to the headers in one chunk. HEAD gets the
 * same status and headers, and no body.
 */
export function writeReply(res: ServerResponse, head: boolean, reply: XlinkReply, kept?: readonly string[]): void {
  applyErrorHeaders(res, reply, kept);
  // writeHead with the body's precomputed flat list: merged with headers already set, and
  // cheaper than setHeader. (Node only reads the list; the shared, frozen one is safe.)
  try {
    res.writeHead(reply.status, statusText(reply.status), reply.body.head as string[]);
  } catch {
    // A header Node refuses at write time that the policy did not foresee: the envelope goes
    // out with its own headers only, rather than the error escaping into the framework.
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    if (reply.status >= 500) res.setHeader('Cache-Control', 'no-store');
    res.writeHead(reply.status, statusText(reply.status), reply.body.head as string[]);
  }
  // The body as a one-byte string: Node joins it to the status line and headers, one chunk.
  if (head) res.end();
  else res.end(reply.body.text, 'latin1');
}
