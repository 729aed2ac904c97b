/**
 * The example's memory stays bounded under floods: expired codes, sessions and shares are
 * purged, and every collection has a cap answered with a clear 503 rather than growth.
 * Bounded loops on the service (in-process, no network), store sizes asserted, nothing timed.
 */
import request from 'supertest';
import { request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { clientAddress, clientKey } from '../examples/domain/client-address';
import { createXlinkServer } from '../examples/domain/serve';
import { createKoaApp } from '../examples/koa/app';
import { isXlinkError } from 'xlink-errors';
import { createExpressApp } from '../examples/express/app';
import { STORE_CAPS, SESSIONS_PER_USER } from '../examples/domain/policy';
import { XlinkService, type Notifier } from '../examples/domain/service';
import { DEMO_CORP_ID, DEMO_USER, MemoryStore, seededStore } from '../examples/domain/store';

const silent: Notifier = { send: () => {} };

test('100k code requests for distinct phones over a day and more: the code store stays under its cap', () => {
  let clock = Date.parse('2026-11-29T00:00:00Z');
  const service = new XlinkService(seededStore(() => clock), silent, () => clock);
  let sent = 0;
  let refused = 0;
  let otherErrors = 0;
  let largest = 0;
  for (let i = 0; i < 100_000; i++) {
    clock += 1_000; // 100k requests over ~28 hours
    try {
      service.sendRegisterSms({ corp_id: DEMO_CORP_ID, phone: String(13_000_000_000 + i) });
      sent++;
    } catch (err) {
      if (isXlinkError(err) && err.status === 503 && String((err.cause as Error).message).startsWith('example store full: 10000 codes')) refused++;
      else otherErrors++;
    }
    largest = Math.max(largest, service.sizes().codes);
  }
  expect(largest).toBeLessThanOrEqual(STORE_CAPS.codes);
  // Each phone's record lives a day (it counts the day's sends); after that, room again.
  expect(sent).toBeGreaterThan(STORE_CAPS.codes);
  expect([sent + refused, otherErrors]).toEqual([100_000, 0]);
});

test('a full code store answers 503 with a true Retry-After (when its earliest record goes) and logs why; nothing is stored', async () => {
  const clock = Date.parse('2026-11-29T00:00:00Z');
  const service = new XlinkService(seededStore(() => clock), silent, () => clock);
  for (let i = 0; i < STORE_CAPS.codes; i++) service.sendRegisterSms({ corp_id: DEMO_CORP_ID, phone: String(13_000_000_000 + i) });
  const logged: unknown[] = [];
  const res = await request(createExpressApp(service, { onError: (err) => void logged.push(err) }))
    .post('/v2/user_register/verifycode')
    .send({ corp_id: DEMO_CORP_ID, phone: '13999999999' });
  expect([res.status, res.text, res.headers['retry-after']]).toEqual([503, '{"error":{"code":5031001,"msg":"Server exception"}}', String(24 * 3600)]);
  expect(String(((logged[0] as Error).cause as Error).message)).toContain('example store full');
  expect(service.sizes().codes).toBe(STORE_CAPS.codes);
});

test(`sessions: at most ${SESSIONS_PER_USER} per user, and expired ones are purged`, () => {
  let clock = Date.parse('2026-11-29T00:00:00Z');
  const service = new XlinkService(seededStore(() => clock), silent, () => clock);
  for (let i = 0; i < SESSIONS_PER_USER + 10; i++) service.login({ corp_id: DEMO_CORP_ID, email: DEMO_USER.email, password: DEMO_USER.password });
  expect(service.sizes().sessions).toBe(SESSIONS_PER_USER);
  clock += 3 * 3600 * 1000 + 1; // past expiry and the hour an expired token is still recognised
  service.login({ corp_id: DEMO_CORP_ID, email: DEMO_USER.email, password: DEMO_USER.password });
  expect(service.sizes().sessions).toBe(1);
});

test('users: the store refuses registrations beyond its cap with a clear error', () => {
  const store = new MemoryStore();
  const user = { corp_id: DEMO_CORP_ID, phone_zone: '+86', nickname: 'x', passwordHash: 'x:x', source: 1, local_lang: 'zh-cn', status: 1, is_vaild: true, gender: -1, age: 0, create_date: '' } as const;
  for (let i = 0; i < STORE_CAPS.users; i++) store.addUser({ ...user, email: `u${i}@example.com` });
  expect(store.userByAccount(DEMO_CORP_ID, { email: 'U9999@example.com' })?.email).toBe('u9999@example.com');
  expect(() => store.addUser({ ...user, email: 'one-more@example.com' })).toThrow(expect.objectContaining({ status: 503 }));
  expect(store.sizes().users).toBe(STORE_CAPS.users);
});

describe.each([
  ['Express', (service: XlinkService) => createExpressApp(service, { onError: () => {} })],
  ['Koa', (service: XlinkService) => createKoaApp(service, { onError: () => {} }).callback()],
] as const)('per-client limits on %s, over real sockets', (_label, listenerFor) => {
  let server: Server;
  let port: number;
  const quota = 2;

  beforeAll(async () => {
    const service = new XlinkService(seededStore(), silent, Date.now, { clientLimits: { codeSends: { max: quota, seconds: 3600 } } });
    server = createXlinkServer(listenerFor(service));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** A POST from a given local address (the whole 127/8 is loopback), the server on 127.0.0.1. */
  function post(from: string, path: string, body: object, headers: Record<string, string> = {}) {
    return new Promise<{ status: number; text: string; retryAfter?: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', localAddress: from, agent: false, headers }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, text, retryAfter: res.headers['retry-after'] }));
      });
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
  }

  test('the quota is the socket address’s: X-Forwarded-For is not trusted by default, other addresses are served', async () => {
    for (let i = 0; i < quota; i++) {
      expect((await post('127.0.0.2', '/v2/user_register/verifycode', { corp_id: DEMO_CORP_ID, phone: `1370000030${i}` }, { 'X-Forwarded-For': `10.0.0.${i}` })).status).toBe(200);
    }
    const refused = await post('127.0.0.2', '/v2/user_register/verifycode', { corp_id: DEMO_CORP_ID, phone: '13700000399' }, { 'X-Forwarded-For': '10.9.9.9' });
    expect([refused.status, JSON.parse(refused.text).error.code, refused.retryAfter]).toEqual([400, 4001080, '3600']);
    expect((await post('127.0.0.1', '/v2/user_register/verifycode', { corp_id: DEMO_CORP_ID, phone: '13700000398' })).status).toBe(200);
  });
});

describe('client addresses', () => {
  const req = (remoteAddress: string, forwarded?: string) => ({ socket: { remoteAddress }, headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded } }) as unknown as IncomingMessage;

  test.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff::1', '2001:db8:1:2::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('%s counts as %s', (address, key) => {
    expect(clientKey(address)).toBe(key);
  });

  test('behind n trusted proxies, the n-th X-Forwarded-For entry from the right; what the client wrote further left is ignored', () => {
    expect(clientAddress(req('10.0.0.1', '6.6.6.6, 203.0.113.9'), 1)).toBe('203.0.113.9');
    expect(clientAddress(req('10.0.0.1', '6.6.6.6, 203.0.113.9, 10.0.0.2'), 2)).toBe('203.0.113.9');
    expect(clientAddress(req('10.0.0.1', '6.6.6.6, 203.0.113.9'), 0)).toBe('10.0.0.1');
    expect(clientAddress(req('10.0.0.1', 'not-an-ip'), 1)).toBe('10.0.0.1');
    expect(clientAddress(req('10.0.0.1'), 1)).toBe('10.0.0.1');
  });
});
