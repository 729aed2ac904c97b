/**
 * xlink-errors/client against the example server (Express and Koa apps, in-process, over a real
 * socket): typed errors for each catalog status, the token refresh with
 * XLINK_ACCESS_TOKEN_SECONDS=2 (10 concurrent requests, one refresh), a replaced token (4031022),
 * a failing refresh, an abort.
 */
import type { RequestListener } from 'node:http';
import { createXlinkClient, isXlinkResponseError, XlinkResponseError, type XlinkClient } from 'xlink-errors/client';
import { createExpressApp } from '../examples/express/app';
import { createKoaApp } from '../examples/koa/app';
import { XlinkService } from '../examples/domain/service';
import { DEMO_CORP_ID, DEMO_DEVICE_ID, DEMO_PRODUCT_ID, DEMO_USER, seededStore } from '../examples/domain/store';
import { listen, type Listening } from './client-listen';

const silent = { send: () => {} };
const frameworks: [string, (service: XlinkService) => RequestListener][] = [
  ['Express', (service) => createExpressApp(service, { onError: () => {} })],
  ['Koa', (service) => createKoaApp(service, { onError: () => {} }).callback()],
];

interface Session {
  user_id: number;
  access_token: string;
  refresh_token: string;
  expire_in: number;
}

/** Rejection of a promise, for expect(). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

/** Resolves once `Date.now()` has passed `at` (the server's clock is the real one here). */
async function until(at: number): Promise<void> {
  while (Date.now() <= at) await new Promise((resolve) => setTimeout(resolve, Math.max(1, at + 1 - Date.now())));
}

describe.each(frameworks)('on the %s example', (_name, makeApp) => {
  let server: Listening;
  let previous: string | undefined;

  beforeAll(async () => {
    previous = process.env.XLINK_ACCESS_TOKEN_SECONDS;
    process.env.XLINK_ACCESS_TOKEN_SECONDS = '2';
    server = await listen(makeApp(new XlinkService(seededStore(), silent)));
  });
  afterAll(async () => {
    if (previous === undefined) delete process.env.XLINK_ACCESS_TOKEN_SECONDS;
    else process.env.XLINK_ACCESS_TOKEN_SECONDS = previous;
    await server.close();
  });
  beforeEach(() => void server.log.splice(0));

  const anonymous = () => createXlinkClient({ baseUrl: server.url });
  const login = (client: XlinkClient = anonymous()) =>
    client.request<Session>('POST', '/v2/user_auth', { json: { corp_id: DEMO_CORP_ID, email: DEMO_USER.email, password: DEMO_USER.password } });
  const devicePath = (id = DEMO_DEVICE_ID) => `/v2/product/${DEMO_PRODUCT_ID}/device/${id}/property`;

  test('a success resolves to its parsed JSON; expire_in says XLINK_ACCESS_TOKEN_SECONDS', async () => {
    const session = await login();
    expect(session).toEqual({ user_id: expect.any(Number), access_token: expect.any(String), refresh_token: expect.any(String), expire_in: 2, authorize: expect.any(String) });
    const client = createXlinkClient({ baseUrl: server.url, accessToken: session.access_token });
    await expect(client.request('GET', `/v2/user/${session.user_id}`)).resolves.toMatchObject({ id: session.user_id, email: DEMO_USER.email });
    expect(server.log.at(-1)).toBe(`GET /v2/user/${session.user_id} ${session.access_token}`);
  });

  test.each([
    [400, 'PARAM_VERIFICATION_FAILED', 4001001, (c: XlinkClient) => c.request('POST', '/v2/user_auth', { json: [] })],
    [400, 'PASSWORD_WRONG', 4001007, (c: XlinkClient) => c.request('POST', '/v2/user_auth', { json: { corp_id: DEMO_CORP_ID, email: DEMO_USER.email, password: 'wrong-pw' } })],
    [403, 'ACCESS_TOKEN_REQUIRED', 4031002, (c: XlinkClient) => c.request('GET', '/v2/user/1001')],
    [403, 'ACCESS_TOKEN_INVALID', 4031003, (c: XlinkClient) => c.request('GET', '/v2/user/1001', { headers: { 'Access-Token': 'made-up' } })],
    [404, 'URL_NOT_FOUND', 4041001, (c: XlinkClient) => c.request('GET', '/v2/nowhere')],
  ] as const)('%d %s: an XlinkResponseError with its status, code, name and message', async (status, name, code, call) => {
    const err = await rejection(call(anonymous()));
    expect(isXlinkResponseError(err)).toBe(true);
    expect(err).toBeInstanceOf(XlinkResponseError);
    expect(err).toBeInstanceOf(Error);
    const e = err as XlinkResponseError;
    expect([e.status, e.code, e.errorName]).toEqual([status, code, name]);
  });

  test('HEAD: the status without a body, so no code, and a message that says the body was empty', async () => {
    const err = (await rejection(anonymous().request('HEAD', '/v2/nowhere'))) as XlinkResponseError;
    expect([err.status, err.code, err.msg, err.body]).toEqual([404, undefined, undefined, undefined]);
    expect(err.message).toBe('404 Not Found: not an Xlink error envelope: an empty body (application/json; charset=utf-8)');
  });

  test('404 4041008 for a device that does not exist, msg as sent, the Response kept', async () => {
    const session = await login();
    const client = createXlinkClient({ baseUrl: server.url, accessToken: session.access_token });
    const err = (await rejection(client.request('GET', devicePath(99999)))) as XlinkResponseError;
    expect([err.status, err.code, err.errorName, err.msg]).toEqual([404, 4041008, 'DEVICE_NOT_FOUND', 'Device does not exist']);
    expect(err.message).toBe('404 Not Found DEVICE_NOT_FOUND 4041008: Device does not exist');
    expect(err.response?.status).toBe(404);
    expect(err.body).toEqual({ error: { code: 4041008, msg: 'Device does not exist' } });
  });

  test('the message in the server’s language, the code the same', async () => {
    const err = (await rejection(anonymous().request('GET', '/v2/nowhere', { headers: { 'Accept-Language': 'zh-CN' } }))) as XlinkResponseError;
    expect([err.code, err.errorName, err.msg]).toEqual([4041001, 'URL_NOT_FOUND', 'URL找不到']);
  });

  test('an expired token (XLINK_ACCESS_TOKEN_SECONDS=2): 10 concurrent requests, exactly one refresh, each retried once with the new token', async () => {
    const session = await login();
    let refreshes = 0;
    const client = createXlinkClient({
      baseUrl: server.url,
      accessToken: session.access_token,
      // What an app does: the refresh endpoint, and when the refresh token expired with the
      // access token (the Xlink docs: then log in again), a new login.
      refresh: async (err) => {
        refreshes += 1;
        expect(err.errorName).toBe('ACCESS_TOKEN_EXPIRED' as never);
        try {
          return (await client.request<Session>('POST', '/v2/user/token/refresh', { json: { refresh_token: session.refresh_token }, refresh: false })).access_token;
        } catch (failure) {
          if (!isXlinkResponseError(failure) || failure.errorName !== 'REFRESH_TOKEN_ILLEGAL') throw failure;
          return (await login()).access_token;
        }
      },
    });
    await until(Date.now() + session.expire_in * 1000);
    server.log.splice(0);
    const answers = await Promise.all(Array.from({ length: 10 }, () => client.request('GET', `/v2/user/${session.user_id}`)));
    expect(answers).toEqual(Array.from({ length: 10 }, () => expect.objectContaining({ id: session.user_id })));
    expect(refreshes).toBe(1);
    const fresh = client.accessToken!;
    expect(fresh).not.toBe(session.access_token);
    const sent = server.log.filter((line) => line.startsWith('GET '));
    expect(sent.filter((line) => line.endsWith(session.access_token))).toHaveLength(10);
    expect(sent.filter((line) => line.endsWith(fresh))).toHaveLength(10);
    // The refresh carries the expired token, as the Xlink docs' request shows; the login none.
    expect(server.log.filter((line) => line.startsWith('POST '))).toEqual([`POST /v2/user/token/refresh ${session.access_token}`, 'POST /v2/user_auth -']);
  }, 20_000);

  test('a token replaced by a refresh (4031022): one refresh, shared by 10 concurrent requests', async () => {
    const session = await login();
    // Another tab refreshes the session: the token this client holds is replaced.
    const renewed = await anonymous().request<Session>('POST', '/v2/user/token/refresh', { json: { refresh_token: session.refresh_token } });
    let refreshes = 0;
    const reasons: unknown[] = [];
    const client = createXlinkClient({
      baseUrl: server.url,
      accessToken: session.access_token,
      refresh: async (err) => {
        refreshes += 1;
        reasons.push(err.code);
        return renewed.access_token; // the app's shared storage has the other tab's token
      },
    });
    server.log.splice(0);
    await Promise.all(Array.from({ length: 10 }, () => client.request('GET', `/v2/user/${session.user_id}`)));
    expect([refreshes, reasons]).toEqual([1, [4031022]]);
    expect(server.log.filter((line) => line.endsWith(session.access_token))).toHaveLength(10);
    expect(server.log.filter((line) => line.endsWith(renewed.access_token))).toHaveLength(10);
  });

  test('a request sent with the old token that fails after the refresh is retried with the new token, without another refresh', async () => {
    const session = await login();
    const renewed = await anonymous().request<Session>('POST', '/v2/user/token/refresh', { json: { refresh_token: session.refresh_token } });
    let refreshes = 0;
    let refreshed!: () => void;
    const refreshDone = new Promise<void>((resolve) => (refreshed = resolve));
    let calls = 0;
    const client = createXlinkClient({
      baseUrl: server.url,
      accessToken: session.access_token,
      // The second request's answer arrives late: after the first one's refresh has finished.
      fetch: async (url, init) => {
        const late = calls++ === 1;
        const res = await fetch(url, init);
        if (late) await refreshDone;
        return res;
      },
      refresh: async () => {
        refreshes += 1;
        setImmediate(refreshed);
        return renewed.access_token;
      },
    });
    server.log.splice(0);
    const first = client.request('GET', `/v2/user/${session.user_id}`);
    const second = client.request('GET', `/v2/user/${session.user_id}?late`);
    await expect(Promise.all([first, second])).resolves.toEqual([expect.objectContaining({ id: session.user_id }), expect.objectContaining({ id: session.user_id })]);
    expect(refreshes).toBe(1);
    expect(server.log.filter((line) => line.includes('?late'))).toEqual([`GET /v2/user/${session.user_id}?late ${session.access_token}`, `GET /v2/user/${session.user_id}?late ${renewed.access_token}`]);
  });

  test('a failing refresh rejects every waiting request with its error, and nothing is retried', async () => {
    const session = await login();
    await anonymous().request('POST', '/v2/user/token/refresh', { json: { refresh_token: session.refresh_token } });
    const failure = new Error('the refresh endpoint is down');
    let refreshes = 0;
    const client = createXlinkClient({ baseUrl: server.url, accessToken: session.access_token, refresh: () => (refreshes++, Promise.reject(failure)) });
    server.log.splice(0);
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => client.request('GET', `/v2/user/${session.user_id}`)));
    expect(results).toEqual(Array.from({ length: 10 }, () => ({ status: 'rejected', reason: failure })));
    expect(refreshes).toBe(1);
    expect(server.log).toHaveLength(10);
    expect(client.accessToken).toBe(session.access_token);
  });

  test('a refresh whose token fails again: the retry’s error, no second refresh, no loop', async () => {
    const session = await login();
    await anonymous().request('POST', '/v2/user/token/refresh', { json: { refresh_token: session.refresh_token } });
    let refreshes = 0;
    const client = createXlinkClient({ baseUrl: server.url, accessToken: session.access_token, refresh: async () => (refreshes++, session.access_token) });
    server.log.splice(0);
    const err = (await rejection(client.request('GET', `/v2/user/${session.user_id}`))) as XlinkResponseError;
    expect([err.code, refreshes, server.log.length]).toEqual([4031022, 1, 2]);
  });

  test('other errors are not retried and make no refresh: 4031003, 4041008', async () => {
    let refreshes = 0;
    const client = createXlinkClient({ baseUrl: server.url, accessToken: 'made-up', refresh: async () => (refreshes++, 'other') });
    expect(((await rejection(client.request('GET', '/v2/user/1001'))) as XlinkResponseError).code).toBe(4031003);
    const session = await login();
    client.setAccessToken(session.access_token);
    server.log.splice(0);
    expect(((await rejection(client.request('GET', devicePath(99999)))) as XlinkResponseError).code).toBe(4041008);
    expect([refreshes, server.log.length]).toEqual([0, 1]);
  });

  test('an aborted request rejects with the abort’s reason and is not retried', async () => {
    const session = await login();
    const client = createXlinkClient({ baseUrl: server.url, accessToken: session.access_token, refresh: async () => 'x' });
    const controller = new AbortController();
    const reason = new Error('user left the page');
    controller.abort(reason);
    server.log.splice(0);
    await expect(client.request('GET', `/v2/user/${session.user_id}`, { signal: controller.signal })).rejects.toBe(reason);
    expect(server.log).toEqual([]);
  });

  test('an abort while waiting for the refresh rejects at once with its reason; the refresh still serves the others', async () => {
    const session = await login();
    await anonymous().request('POST', '/v2/user/token/refresh', { json: { refresh_token: session.refresh_token } });
    let release!: (token: string) => void;
    let started!: () => void;
    const refreshStarted = new Promise<void>((resolve) => (started = resolve));
    const client = createXlinkClient({
      baseUrl: server.url,
      accessToken: session.access_token,
      refresh: () => {
        started();
        return new Promise<string>((resolve) => (release = resolve));
      },
    });
    const controller = new AbortController();
    const aborted = client.request('GET', `/v2/user/${session.user_id}`, { signal: controller.signal });
    const other = client.request('GET', `/v2/user/${session.user_id}`);
    await refreshStarted;
    const reason = new Error('timed out');
    controller.abort(reason);
    await expect(aborted).rejects.toBe(reason);
    release((await login()).access_token);
    await expect(other).resolves.toMatchObject({ id: session.user_id });
  });
});
