import type { ServerResponse } from 'node:http';
import type { XlinkReply } from './respond.js';

/**
 * Writes a reply on the Node response, as both adapters do (Koa's own error responses are
 * written this way too): status, the error's headers, the JSON type and exact length, and the
 * precomputed body in one `end()`. HEAD gets the same status and headers, and no body.
 */
export function writeReply(res: ServerResponse, head: boolean, reply: XlinkReply): void {
  setReplyHeaders(res, reply);
  // writeHead with the body's precomputed flat list: merged with headers already set, and
  // cheaper than setHeader. (Node only reads the list; the shared, frozen one is safe.)
  res.writeHead(reply.status, reply.body.head as string[]);
  res.end(head ? undefined : reply.body.bytes);
}

/** Sets the error's own headers and, when the language was negotiated, `Vary: Accept-Language`. */
function setReplyHeaders(res: ServerResponse, reply: XlinkReply): void {
  const { headers } = reply;
  if (headers !== undefined) for (const name of Object.keys(headers)) res.setHeader(name, headers[name]!);
  if (reply.vary) appendVary(res, 'Accept-Language');
}

/** Adds a field to `Vary` unless it (or `*`) is already there. */
function appendVary(res: ServerResponse, field: string): void {
  const current = res.getHeader('Vary');
  const text = Array.isArray(current) ? current.join(', ') : current === undefined ? '' : String(current);
  if (text === '') return void res.setHeader('Vary', field);
  const present = text.split(',').some((f) => {
    const name = f.trim().toLowerCase();
    return name === '*' || name === field.toLowerCase();
  });
  if (!present) res.setHeader('Vary', `${text}, ${field}`);
}
