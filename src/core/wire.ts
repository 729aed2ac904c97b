import { catalogRecords, type CatalogRecord, type XlinkErrorCode } from './catalog.js';
import { recordOf, type XlinkError } from './error.js';
import { latin1, utf8 } from './portable.js';

/** How `code` is written: a JSON number (the default, as real Xlink servers send) or a string. */
export type XlinkCodeFormat = 'number' | 'string';

/** The language of catalog messages. */
export type XlinkLanguage = 'en' | 'zh-CN';

/** The envelope every Xlink error response carries. */
export interface XlinkEnvelope<C extends number | string = XlinkErrorCode> {
  error: { code: C; msg: string };
}

/** The `Content-Type` of every error response. */
export const XLINK_CONTENT_TYPE = 'application/json; charset=utf-8';

/** A response body with the header list that describes it, ready for `writeHead`. */
export interface WireBody {
  /** The UTF-8 bytes (a `Buffer` on Node). */
  readonly bytes: Uint8Array;
  /**
   * The same bytes as a one-byte string (each char one byte: `bytes.toString('latin1')`, the
   * JSON itself when it is ASCII), for `res.end(text, 'latin1')`: Node then joins the status
   * line, headers and body into one chunk, as for a framework's string body, rather than
   * queueing the header block and a body `Buffer` as two.
   */
  readonly text: string;
  /** The JSON text itself: for a web `Response` (which encodes a string faster than it copies bytes), and for Fastify (`onSend` hooks get it as for any JSON reply). */
  readonly json: string;
  /** `['Content-Type', …, 'Content-Length', …]`, the flat form `writeHead` takes. */
  readonly head: readonly string[];
}

/**
 * Catalog bodies, serialised once on first use, with their header lists: four per entry
 * (number or string code, English or Chinese), so answering with a catalog message builds no
 * JSON and allocates nothing. Defined entries follow the 82 (their records' indexes continue).
 */
const bodies: (WireBody | undefined)[] = new Array(catalogRecords.length * 4);

function wireBody(json: string): WireBody {
  const bytes = utf8(json);
  const text = bytes.length === json.length ? json : latin1(bytes); // as long as its bytes: ASCII
  return Object.freeze({ bytes, text, json, head: Object.freeze(['Content-Type', XLINK_CONTENT_TYPE, 'Content-Length', String(bytes.length)]) });
}

/** The envelope text for a code and message. */
function envelopeJson(code: number, codeFormat: XlinkCodeFormat, msg: string): string {
  // JSON.stringify escapes quotes, control characters and lone surrogates: always valid JSON.
  return `{"error":{"code":${codeFormat === 'string' ? `"${code}"` : code},"msg":${JSON.stringify(msg)}}}`;
}

/** The precomputed body of a catalog entry. */
function catalogBody(record: CatalogRecord, codeFormat: XlinkCodeFormat, language: XlinkLanguage): WireBody {
  const slot = record.index * 4 + (codeFormat === 'string' ? 1 : 0) + (language === 'zh-CN' ? 2 : 0);
  // A defined entry's first body: grow the cache one slot at a time, so it stays a dense array.
  while (bodies.length <= slot) bodies.push(undefined);
  return (bodies[slot] ??= wireBody(envelopeJson(record.code, codeFormat, language === 'zh-CN' ? record.msgZh : record.msg)));
}

/**
 * The response body for an error. A catalog (or defined) message comes precomputed; a custom
 * `msg` (4xx only) is serialised now and never translated; a 5xx always gets its entry's text,
 * whatever its message says, so nothing internal leaks.
 */
export function bodyOf(err: XlinkError, codeFormat: XlinkCodeFormat, language: XlinkLanguage): WireBody {
  const record = recordOf(err);
  const { message } = err;
  if (record.status >= 500 || message === record.msg || typeof message !== 'string') return catalogBody(record, codeFormat, language);
  return wireBody(envelopeJson(record.code, codeFormat, message));
}
