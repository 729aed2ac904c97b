import { findCatalogRecord, type XlinkCodeOf, type XlinkErrorName } from '../core/catalog.js';
import { readEnvelope } from '../core/envelope.js';

/** Marks an `XlinkResponseError` of any copy of this package (ESM and CommonJS builds, two versions). */
const MARKER = Symbol.for('xlink-errors.XlinkResponseError');

/** How much of an error body is read: an envelope is tiny; a proxy's page may be anything. */
export const ERROR_BODY_LIMIT = 64 * 1024;

/** What `new XlinkResponseError()` and `parseXlinkError()` take besides a `Response`: an answer already read. */
export interface XlinkAnswer {
  /** The HTTP status. */
  readonly status: number;
  /**
   * The body: parsed JSON (supertest's `res.body`, axios' `data`), or its text, or its bytes
   * (`Uint8Array`, `ArrayBuffer`); `undefined`, `null` and `''` are an empty body.
   */
  readonly body?: unknown;
  /** The body's text, when the caller has it (supertest's `res.text`): it is preferred to `body`. */
  readonly text?: string | undefined;
  /** The answer's `Content-Type`, for the message when the body is not an envelope. */
  readonly contentType?: string | undefined;
  /** The `Response` it came from, kept as `err.response`. */
  readonly response?: Response | undefined;
}

/**
 * An error answer of an Xlink(-compatible) server, as a client receives it: `status`, and when
 * the body is an error envelope with a known code (official, or defined with
 * `defineXlinkErrors()`), its `code`, `errorName` and `msg`. Anything else (an envelope with a
 * code this copy does not know, HTML from a proxy, an empty body, bytes that are not JSON) is one
 * too, with `code` and `errorName` `undefined` and a message saying what came back.
 * `switch (err.errorName)` is checked against the catalog and `XlinkErrorRegister`.
 *
 * @example
 * try {
 *   await client.request('GET', '/v2/product/p1/device/1');
 * } catch (err) {
 *   if (!isXlinkResponseError(err)) throw err;      // network failure, abort
 *   switch (err.errorName) {
 *     case 'DEVICE_NOT_FOUND': return undefined;
 *     case 'ACCESS_TOKEN_INVALID': return login();
 *     default: throw err;
 *   }
 * }
 */
export class XlinkResponseError<N extends XlinkErrorName = XlinkErrorName> extends Error {
  /** The HTTP status of the answer (0 for an opaque one). */
  declare readonly status: number;
  /** The Xlink code, e.g. `4041008`; `undefined` when the body is no envelope or its code is unknown here. */
  declare readonly code: XlinkCodeOf<N> | undefined;
  /** The catalog name of `code`, e.g. `'DEVICE_NOT_FOUND'`; `undefined` with `code`. */
  declare readonly errorName: N | undefined;
  /** The envelope's `msg` as the server sent it (any envelope, known code or not); `undefined` without one. */
  declare readonly msg: string | undefined;
  /** The `Response`, when there was one (its body has been read). */
  declare readonly response: Response | undefined;
  /** The body as read: parsed JSON, else its text; `undefined` when empty, not text, or too large. */
  declare readonly body: unknown;

  /** The error for an answer (whatever its status: `parseXlinkError()` decides what is an error). */
  constructor(answer: XlinkAnswer, options?: { readonly cause?: unknown }) {
    const content = contentOf(answer);
    const envelope = content.kind === 'json' ? readEnvelope(content.value) : undefined;
    const record = envelope === undefined ? undefined : findCatalogRecord(envelope.code);
    const status = answer.status;
    const head = `${status}${statusText(answer.response)}`;
    let message: string;
    if (envelope === undefined) message = `${head}: not an Xlink error envelope: ${describe(content, answer.contentType ?? contentTypeOf(answer.response))}`;
    else if (record === undefined) message = `${head}: Xlink code ${envelope.code}, which this client does not know (defineXlinkErrors() teaches it): ${printable(envelope.msg)}`;
    else message = `${head} ${record.name} ${record.code}: ${printable(envelope.msg)}`;
    super(message, options !== undefined && 'cause' in options ? { cause: options.cause } : undefined);
    this.status = status;
    this.code = record?.code as XlinkCodeOf<N> | undefined;
    this.errorName = record?.name as N | undefined;
    this.msg = envelope?.msg;
    // Not enumerable: a logged error shows its status, code and message, not the Response's
    // internals or a proxy's whole HTML page (both stay readable).
    Object.defineProperty(this, 'response', { value: answer.response, writable: true, configurable: true });
    Object.defineProperty(this, 'body', { value: content.kind === 'json' ? content.value : content.kind === 'text' ? content.text : undefined, writable: true, configurable: true });
    if (envelope !== undefined) envelopeCodes.set(this as unknown as XlinkResponseError, envelope.code);
  }

  /** True for errors of any copy of this package; subclasses keep the usual `instanceof`. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== XlinkResponseError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return isXlinkResponseError(value);
  }
}

Object.defineProperty(XlinkResponseError.prototype, 'name', { value: 'XlinkResponseError', writable: true, configurable: true });
Object.defineProperty(XlinkResponseError.prototype, MARKER, { value: true });

/**
 * Whether a value is an `XlinkResponseError`, from this copy of the package or another one
 * (by a marker, not only `instanceof`). Never throws.
 *
 * @example
 * if (isXlinkResponseError(err) && err.errorName === 'DEVICE_NOT_FOUND') { ... }
 */
export function isXlinkResponseError(value: unknown): value is XlinkResponseError {
  try {
    return typeof value === 'object' && value !== null && (value as { [MARKER]?: unknown })[MARKER] === true;
  } catch {
    return false; // a Proxy whose traps throw
  }
}

/**
 * The `XlinkResponseError` of an answer, or `undefined` for a success (2xx). Takes a fetch
 * `Response` (then returns a promise, and reads at most 64 kB of an error body) or an answer
 * already read, `{ status, body }` (supertest, axios' `err.response` as `{ status, body: data }`).
 * A non-2xx whose body is not an envelope is an `XlinkResponseError` with `code` `undefined`;
 * never a `SyntaxError`.
 *
 * @example
 * const res = await fetch(`${base}/v2/user/${id}`, { headers: { 'Access-Token': token } });
 * const err = await parseXlinkError(res);
 * if (err) throw err;
 */
export function parseXlinkError(response: Response): Promise<XlinkResponseError | undefined>;
export function parseXlinkError(answer: XlinkAnswer): XlinkResponseError | undefined;
export function parseXlinkError(value: Response | XlinkAnswer): Promise<XlinkResponseError | undefined> | XlinkResponseError | undefined {
  if (isResponse(value)) {
    if (isSuccess(value.status)) return Promise.resolve(undefined);
    if (value.bodyUsed) return Promise.reject(new TypeError('parseXlinkError: the response body was already read; pass a clone (response.clone()) or { status, body }'));
    return readError(value);
  }
  if (typeof value !== 'object' || value === null) throw new TypeError(`parseXlinkError: expected a Response or { status, body }, got ${value === null ? 'null' : typeof value}`);
  const { status } = value;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 0 || status > 999) {
    throw new TypeError(`parseXlinkError: status must be an HTTP status (an integer), got ${JSON.stringify(status) ?? typeof status}`);
  }
  return isSuccess(status) ? undefined : new XlinkResponseError(value);
}

/** The error of a `Response` known not to be a success: its body read, at most ERROR_BODY_LIMIT bytes of it. */
export async function readError(response: Response): Promise<XlinkResponseError> {
  const bytes = await readBytes(response, ERROR_BODY_LIMIT);
  return new XlinkResponseError({ status: response.status, body: bytes ?? TOO_LARGE, response });
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status <= 299;
}

/** The code of each envelope read, known here or not (4031021 must make a refresh even where it is not defined). */
const envelopeCodes = new WeakMap<XlinkResponseError, number>();

/** The code an error's envelope carried, whether or not this copy knows it; `undefined` without an envelope. */
export function envelopeCodeOf(err: XlinkResponseError): number | undefined {
  return envelopeCodes.get(err);
}

/** Stands for a body larger than the limit (not read further). */
const TOO_LARGE: unique symbol = Symbol('too large');

/** A `Response`, by its shape (polyfills and other realms included). */
function isResponse(value: unknown): value is Response {
  try {
    return (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as Response).arrayBuffer === 'function' &&
      typeof (value as Response).headers?.get === 'function' &&
      typeof (value as Response).status === 'number'
    );
  } catch {
    return false;
  }
}

/** A body's bytes, or `undefined` beyond `limit` bytes (the rest is cancelled, not read). */
async function readBytes(response: Response, limit: number): Promise<Uint8Array | undefined> {
  const declared = response.headers.get('content-length');
  const length = declared === null ? NaN : Number(declared);
  const stream = response.body;
  if (stream === null) return new Uint8Array(0);
  // Small enough by its own account (a Content-Length fetch holds the body to), or no stream to
  // stop early: read at once.
  if (length <= limit || typeof stream.getReader !== 'function') {
    const bytes = new Uint8Array(await response.arrayBuffer());
    return bytes.byteLength > limit ? undefined : bytes;
  }
  if (length > limit) {
    await stream.cancel().catch(() => undefined);
    return undefined;
  }
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** What a body turned out to be. */
type Content =
  | { readonly kind: 'empty' }
  | { readonly kind: 'json'; readonly value: unknown; readonly text: string | undefined }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'binary'; readonly size: number }
  | { readonly kind: 'too-large' };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads a body as JSON, text or neither, without ever throwing. */
function contentOf(answer: XlinkAnswer): Content {
  const raw = typeof answer.text === 'string' ? answer.text : answer.body;
  if (raw === TOO_LARGE) return { kind: 'too-large' };
  if (raw === undefined || raw === null || raw === '') return { kind: 'empty' };
  let text: string;
  if (typeof raw === 'string') text = raw;
  else if (raw instanceof Uint8Array || raw instanceof ArrayBuffer) {
    const bytes = raw instanceof Uint8Array ? raw : new Uint8Array(raw);
    if (bytes.byteLength === 0) return { kind: 'empty' };
    try {
      text = utf8.decode(bytes); // a BOM is dropped, as JSON readers do
    } catch {
      return { kind: 'binary', size: bytes.byteLength };
    }
  } else return { kind: 'json', value: raw, text: undefined }; // parsed already
  if (text.trim() === '') return { kind: 'empty' };
  try {
    return { kind: 'json', value: JSON.parse(text) as unknown, text };
  } catch {
    return { kind: 'text', text };
  }
}

/** What came back, for the message of a non-envelope answer. */
function describe(content: Content, contentType: string | undefined): string {
  const type = contentType === undefined || contentType === '' ? 'no Content-Type' : contentType;
  switch (content.kind) {
    case 'empty':
      return `an empty body (${type})`;
    case 'too-large':
      return `a body of more than ${ERROR_BODY_LIMIT} bytes (${type}), not read further`;
    case 'binary':
      return `${content.size} bytes that are not UTF-8 text (${type})`;
    case 'text':
      return `text that is not JSON (${type}, ${content.text.length} characters): ${snippet(content.text)}`;
    case 'json':
      return `JSON without an error envelope (${type}): ${snippet(content.text ?? safeStringify(content.value))}`;
  }
}

/** A server's text as a log line may carry it: quoted and escaped when it has line breaks or control characters. */
function printable(text: string): string {
  return /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(text) ? JSON.stringify(text) : text;
}

/** The start of a text, quoted and escaped (control characters included), for a one-line message. */
function snippet(text: string): string {
  const max = 120;
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}

function statusText(response: Response | undefined): string {
  try {
    const text = response?.statusText;
    return typeof text === 'string' && text !== '' ? ` ${text}` : '';
  } catch {
    return '';
  }
}

function contentTypeOf(response: Response | undefined): string | undefined {
  try {
    return response?.headers.get('content-type') ?? undefined;
  } catch {
    return undefined;
  }
}
