import type { ServerResponse } from 'node:http';
import type { XlinkReply } from './respond.js';

/** Sets the error's own headers and, when the language was negotiated, `Vary: Accept-Language`. */
export function setReplyHeaders(res: ServerResponse, reply: XlinkReply): void {
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
