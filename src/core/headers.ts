/** Header values as `xlinkError({ headers })` takes them; numbers are kept as their decimal text. */
export type XlinkHeaderValue = string | number;

/** Headers given to `xlinkError()`. */
export type XlinkHeadersInit = Readonly<Record<string, XlinkHeaderValue>>;

/** Headers that travel with an error's response, as http-errors types them. */
export type XlinkHeaders = Readonly<Record<string, string>>;

/**
 * Headers `xlinkError({ headers })` refuses: the handler writes the body's type and length
 * itself, and these describe the body's encoding or the connection's framing; set on an error,
 * they make a response that lies about its body or that Node refuses to write (a `Trailer` on a
 * response with a `Content-Length` throws in `writeHead`).
 */
const RESERVED = new Set(['content-type', 'content-length', 'content-encoding', 'transfer-encoding', 'trailer', 'connection', 'keep-alive', 'upgrade', 'te']);

/**
 * The headers a foreign error (http-errors, undici's `ResponseStatusCodeError`, which carries the
 * *upstream's* response headers) may put on the response, by lower-case name, with the name as
 * sent. Everything else it carries (`Set-Cookie`, `Location`, `Content-Encoding`, internal
 * traces...) described another response and is dropped.
 */
const FOREIGN_ALLOWED = new Map(
  ['WWW-Authenticate', 'Proxy-Authenticate', 'Allow', 'Retry-After', 'Access-Control-Allow-Origin', 'Access-Control-Expose-Headers'].map((name) => [name.toLowerCase(), name]),
);

/*
 * What node:http's validateHeaderName() and validateHeaderValue() accept, written out here so
 * that importing the package does not load node:http (several milliseconds of a cold start,
 * for two regular expressions). A test holds them to node:http's own functions.
 */
/** An HTTP token (RFC 9110), as node:http checks header names. */
const HEADER_NAME = /^[\^_`a-zA-Z\-0-9!#$%&'*+.|~]+$/;
/** A character node:http refuses in a header value: controls other than tab, and DEL. */
const HEADER_VALUE_FORBIDDEN = /[^\t\x20-\x7e\x80-\xff]/;

/** Header objects this module checked and froze: the only ones sent as they are. */
const checked = new WeakSet<object>();

/** Checked header objects that came from a foreign error: they never replace a header the app set. */
const foreign = new WeakSet<object>();

/** Whether checked headers came from a foreign error, so that they yield to the app's own. */
export function isForeignHeaders(headers: object): boolean {
  return foreign.has(headers);
}

/** Whether headers are a frozen object this module checked (not one swapped in since). */
export function isCheckedHeaders(headers: unknown): boolean {
  return typeof headers === 'object' && headers !== null && checked.has(headers);
}

/**
 * Checks headers given to `xlinkError()` and returns a frozen copy of them.
 * Throws a `TypeError` naming the first header HTTP would refuse (CR, LF, NUL, a bad token...)
 * or one the handler reserves for itself; so a broken header fails where it is made, never on
 * the wire.
 */
export function checkHeaders(headers: unknown): XlinkHeaders | undefined {
  if (headers === undefined) return undefined;
  // Already checked (and frozen) here: used as it is, so a foreign error's headers stay marked.
  if (isCheckedHeaders(headers)) return headers as XlinkHeaders;
  if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) {
    throw new TypeError(`xlinkError: options.headers must be an object of header names to values, got ${typeName(headers)}`);
  }
  // A Map or a fetch Headers has no own enumerable entries: read as an object, it would send nothing.
  if (typeof (headers as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function') {
    throw new TypeError('xlinkError: options.headers must be a plain object of header names to values, got a Map or Headers (pass Object.fromEntries(headers))');
  }
  const result: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    const value: unknown = (headers as Record<string, unknown>)[name];
    result[name] = checkHeader(name, value);
  }
  checked.add(Object.freeze(result));
  return result;
}

function checkHeader(name: string, value: unknown): string {
  if (!HEADER_NAME.test(name)) throw new TypeError(`xlinkError: invalid header name ${JSON.stringify(name)}`);
  if (RESERVED.has(name.toLowerCase())) {
    throw new TypeError(`xlinkError: header ${JSON.stringify(name)} is written by the handler or describes a body or a connection: it cannot be set on an error`);
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string') return checkValue(name, value);
  throw new TypeError(`xlinkError: header ${JSON.stringify(name)} must be a string or a finite number, got ${typeName(value)}`);
}

function checkValue(name: string, value: string): string {
  if (HEADER_VALUE_FORBIDDEN.test(value)) {
    throw new TypeError(`xlinkError: header ${JSON.stringify(name)} has a value with characters HTTP forbids (CR, LF, NUL or other control characters)`);
  }
  return value;
}

/**
 * The headers of a foreign error that may travel, or `undefined`: the allow-listed ones
 * (`WWW-Authenticate`, `Allow`, `Retry-After`, CORS...) with valid values, named as the list
 * names them. A list of values (as Node and undici give repeated headers) is joined with `, `.
 * Marked foreign: they never replace a header the app set. Bad entries are dropped; hostile
 * getters are the caller's to catch.
 */
export function foreignHeaders(headers: unknown): XlinkHeaders | undefined {
  if (headers === null || typeof headers !== 'object') return undefined;
  let kept: Record<string, string> | undefined;
  for (const name of Object.keys(headers)) {
    const allowed = FOREIGN_ALLOWED.get(name.toLowerCase());
    if (allowed === undefined) continue;
    let value: unknown = (headers as Record<string, unknown>)[name];
    if (Array.isArray(value)) value = value.every((v) => typeof v === 'string') ? value.join(', ') : undefined;
    let checkedValue: string;
    try {
      checkedValue = checkHeader(allowed, value);
    } catch {
      continue; // a value HTTP would refuse is dropped, not sent half-broken
    }
    (kept ??= {})[allowed] = checkedValue;
  }
  if (kept === undefined) return undefined;
  checked.add(Object.freeze(kept));
  foreign.add(kept);
  return kept;
}

/**
 * The headers of an `XlinkError` that was changed by hand or made by another copy of the
 * package, or `undefined`: those `xlinkError()` would accept; the others are dropped.
 * Never throws (hostile getters are the caller's to catch, but bad entries are just dropped).
 */
export function salvageHeaders(headers: unknown): XlinkHeaders | undefined {
  if (headers === null || typeof headers !== 'object') return undefined;
  if (isCheckedHeaders(headers)) return headers as XlinkHeaders; // checked here already (and frozen)
  let kept: Record<string, string> | undefined;
  for (const name of Object.keys(headers)) {
    try {
      const value = checkHeader(name, (headers as Record<string, unknown>)[name]);
      (kept ??= {})[name] = value;
    } catch {
      // A header HTTP would refuse is dropped, not sent half-broken.
    }
  }
  if (kept === undefined) return undefined;
  checked.add(Object.freeze(kept));
  return kept;
}

/** A short description of a value's type for error messages; never echoes the value itself. */
export function typeName(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
