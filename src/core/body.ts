import { xlinkError, type XlinkError } from './error.js';

/*
 * The JSON body reader of the web path (`xlinkRequestJson`, Hono's `xlinkValidator('json')`),
 * with body-parser's rules as the Express examples use them: the body is JSON whatever the
 * Content-Type says (Xlink's console labels JSON `application/x-www-form-urlencoded`, some
 * clients send no type), no body is `undefined`, and what body-parser answers 400, 413 or 415
 * (bad JSON, too large, a charset other than UTF-8) is 400 4001001. Web-standard only: a
 * `ReadableStream`, `TextDecoder`, `JSON.parse`.
 */

/** body-parser's default `limit`, `'100kb'`. */
export const DEFAULT_BODY_LIMIT = 102_400;

/** Options of `xlinkRequestJson()`. */
export interface XlinkRequestJsonOptions {
  /** The most bytes a body may have (default 102,400, body-parser's `'100kb'`); more is 400 4001001. */
  readonly limit?: number;
}

/** What the reader needs of a request: a web `Request` is one. */
export interface XlinkBodySource {
  readonly headers: { get(name: string): string | null };
  readonly body: ReadableStream<Uint8Array> | null;
}

/** Checks the options once; a `TypeError` names a bad one. */
export function bodyLimitOf(options: XlinkRequestJsonOptions | undefined, caller: string): number {
  if (options === undefined) return DEFAULT_BODY_LIMIT;
  if (options === null || typeof options !== 'object') throw new TypeError(`${caller}: options must be an object such as { limit: 102400 }`);
  const { limit = DEFAULT_BODY_LIMIT } = options;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 0) {
    throw new TypeError(`${caller}: options.limit must be a whole number of bytes (0 or more), got ${typeof limit === 'number' ? String(limit) : typeof limit}`);
  }
  return limit;
}

/**
 * The 400 4001001 of a body that cannot be read; `reason` (never the body itself: it may hold a
 * password) is the cause, for logs.
 */
function badBody(reason: string): XlinkError {
  return xlinkError('PARAM_VERIFICATION_FAILED', { cause: new SyntaxError(`xlink-errors: ${reason}`), stack: false });
}

/** A `charset` parameter other than UTF-8 (body-parser answers 415): `true`. */
function hasOtherCharset(contentType: string | null): boolean {
  if (contentType === null) return false;
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType);
  if (match === null) return false;
  const charset = (match[1] ?? match[2] ?? '').toLowerCase();
  return charset !== 'utf-8' && charset !== 'utf8';
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Reads the body's bytes, no more than `limit` of them; `undefined` for no body. */
async function readBytes(source: XlinkBodySource, limit: number): Promise<Uint8Array | undefined> {
  const { body } = source;
  if (body === null) return undefined;
  // Counted as read: a body that says nothing of its length (or lies about it) stops at the limit too.
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    let chunk: Awaited<ReturnType<typeof reader.read>>;
    try {
      chunk = await reader.read();
    } catch {
      throw badBody('request body broke off while read'); // the client went away, as body-parser's 'request aborted'
    }
    const { done, value } = chunk;
    if (done) break;
    length += value.byteLength;
    if (length > limit) reader.cancel().catch(() => {}); // the rest is not wanted; its failure is nobody's business
    checkBodySize(length, limit);
    chunks.push(value);
  }
  if (length === 0) return undefined;
  if (chunks.length === 1) return chunks[0];
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * Parses the bytes of a JSON body (a UTF-8 BOM is skipped, as body-parser does); `undefined`
 * for none. Throws 400 4001001 for bytes that are not UTF-8 or text that is not JSON.
 */
export function parseJsonBytes(bytes: Uint8Array | undefined): unknown {
  if (bytes === undefined || bytes.byteLength === 0) return undefined;
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw badBody('request body is not UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch {
    // JSON.parse's own message quotes the body: not kept.
    throw badBody('request body is not valid JSON');
  }
}

/**
 * Reads a request's body as JSON, whatever its Content-Type says. No body is `undefined`; bad
 * JSON, a charset other than UTF-8, bytes that are not UTF-8 or more than `limit` bytes throw
 * 400 4001001.
 */
export async function readJsonBody(source: XlinkBodySource, limit: number): Promise<unknown> {
  checkBodyHeaders(source.headers, limit);
  return parseJsonBytes(await readBytes(source, limit));
}

/**
 * What the headers alone decide, before a byte is read: a charset other than UTF-8, a declared
 * `Content-Length` over the limit. Also for a body read elsewhere (Hono caches its bodies).
 */
export function checkBodyHeaders(headers: XlinkBodySource['headers'], limit: number): void {
  if (hasOtherCharset(headers.get('content-type'))) throw badBody('request body charset is not UTF-8');
  const declared = headers.get('content-length');
  if (declared !== null && /^\s*\d+\s*$/.test(declared)) checkBodySize(Number(declared), limit);
}

/** More bytes than the limit (body-parser answers 413): 400 4001001. */
export function checkBodySize(length: number, limit: number): void {
  if (length > limit) throw badBody(`request body larger than the limit of ${limit} bytes`);
}
