/**
 * createXlinkClient's options and client.request's inputs: bad ones are TypeErrors that say what
 * is wrong; and the refresh rules where the server is a `fetch` of the test's own (answers the
 * example cannot give: a token that never works, 4031021 with codes not defined in this process).
 */
import { inspect } from 'node:util';
import { createXlinkClient, isXlinkResponseError, parseXlinkError, type XlinkFetch, type XlinkResponseError } from 'xlink-errors/client';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json; charset=utf-8' } });
const expired = () => json(403, { error: { code: 4031021, msg: 'Access-Token expired' } });
const replaced = () => json(403, { error: { code: 4031022, msg: 'Access-Token has been refreshed' } });

/** A fetch that answers with `answer(token, url)` and records what it was sent. */
function server(answer: (token: string | null, url: string, init: RequestInit) => Response | Promise<Response>) {
  const sent: { url: string; token: string | null; init: RequestInit }[] = [];
  const fetch: XlinkFetch = async (url, init) => {
    const token = new Headers(init.headers).get('access-token');
    sent.push({ url, token, init });
    return answer(token, url, init);
  };
  return { fetch, sent };
}

const base = 'https://api.example.com';

describe('createXlinkClient: bad options are TypeErrors that say what is wrong', () => {
  const fetch: XlinkFetch = async () => json(200, {});
  test.each([
    ['no options', undefined, "createXlinkClient: expected options such as { baseUrl: 'https://api2.xlink.cn' }, got undefined"],
    ['an unknown option', { baseUrl: base, token: 'x' }, 'createXlinkClient: unknown option "token" (options are baseUrl, fetch, accessToken, refresh)'],
    ['no baseUrl', { fetch }, "createXlinkClient: baseUrl must be a URL such as 'https://api2.xlink.cn', got undefined"],
    ['a relative baseUrl', { baseUrl: '/v2', fetch }, 'createXlinkClient: baseUrl must be an absolute URL such as \'https://api2.xlink.cn\', got "/v2"'],
    ['an ftp: baseUrl', { baseUrl: 'ftp://x', fetch }, 'createXlinkClient: baseUrl must be an http: or https: URL, got "ftp://x"'],
    ['a baseUrl with a query', { baseUrl: `${base}?a=1`, fetch }, `createXlinkClient: baseUrl must have no query or fragment, got "${base}?a=1"`],
    ['fetch not a function', { baseUrl: base, fetch: 'fetch' }, 'createXlinkClient: fetch must be a function, got a string'],
    ['refresh not a function', { baseUrl: base, fetch, refresh: 'x' }, 'createXlinkClient: refresh must be a function returning a promise of the new access token, got a string'],
    ['accessToken a number', { baseUrl: base, fetch, accessToken: 42 }, 'createXlinkClient: accessToken must be a string, got a number'],
    ['accessToken with a newline', { baseUrl: base, fetch, accessToken: 'a\r\nX-Evil: 1' }, 'createXlinkClient: accessToken must be a non-empty string that a header can carry'],
    ['accessToken empty', { baseUrl: base, fetch, accessToken: '' }, 'createXlinkClient: accessToken must be a non-empty string that a header can carry'],
  ])('%s', (_t, options, message) => {
    expect(() => createXlinkClient(options as never)).toThrow(new TypeError(message));
  });

  test('setAccessToken checks its token the same way', () => {
    const client = createXlinkClient({ baseUrl: base, fetch });
    expect(() => client.setAccessToken(7 as never)).toThrow(new TypeError('client.setAccessToken must be a string, got a number'));
    client.setAccessToken('t1');
    expect(client.accessToken).toBe('t1');
    client.setAccessToken(undefined);
    expect(client.accessToken).toBeUndefined();
  });
});

describe('client.request: bad input is a TypeError (a rejection), and nothing is sent', () => {
  const { fetch, sent } = server(() => json(200, {}));
  const client = createXlinkClient({ baseUrl: base, fetch });
  test.each([
    ['a method with a space', ['GE T', '/x'], `client.request: method must be an HTTP method such as 'GET', got "GE T"`],
    ['a method that is no string', [1, '/x'], "client.request: method must be an HTTP method such as 'GET', got 1"],
    ['a path that is no string', ['GET', 7], "client.request: path must be a string such as '/v2/user/1001', got a number"],
    ['options that are no object', ['GET', '/x', 'json'], 'client.request: options must be an object, got a string'],
    ['an unknown option', ['GET', '/x', { body: '{}' }], 'client.request: unknown option "body" (options are json, query, headers, signal, refresh)'],
    ['json that is no JSON value', ['POST', '/x', { json: () => 1 }], 'client.request: options.json must be a JSON value, got a function'],
    ['a query that is no object', ['GET', '/x', { query: 'a=1' }], 'client.request: options.query must be an object or URLSearchParams, got a string'],
  ])('%s', async (_t, args, message) => {
    await expect((client.request as (...a: unknown[]) => Promise<unknown>)(...args)).rejects.toThrow(new TypeError(message));
    expect(sent).toEqual([]);
  });

  test('a fetch that resolves to something else than a Response: a TypeError saying so', async () => {
    const odd = createXlinkClient({ baseUrl: base, fetch: (async () => ({ ok: true })) as never });
    await expect(odd.request('GET', '/x')).rejects.toThrow(new TypeError('client.request: fetch resolved to an object, not a Response'));
  });
});

describe('what is sent', () => {
  test('the path joined to a base with a prefix, the query, JSON, the token, the caller’s headers', async () => {
    const { fetch, sent } = server(() => json(200, { ok: true }));
    const client = createXlinkClient({ baseUrl: `${base}/prefix/`, fetch, accessToken: 'tok' });
    await expect(client.request('post', '/v2/device', { json: { a: 1 }, query: { x: 1, skip: undefined, tag: ['a', 'b'], flag: true }, headers: { 'X-Request-Id': 'r1' } })).resolves.toEqual({ ok: true });
    const [{ url, token, init }] = sent as [(typeof sent)[number]];
    expect([url, token, init.method, init.body]).toEqual([`${base}/prefix/v2/device?x=1&tag=a&tag=b&flag=true`, 'tok', 'POST', '{"a":1}']);
    expect(Object.fromEntries(new Headers(init.headers))).toEqual({ accept: 'application/json', 'access-token': 'tok', 'content-type': 'application/json', 'x-request-id': 'r1' });
  });

  test('headers as Headers or as pairs (a repeated name joined, as Headers does); a value that is no string is a TypeError', async () => {
    const { fetch, sent } = server(() => json(200, {}));
    const client = createXlinkClient({ baseUrl: base, fetch, accessToken: 'tok' });
    await client.request('GET', '/a', { headers: new Headers({ 'X-A': '1', Accept: 'text/plain' }) });
    await client.request('GET', '/b', { headers: [['X-B', '1'], ['x-b', '2']] });
    expect(sent.map((s) => Object.fromEntries(new Headers(s.init.headers)))).toEqual([
      { accept: 'text/plain', 'access-token': 'tok', 'x-a': '1' },
      { accept: 'application/json', 'access-token': 'tok', 'x-b': '1, 2' },
    ]);
    await expect(client.request('GET', '/c', { headers: { 'X-C': 1 } as never })).rejects.toThrow(new TypeError('client.request: each header must be a name and a string value, got a string and a number'));
    await expect(client.request('GET', '/c', { headers: 'X-C: 1' as never })).rejects.toThrow(new TypeError('client.request: options.headers must be an object, an array of pairs or Headers, got a string'));
    expect(sent).toHaveLength(2);
  });

  test('a success with an empty body, a 204 and a HEAD resolve to undefined', async () => {
    const { fetch } = server((_t, url) => (url.endsWith('/204') ? new Response(null, { status: 204 }) : new Response(url.endsWith('/head') ? null : '', { status: 200 })));
    const client = createXlinkClient({ baseUrl: base, fetch });
    for (const [method, path] of [['GET', '/empty'], ['GET', '/204'], ['HEAD', '/head']] as const) await expect(client.request(method, path)).resolves.toBeUndefined();
  });
});

describe('refresh rules', () => {
  test('4031021 makes the refresh though the later codes are not defined in this process: code undefined, the envelope read', async () => {
    const { fetch, sent } = server((token) => (token === 'new' ? json(200, { ok: 1 }) : expired()));
    const seen: XlinkResponseError[] = [];
    const client = createXlinkClient({ baseUrl: base, fetch, accessToken: 'old', refresh: async (err) => (seen.push(err), 'new') });
    await expect(client.request('GET', '/x')).resolves.toEqual({ ok: 1 });
    expect(seen.map((e) => [e.status, e.code, e.errorName, e.msg])).toEqual([[403, undefined, undefined, 'Access-Token expired']]);
    expect(sent.map((s) => s.token)).toEqual(['old', 'new']);
  });

  test('a server that answers 4031021 whatever the token: each request sent twice at most, one refresh each, no loop', async () => {
    const { fetch, sent } = server(() => expired());
    let refreshes = 0;
    const client = createXlinkClient({ baseUrl: base, fetch, accessToken: 't0', refresh: async () => `t${++refreshes}` });
    const first = await Promise.allSettled(Array.from({ length: 10 }, () => client.request('GET', '/x')));
    expect(first.every((r) => r.status === 'rejected' && isXlinkResponseError(r.reason))).toBe(true);
    expect([refreshes, sent.length]).toEqual([1, 20]);
    await expect(client.request('GET', '/x')).rejects.toMatchObject({ status: 403 });
    expect([refreshes, sent.length]).toEqual([2, 22]);
  });

  test('a refresh that resolves to no token rejects the waiting requests with a TypeError that says so', async () => {
    const { fetch, sent } = server(() => replaced());
    const client = createXlinkClient({ baseUrl: base, fetch, accessToken: 'old', refresh: async () => undefined as never });
    const results = await Promise.allSettled([client.request('GET', '/a'), client.request('GET', '/b')]);
    expect(results.map((r) => (r as PromiseRejectedResult).reason.message)).toEqual(Array(2).fill('createXlinkClient: refresh() must resolve to the new access token (a non-empty string), got undefined'));
    expect(sent).toHaveLength(2);
    expect(client.accessToken).toBe('old');
  });

  test('a refresh that throws synchronously rejects with its error', async () => {
    const { fetch } = server(() => expired());
    const failure = new Error('no refresh token stored');
    const client = createXlinkClient({ baseUrl: base, fetch, accessToken: 'old', refresh: () => { throw failure; } });
    await expect(client.request('GET', '/a')).rejects.toBe(failure);
  });

  test('after a failed refresh, a request sent later may refresh again (the next user action), once', async () => {
    const { fetch } = server((token) => (token === 'new' ? json(200, {}) : expired()));
    let calls = 0;
    const client = createXlinkClient({ baseUrl: base, fetch, accessToken: 'old', refresh: async () => (++calls === 1 ? Promise.reject(new Error('offline')) : 'new') });
    await expect(client.request('GET', '/a')).rejects.toThrow('offline');
    await expect(client.request('GET', '/a')).resolves.toEqual({});
    expect(calls).toBe(2);
  });

  test('no refresh: for refresh: false, a request with its own Access-Token, a 4031021 with another status, other 403s', async () => {
    let refreshes = 0;
    const { fetch, sent } = server((_token, url) =>
      url.endsWith('/wrong-status') ? json(400, { error: { code: 4031021, msg: 'x' } }) : url.endsWith('/denied') ? json(403, { error: { code: 4031001, msg: 'Access denied' } }) : expired(),
    );
    const client = createXlinkClient({ baseUrl: base, fetch, accessToken: 'old', refresh: async () => (refreshes++, 'new') });
    await expect(client.request('GET', '/a', { refresh: false })).rejects.toMatchObject({ status: 403 });
    await expect(client.request('GET', '/a', { headers: { 'Access-Token': 'someone-else' } })).rejects.toMatchObject({ status: 403 });
    await expect(client.request('GET', '/wrong-status')).rejects.toMatchObject({ status: 400 });
    await expect(client.request('GET', '/denied')).rejects.toMatchObject({ code: 4031001 });
    expect([refreshes, sent.length]).toEqual([0, 4]);
    expect(sent[1]!.token).toBe('someone-else');
  });

  test('network failures are not retried: fetch’s own error', async () => {
    const failure = new TypeError('fetch failed');
    let calls = 0;
    const client = createXlinkClient({ baseUrl: base, fetch: async () => (calls++, Promise.reject(failure)), accessToken: 'old', refresh: async () => 'new' });
    await expect(client.request('GET', '/a')).rejects.toBe(failure);
    expect(calls).toBe(1);
  });
});

describe('errors as logs see them', () => {
  test('a logged XlinkResponseError shows its status, code and message, not the Response’s internals or the whole body', async () => {
    const err = (await createXlinkClient({ baseUrl: base, fetch: async () => new Response(`<html>${'x'.repeat(5000)}</html>`, { status: 502, headers: { 'Content-Type': 'text/html' } }) })
      .request('GET', '/x')
      .catch((e: unknown) => e)) as XlinkResponseError;
    const logged = inspect(err);
    expect(logged).toContain('status: 502');
    expect(logged).not.toContain('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx');
    expect(logged).not.toMatch(/ReadableStream|Symbol\(state\)/);
    expect(err.response?.status).toBe(502); // still there to read
    expect(typeof err.body).toBe('string');
  });

  test('an upstream msg with line breaks or escape sequences is quoted in the message (no log injection), kept as sent in msg', () => {
    const msg = 'Device does not exist\n2026-12-01 ERROR forged line \u001b[31m';
    const err = parseXlinkError({ status: 404, body: { error: { code: 4041008, msg } } })!;
    expect(err.msg).toBe(msg);
    expect(err.message).toBe(`404 DEVICE_NOT_FOUND 4041008: ${JSON.stringify(msg)}`);
    expect(parseXlinkError({ status: 404, body: { error: { code: 4041008, msg: 'Device does not exist' } } })!.message).toBe('404 DEVICE_NOT_FOUND 4041008: Device does not exist');
  });
});
