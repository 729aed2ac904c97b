import { typeName } from '../core/headers.js';
import { envelopeCodeOf, isSuccess, readError, XlinkResponseError } from './error.js';

/** The `fetch` the client calls: the global one by default, or any with its signature. */
export type XlinkFetch = (input: string, init: RequestInit) => Promise<Response>;

/** Options of `createXlinkClient()`. */
export interface XlinkClientOptions {
  /** Where the API lives: `https://api2.xlink.cn`, or `http://127.0.0.1:3000`; paths are appended to it. */
  readonly baseUrl: string | URL;
  /** The `fetch` to call (default: the global `fetch`, looked up when the client is made). */
  readonly fetch?: XlinkFetch | undefined;
  /** The token sent as the `Access-Token` header (no `Bearer` prefix, as Xlink servers expect). */
  readonly accessToken?: string | undefined;
  /**
   * Gets a new access token when the server says the one sent expired (403 4031021) or was
   * replaced by a refresh (403 4031022). Called once for all the requests that failed so; each
   * of them is then retried once with the token it resolves to. If it rejects, they all reject
   * with its error. Inside it, call the token endpoint with plain `fetch`, or with
   * `client.request(..., { refresh: false })`: a request of this client that waited on the
   * refresh it is part of would wait for ever.
   */
  readonly refresh?: ((err: XlinkResponseError) => Promise<string>) | undefined;
}

/** Query parameters: `undefined` ones are left out; an array repeats its key. */
export type XlinkQuery = URLSearchParams | Readonly<Record<string, string | number | boolean | undefined | readonly (string | number | boolean)[]>>;

/** Options of `client.request()`. */
export interface XlinkRequestOptions {
  /** A JSON body (sent as `application/json`). */
  readonly json?: unknown;
  /** Query parameters, appended to the path. */
  readonly query?: XlinkQuery | undefined;
  /** Extra headers. An `Access-Token` here is sent instead of the client's, and is never refreshed. */
  readonly headers?: Headers | Readonly<Record<string, string>> | readonly (readonly [string, string])[] | undefined;
  /** Aborts the request (and its wait for a refresh, and its retry): `AbortSignal.timeout(5000)`... */
  readonly signal?: AbortSignal | undefined;
  /** `false`: a 4031021 or 4031022 rejects at once, without a refresh (for the token endpoint itself). */
  readonly refresh?: boolean | undefined;
}

/** A client of an Xlink(-compatible) REST API. */
export interface XlinkClient {
  /**
   * Sends a request; resolves to the parsed JSON of a success (`undefined` for an empty one) and
   * rejects with an `XlinkResponseError` for any other answer. Network failures and aborts
   * reject with fetch's own error. Nothing is retried, except once after a token refresh.
   */
  request<T = unknown>(method: string, path: string, options?: XlinkRequestOptions): Promise<T>;
  /** The access token sent now (the latest refresh's, or the one given). */
  readonly accessToken: string | undefined;
  /** Replaces the access token (after a login, say); requests already sent keep theirs. */
  setAccessToken(token: string | undefined): void;
}

const CLIENT_OPTIONS = new Set(['baseUrl', 'fetch', 'accessToken', 'refresh']);
const REQUEST_OPTIONS = new Set(['json', 'query', 'headers', 'signal', 'refresh']);
/**
 * The codes that make a refresh: the token expired, or was replaced by a refresh. They are later
 * official codes (xlink-errors/extended), read from the envelope whether or not they are defined here.
 */
const REFRESH_CODES = new Set<number>([4031021, 4031022]);

/** One refresh: from which token, its promise, and when it settled (in request numbers). */
interface Refresh {
  readonly from: string | undefined;
  readonly promise: Promise<string>;
  /** The number of the first request sent after it settled; until then, `Infinity`. */
  settledAt: number;
}

/**
 * A client for an Xlink(-compatible) REST API, on `fetch` (Node 20+, browsers, Bun, Deno): it
 * sends the `Access-Token`, turns every error answer into an `XlinkResponseError`, and, given
 * `refresh`, renews an expired or replaced token once for all the requests that hit it.
 *
 * @example
 * const client = createXlinkClient({
 *   baseUrl: 'https://api2.xlink.cn',
 *   accessToken: session.access_token,
 *   refresh: async () => (await renew(session)).access_token,
 * });
 * const user = await client.request<{ nickname: string }>('GET', `/v2/user/${session.user_id}`);
 */
export function createXlinkClient(options: XlinkClientOptions): XlinkClient {
  if (options === null || typeof options !== 'object') throw new TypeError(`createXlinkClient: expected options such as { baseUrl: 'https://api2.xlink.cn' }, got ${typeName(options)}`);
  for (const key of Object.keys(options)) {
    if (!CLIENT_OPTIONS.has(key)) throw new TypeError(`createXlinkClient: unknown option ${JSON.stringify(key)} (options are ${[...CLIENT_OPTIONS].join(', ')})`);
  }
  const base = baseOf(options.baseUrl);
  const fetchFn = fetchOf(options.fetch);
  const { refresh } = options;
  if (refresh !== undefined && typeof refresh !== 'function') throw new TypeError(`createXlinkClient: refresh must be a function returning a promise of the new access token, got ${typeName(refresh)}`);
  let token = tokenOf('createXlinkClient: accessToken', options.accessToken);

  /** Numbers the requests as they are sent, to tell which were sent before a refresh settled. */
  let sent = 0;
  let last: Refresh | undefined;

  /** The token to retry with after `err`, for a request sent with `used` as number `number`. */
  function renewed(used: string | undefined, number: number, err: XlinkResponseError): Promise<string> {
    // 1. A refresh already replaced the token this request was sent with: retry with the new one.
    if (token !== used && token !== undefined) return Promise.resolve(token);
    // 2. The refresh of that token is under way, or ended after this request was sent: its result
    //    (the new token, or its failure) is this request's too.
    if (last !== undefined && last.from === used && number < last.settledAt) return last.promise;
    // 3. Otherwise this request starts the refresh.
    const attempt: Refresh = { from: used, promise: callRefresh(refresh!, err), settledAt: Infinity };
    attempt.promise.then(
      (fresh) => void (token = fresh),
      () => undefined, // its failure goes to the requests waiting on it
    );
    attempt.promise.finally(() => void (attempt.settledAt = sent)).catch(() => undefined);
    last = attempt;
    return attempt.promise;
  }

  async function send(url: string, init: RequestInit, headers: HeaderRecord, sendToken: string | undefined) {
    const number = sent++;
    // A plain record, the token added to a copy: fetch builds its Headers once, from this.
    const response: unknown = await fetchFn(url, { ...init, headers: sendToken === undefined ? headers : { ...headers, 'access-token': sendToken } });
    if (!isResponseLike(response)) throw new TypeError(`client.request: fetch resolved to ${typeName(response)}, not a Response`);
    return { response, number };
  }

  async function request<T>(method: string, path: string, requestOptions: XlinkRequestOptions = {}): Promise<T> {
    if (typeof method !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(method)) throw new TypeError(`client.request: method must be an HTTP method such as 'GET', got ${JSON.stringify(method) ?? typeName(method)}`);
    if (typeof path !== 'string') throw new TypeError(`client.request: path must be a string such as '/v2/user/1001', got ${typeName(path)}`);
    if (requestOptions === null || typeof requestOptions !== 'object') throw new TypeError(`client.request: options must be an object, got ${typeName(requestOptions)}`);
    for (const key of Object.keys(requestOptions)) {
      if (!REQUEST_OPTIONS.has(key)) throw new TypeError(`client.request: unknown option ${JSON.stringify(key)} (options are ${[...REQUEST_OPTIONS].join(', ')})`);
    }
    const { json, query, signal } = requestOptions;
    const url = urlOf(base, path, query);
    const headers = headerRecord(requestOptions.headers);
    headers.accept ??= 'application/json';
    const init: RequestInit = { method: method.toUpperCase() === method ? method : normalizeMethod(method) };
    if (json !== undefined) {
      const body = JSON.stringify(json);
      if (body === undefined) throw new TypeError(`client.request: options.json must be a JSON value, got ${typeName(json)}`);
      init.body = body;
      headers['content-type'] ??= 'application/json';
    }
    if (signal !== undefined) init.signal = signal;
    // A request that names its own token keeps it: the client's refresh is not about it.
    const ownToken = headers['access-token'] !== undefined;
    const canRefresh = refresh !== undefined && requestOptions.refresh !== false && !ownToken;

    const used = ownToken ? undefined : token;
    let { response, number } = await send(url, init, headers, used);
    if (isSuccess(response.status)) return successOf<T>(response);
    let err = await readError(response);
    if (!canRefresh || err.status !== 403 || !REFRESH_CODES.has(envelopeCodeOf(err)!)) throw err;

    // Once, and only once: the retry's answer is final, whatever it is.
    const fresh = await abortable(renewed(used, number, err), signal);
    ({ response } = await send(url, init, headers, fresh));
    if (isSuccess(response.status)) return successOf<T>(response);
    err = await readError(response);
    throw err;
  }

  return {
    request,
    get accessToken() {
      return token;
    },
    setAccessToken(next: string | undefined) {
      token = tokenOf('client.setAccessToken', next);
    },
  };
}

function isResponseLike(value: unknown): value is Response {
  return typeof value === 'object' && value !== null && typeof (value as Response).status === 'number' && typeof (value as Response).headers?.get === 'function' && typeof (value as Response).arrayBuffer === 'function';
}

/** `refresh(err)`, its answer checked: a non-empty string. */
async function callRefresh(refresh: (err: XlinkResponseError) => Promise<string>, err: XlinkResponseError): Promise<string> {
  const fresh: unknown = await refresh(err);
  if (typeof fresh !== 'string' || fresh === '') throw new TypeError(`createXlinkClient: refresh() must resolve to the new access token (a non-empty string), got ${fresh === '' ? 'an empty string' : typeName(fresh)}`);
  return fresh;
}

/** The parsed JSON of a success; `undefined` for an empty body; an XlinkResponseError for one that is not JSON. */
async function successOf<T>(response: Response): Promise<T> {
  const text = await response.text(); // as fetch's own json() decodes: UTF-8, a BOM dropped
  if (text === '' || text.trim() === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    // A 200 from a captive portal or a misrouted proxy: say what came back, never a SyntaxError.
    throw new XlinkResponseError({ status: response.status, text, contentType: response.headers.get('content-type') ?? undefined, response }, { cause });
  }
}

/** Request headers by lower-case name, in a record with no prototype (a `__proto__` header is a header). */
type HeaderRecord = Record<string, string>;

/** The caller's headers as a record; repeated names are joined as Headers does. */
function headerRecord(init: XlinkRequestOptions['headers']): HeaderRecord {
  const record: HeaderRecord = Object.create(null) as HeaderRecord;
  if (init === undefined) return record;
  if (init === null || typeof init !== 'object') throw new TypeError(`client.request: options.headers must be an object, an array of pairs or Headers, got ${typeName(init)}`);
  const entries: Iterable<readonly [string, string]> = init instanceof Headers ? init.entries() : Array.isArray(init) ? (init as readonly (readonly [string, string])[]) : Object.entries(init);
  for (const entry of entries) {
    const [name, value] = entry as readonly unknown[];
    if (typeof name !== 'string' || typeof value !== 'string') throw new TypeError(`client.request: each header must be a name and a string value, got ${typeName(name)} and ${typeName(value)}`);
    const key = name.toLowerCase();
    record[key] = record[key] === undefined ? value : `${record[key]}, ${value}`;
  }
  return record;
}

/** `promise`, or the signal's reason as soon as it aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (failure: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(failure);
      },
    );
  });
}

function baseOf(baseUrl: unknown): string {
  const text = baseUrl instanceof URL ? baseUrl.href : baseUrl;
  if (typeof text !== 'string') throw new TypeError(`createXlinkClient: baseUrl must be a URL such as 'https://api2.xlink.cn', got ${typeName(baseUrl)}`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError(`createXlinkClient: baseUrl must be an absolute URL such as 'https://api2.xlink.cn', got ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`createXlinkClient: baseUrl must be an http: or https: URL, got ${JSON.stringify(text)}`);
  if (url.search !== '' || url.hash !== '') throw new TypeError(`createXlinkClient: baseUrl must have no query or fragment, got ${JSON.stringify(text)}`);
  return url.href.replace(/\/+$/, '');
}

function fetchOf(given: unknown): XlinkFetch {
  if (given !== undefined) {
    if (typeof given !== 'function') throw new TypeError(`createXlinkClient: fetch must be a function, got ${typeName(given)}`);
    return given as XlinkFetch;
  }
  const global = (globalThis as { fetch?: unknown }).fetch;
  if (typeof global !== 'function') throw new TypeError('createXlinkClient: there is no global fetch here; pass options.fetch');
  return (input, init) => (global as XlinkFetch)(input, init); // called unbound: some fetches need `this` to be globalThis
}

function tokenOf(what: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new TypeError(`${what} must be a string, got ${typeName(value)}`);
  if (value === '' || /[^\t\x20-\x7e\x80-\xff]/.test(value)) throw new TypeError(`${what} must be a non-empty string that a header can carry`);
  return value;
}

/** The base URL and the path joined as one (a base with a path prefix keeps it), with the query. */
function urlOf(base: string, path: string, query: XlinkQuery | undefined): string {
  let url = `${base}/${path.replace(/^\/+/, '')}`;
  if (query !== undefined) {
    if (query === null || typeof query !== 'object') throw new TypeError(`client.request: options.query must be an object or URLSearchParams, got ${typeName(query)}`);
    const params = query instanceof URLSearchParams ? new URLSearchParams(query) : new URLSearchParams();
    if (!(query instanceof URLSearchParams)) {
      for (const [key, value] of Object.entries(query)) {
        if (value === undefined) continue;
        for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
      }
    }
    const search = params.toString();
    if (search !== '') url += (url.includes('?') ? '&' : '?') + search;
  }
  return url;
}

/** fetch upper-cases the standard methods only; the client does the same, and sends the rest as given. */
function normalizeMethod(method: string): string {
  const upper = method.toUpperCase();
  return ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH'].includes(upper) ? upper : method;
}
