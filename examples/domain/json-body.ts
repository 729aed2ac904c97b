/**
 * The request body reader both example apps use, so they read bodies alike: JSON whatever the
 * Content-Type says (Xlink clients send it as text/plain, form-urlencoded or untyped), decided
 * once for both frameworks:
 * - no body, or only whitespace: `undefined` (required fields then answer 4001002);
 * - a UTF-8 byte order mark is skipped;
 * - a charset other than UTF-8 (or US-ASCII) is refused: 415, answered 4001001;
 * - bytes that are not UTF-8, JSON that does not parse, or JSON that is not an object or an
 *   array (`null`, `1`, `"x"`): 400, answered 4001001;
 * - more than `limit` bytes: 413, answered 4001001, without reading the rest into memory.
 */
import type { IncomingMessage } from 'node:http';
import createError from 'http-errors';

export const JSON_BODY_LIMIT = 100 * 1024;

const UTF8_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii']);

export async function readJsonBody(req: IncomingMessage, limit = JSON_BODY_LIMIT): Promise<unknown> {
  const declaredLength = req.headers['content-length'];
  if (declaredLength === undefined && req.headers['transfer-encoding'] === undefined) return undefined;
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && !UTF8_CHARSETS.has(charset)) throw createError(415, `unsupported charset "${charset}"`);
  if (Number(declaredLength ?? 0) > limit) throw createError(413, 'request entity too large');

  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw createError(413, 'request entity too large');
    chunks.push(chunk);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)); // drops a BOM
  } catch {
    throw createError(400, 'body is not UTF-8');
  }
  const start = /\S/.exec(text)?.[0];
  if (start === undefined) return undefined;
  if (start !== '{' && start !== '[') throw createError(400, 'body is not a JSON object or array');
  try {
    return JSON.parse(text);
  } catch {
    throw createError(400, 'invalid JSON');
  }
}
