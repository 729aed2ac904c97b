/**
 * The example server's conformance suite: every documented request, success and failure, run as
 * whole client sessions against the Express app and the Koa app. Each scenario checks what the
 * Xlink docs say, and both apps must answer it identically: status, Content-Type and body
 * (random tokens and codes normalised). One clock, controlled by the test, drives every expiry,
 * lockout and rate limit: nothing sleeps.
 */
import request from 'supertest';
import type { RequestListener } from 'node:http';
import type { XlinkErrorName } from 'xlink-errors';
import { XLINK_EXTENDED_ERRORS } from 'xlink-errors/extended';
import { expectXlinkError } from 'xlink-errors/testing';
import { createExpressApp } from '../examples/express/app';
import { createKoaApp } from '../examples/koa/app';
import { XlinkService, type Notifier, type ServiceOptions } from '../examples/domain/service';
import { ACTIVATION_CODE_SECONDS, CODE_DAILY_SENDS, CODE_MAX_WRONG_GUESSES, DEVICE_PROPERTY_LIMIT, LIMIT_ERRORS, LIMIT_MESSAGES, PROPERTY_VALUE_LIMITS, STORE_CAPS, TWO_FACTOR_CODE_SECONDS, LOGIN_FAILURE_WINDOW_SECONDS, LOGIN_LOCK_SECONDS, LOGIN_MAX_WRONG_PASSWORDS } from '../examples/domain/policy';
import { DEMO_CORP_ID, DEMO_DEVICE_ID, DEMO_DEVICE_IDS, DEMO_FRIEND, DEMO_FRIEND_DEVICE_ID, DEMO_PRODUCT_ID, DEMO_USER, seededStore } from '../examples/domain/store';

const corp_id = DEMO_CORP_ID;
const START = Date.parse('2026-11-29T08:00:00.000Z');

/** Each app, its 5xx reports going to `report` (captured, asserted by the scenarios that provoke one; nothing printed). */
const frameworks: [string, (service: XlinkService, report: (err: unknown) => void) => RequestListener][] = [
  ['Express', (service, report) => createExpressApp(service, { onError: (err, xlinkErr) => void (xlinkErr.status >= 500 && report(err)) })],
  [
    'Koa',
    (service, report) => {
      const app = createKoaApp(service, { onError: () => {} });
      app.on('error', report); // instead of Koa's console.error
      return app.callback();
    },
  ],
];

interface Exchange {
  request: string;
  status: number;
  type: string | undefined;
  retryAfter: string | undefined;
  vary: string | undefined;
  body: unknown;
}

/** Random values in answers, replaced (here and in later request paths) so the two transcripts can be compared. */
const RANDOM_FIELDS = new Set(['access_token', 'refresh_token', 'authorize', 'invite_code']);
function normalise(text: string, type: string | undefined, seen: Set<string>): unknown {
  if (!type?.startsWith('application/json') || text === '') return text;
  return JSON.parse(text, (key, value) => {
    if (!RANDOM_FIELDS.has(key)) return value;
    seen.add(value);
    return '<random>';
  });
}

/** One client session against one app, with its clock, its mailbox and its transcript. */
class Session {
  readonly transcript: Exchange[] = [];
  private readonly randoms = new Set<string>();
  readonly sent: { to: string; what: string; code: string }[] = [];
  private clock = START;
  readonly service: XlinkService;
  readonly app: RequestListener;

  /** What the app reported (5xx): the errors, for the scenarios that provoke one. */
  readonly reports: unknown[] = [];

  constructor(makeApp: (service: XlinkService, report: (err: unknown) => void) => RequestListener, options: ServiceOptions = {}) {
    const notifier: Notifier = { send: (to, what, code) => void this.sent.push({ to, what, code }) };
    this.service = new XlinkService(seededStore(() => this.clock, corp_id, { ...STORE_CAPS, ...options.caps }), notifier, () => this.clock, options);
    this.app = makeApp(this.service, (err) => void this.reports.push(err));
  }

  advance(seconds: number): void {
    this.clock += seconds * 1000;
  }

  lastCode(): string {
    return this.sent[this.sent.length - 1]!.code;
  }

  /** A code that is not the current one. */
  wrongCode(): string {
    return this.lastCode() === '000000' ? '000001' : '000000';
  }

  async call(method: 'get' | 'post' | 'put' | 'delete' | 'patch' | 'options' | 'head', path: string, options: { body?: object | string | Buffer; token?: string; headers?: Record<string, string> } = {}) {
    let req = request(this.app)[method](path);
    if (options.token !== undefined) req = req.set('Access-Token', options.token);
    for (const [name, value] of Object.entries(options.headers ?? {})) req = req.set(name, value);
    if (Buffer.isBuffer(options.body)) req = req.serialize((bytes) => bytes); // the bytes as they are, whatever the type says
    const res = options.body === undefined ? await req : await req.send(options.body as object);
    const type = res.headers['content-type'] as string | undefined;
    let label = `${method.toUpperCase()} ${path}`;
    for (const random of this.randoms) label = label.replaceAll(random, '<random>');
    this.transcript.push({ request: label, status: res.status, type, retryAfter: res.headers['retry-after'], vary: res.headers.vary, body: normalise(res.text ?? '', type, this.randoms) });
    return res;
  }

  post(path: string, body?: object, token?: string) {
    return this.call('post', path, { body, token });
  }

  get(path: string, token?: string) {
    return this.call('get', path, { token });
  }

  async login(account: object, password: string) {
    const res = await this.post('/v2/user_auth', { corp_id, ...account, password });
    expect(res.status).toBe(200);
    return res.body as { user_id: number; access_token: string; refresh_token: string; expire_in: number; authorize: string };
  }
}

async function ok(res: request.Response | Promise<request.Response>, body?: unknown) {
  const r = await res;
  expect([r.status, r.text?.slice(0, 300)]).toEqual([200, expect.anything()]);
  if (body !== undefined) expect(r.body).toEqual(body);
  return r;
}

/** The documented empty answer ("无"): 200, no body, no Content-Type. */
async function empty(res: request.Response | Promise<request.Response>) {
  const r = await res;
  expect([r.status, r.headers['content-type'], r.text]).toEqual([200, undefined, '']);
}

async function fails(res: request.Response | Promise<request.Response>, name: XlinkErrorName) {
  expectXlinkError(await res, name);
}

/** The response is the error of a limit (LIMIT_ERRORS): its later official code, status and message. */
function limited(res: request.Response, which: keyof typeof LIMIT_ERRORS, locale: 'en' | 'zh-CN' = 'en') {
  const { code, msg, msgZh } = XLINK_EXTENDED_ERRORS[LIMIT_ERRORS[which]];
  const own = LIMIT_MESSAGES[which]; // limits that share a code have their own message
  const body = JSON.stringify({ error: { code, msg: own ?? (locale === 'en' ? msg : msgZh) } });
  expect([res.status, res.headers['content-type'], res.text]).toEqual([Math.floor(code / 10_000), 'application/json; charset=utf-8', body]);
}

/** What a 5xx report says happened: its cause's message (the error itself, when it has none). */
function causeOf(err: unknown): string {
  const error = err as Error;
  return String(((error.cause as Error | undefined) ?? error).message);
}

function retryAfter(res: request.Response): number {
  return Number(res.headers['retry-after']);
}

const scenarios: Record<string, (s: Session) => Promise<void>> = {
  async 'register by email, activate, log in, read and edit the user, refresh'(s) {
    const email = 'ada@example.com';
    await ok(s.post('/v2/user_register', { email, corp_id, password: 'secret12', source: 1, nickname: 'Ada' }), { email, status: 1 });
    await fails(s.post('/v2/user_register', { email, corp_id, password: 'secret99', source: 1 }), 'EMAIL_ALREADY_REGISTERED');
    await fails(s.post('/v2/user_register', { email: 'ADA@example.com', corp_id, password: 'secret99', source: '1' }), 'EMAIL_ALREADY_REGISTERED');
    await fails(s.post('/v2/user_register', { email: 'x@example.com', corp_id: 'nope', password: 'secret12', source: 1 }), 'ENTERPRISE_NOT_FOUND');
    await fails(s.post('/v2/user_register', { email: 'x@example.com', corp_id, password: 'secret12', source: 7 }), 'PARAM_VERIFICATION_FAILED');

    await fails(s.post('/v2/user_auth', { corp_id, email, password: 'secret12' }), 'USER_EMAIL_UNVERIFIED');
    await fails(s.post('/v2/user/password/forgot', { corp_id, email }), 'USER_EMAIL_UNVERIFIED'); // "用户的账号需要已激活"
    await fails(s.post('/v2/user_email_activate', { corp_id, email, verifycode: '000000x' }), 'EMAIL_CODE_INVALID');
    await fails(s.post('/v2/user_email_activate', { corp_id, email: 'nobody@example.com', verifycode: '000000' }), 'USER_NOT_FOUND');
    expect(s.sent[0]).toMatchObject({ to: email, what: 'activation code' });
    await empty(s.post('/v2/user_email_activate', { corp_id, email, verifycode: s.lastCode() }));
    await fails(s.post('/v2/user_email_activate', { corp_id, email, verifycode: s.lastCode() }), 'EMAIL_CODE_NOT_FOUND');

    const session = await s.login({ email }, 'secret12');
    expect(session).toEqual({ user_id: expect.any(Number), access_token: expect.any(String), refresh_token: expect.any(String), expire_in: 7200, authorize: expect.any(String) });
    const user = await ok(s.get(`/v2/user/${session.user_id}`, session.access_token));
    expect(user.body).toMatchObject({ id: session.user_id, corp_id, email, nickname: 'Ada', status: 1, is_vaild: true, create_date: new Date(START).toISOString() });
    expect(JSON.stringify(user.body)).not.toMatch(/password/i);

    await empty(s.call('put', `/v2/user/${session.user_id}`, { token: session.access_token, body: { nickname: 'Ada L.', country: 'UK', province: 'London' } }));
    await ok(s.get(`/v2/user/${session.user_id}`, session.access_token)).then((r) => expect(r.body).toMatchObject({ nickname: 'Ada L.', country: 'UK', province: 'London' }));
    await fails(s.call('put', `/v2/user/${session.user_id}`, { token: session.access_token, body: { city: 'London' } }), 'PARAM_NULL');

    // The refresh carries only the refresh_token (no Access-Token header), and rotates the pair.
    const refreshed = await ok(s.post('/v2/user/token/refresh', { refresh_token: session.refresh_token }));
    expect(refreshed.body).toEqual({ access_token: expect.any(String), refresh_token: expect.any(String), expire_in: 7200 });
    limited(await s.get(`/v2/user/${session.user_id}`, session.access_token), 'tokenRefreshed'); // 4031022, the token a refresh replaced
    await ok(s.get(`/v2/user/${session.user_id}`, refreshed.body.access_token));
    await fails(s.post('/v2/user/token/refresh', { refresh_token: session.refresh_token }), 'REFRESH_TOKEN_ILLEGAL');
    await fails(s.post('/v2/user/token/refresh', {}), 'PARAM_NULL');
  },

  async 'register by phone with the SMS code, which expires after 120 s'(s) {
    const phone = '13900000001';
    const body = { phone, nickname: 'Bo', corp_id, verifycode: '123456', password: 'secret12', source: 2 };
    await fails(s.post('/v2/user_register', body), 'SMS_CODE_NOT_FOUND');
    await empty(s.post('/v2/user_register/verifycode', { corp_id, phone }));
    expect(s.sent[0]).toMatchObject({ to: `+86 ${phone}`, what: 'SMS registration code' });
    await fails(s.post('/v2/user_register', { ...body, verifycode: s.wrongCode() }), 'SMS_CODE_INVALID');
    s.advance(121);
    await fails(s.post('/v2/user_register', { ...body, verifycode: s.lastCode() }), 'SMS_CODE_NOT_FOUND');
    await empty(s.post('/v2/user_register/verifycode', { corp_id, phone }));
    await ok(s.post('/v2/user_register', { ...body, verifycode: s.lastCode() }), { phone });
    await fails(s.post('/v2/user_register/verifycode', { corp_id, phone }), 'PHONE_ALREADY_REGISTERED');
    await fails(s.post('/v2/user_register/verifycode', { corp_id: 'nope', phone: '13900000002' }), 'ENTERPRISE_NOT_FOUND');
    await fails(s.post('/v2/user_register/verifycode', { corp_id, phone: '12ab' }), 'PARAM_VERIFICATION_FAILED');
    await fails(s.post('/v2/user_register', { phone, corp_id, password: 'secret12', source: 2 }), 'PARAM_NULL'); // no nickname, no code
    expect((await s.login({ phone }, 'secret12')).user_id).toEqual(expect.any(Number));
  },

  async 'a verification code dies after 5 wrong guesses'(s) {
    const phone = '13900000003';
    await empty(s.post('/v2/user_register/verifycode', { corp_id, phone }));
    const right = s.lastCode();
    const body = { phone, nickname: 'Cy', corp_id, password: 'secret12', source: 2 };
    for (let guess = 1; guess <= CODE_MAX_WRONG_GUESSES; guess++) {
      await fails(s.post('/v2/user_register', { ...body, verifycode: s.wrongCode() }), 'SMS_CODE_INVALID');
    }
    // Void: even the right code is refused now, and the account was not created.
    await fails(s.post('/v2/user_register', { ...body, verifycode: right }), 'SMS_CODE_INVALID');
    await fails(s.post('/v2/user_auth', { corp_id, phone, password: 'secret12' }), 'USER_NOT_FOUND');
    // A new code (a minute later) works.
    s.advance(60);
    await empty(s.post('/v2/user_register/verifycode', { corp_id, phone }));
    await ok(s.post('/v2/user_register', { ...body, verifycode: s.lastCode() }), { phone });
  },

  async 'an email activation code dies after 5 wrong guesses; registering again (same password) sends a new one'(s) {
    const email = 'eve@example.com';
    await ok(s.post('/v2/user_register', { email, corp_id, password: 'secret12', source: 1 }), { email, status: 1 });
    const right = s.lastCode();
    for (let guess = 1; guess <= CODE_MAX_WRONG_GUESSES; guess++) {
      await fails(s.post('/v2/user_email_activate', { corp_id, email, verifycode: s.wrongCode() }), 'EMAIL_CODE_INVALID');
    }
    await fails(s.post('/v2/user_email_activate', { corp_id, email, verifycode: right }), 'EMAIL_CODE_INVALID');
    limited(await s.post('/v2/user_register', { email, corp_id, password: 'secret12', source: 1 }), 'codeResendWait');
    s.advance(60);
    await fails(s.post('/v2/user_register', { email, corp_id, password: 'other-pw', source: 1 }), 'EMAIL_ALREADY_REGISTERED'); // not someone else
    await ok(s.post('/v2/user_register', { email, corp_id, password: 'secret12', source: 1 }), { email, status: 1 });
    await empty(s.post('/v2/user_email_activate', { corp_id, email, verifycode: s.lastCode() }));
    await s.login({ email }, 'secret12');
    await fails(s.post('/v2/user_register', { email, corp_id, password: 'secret12', source: 1 }), 'EMAIL_ALREADY_REGISTERED');
  },

  async 'codes are sent at most once a minute and so many a day per phone or email'(s) {
    const phone = '13900000004';
    await empty(s.post('/v2/user_register/verifycode', { corp_id, phone }));
    const again = await s.post('/v2/user_register/verifycode', { corp_id, phone });
    limited(again, 'codeResendWait'); // its own message, not the daily limit's
    expect(retryAfter(again)).toBe(60);
    s.advance(30);
    expect(retryAfter(await s.post('/v2/user_register/verifycode', { corp_id, phone }))).toBe(30);
    for (let sends = 1; sends < CODE_DAILY_SENDS; sends++) {
      s.advance(60);
      await empty(s.post('/v2/user_register/verifycode', { corp_id, phone }));
    }
    s.advance(60);
    const capped = await s.post('/v2/user_register/verifycode', { corp_id, phone });
    limited(capped, 'tooManyCodes');
    expect(retryAfter(capped)).toBeGreaterThan(23 * 3600);
    expect(s.sent).toHaveLength(CODE_DAILY_SENDS);
    for (const phone_zone of ['86', '+086', '0086']) limited(await s.post('/v2/user_register/verifycode', { corp_id, phone, phone_zone }), 'tooManyCodes'); // one zone, however spelt
    await empty(s.post('/v2/user_register/verifycode', { corp_id, phone: '13900000005' })); // another phone is not affected
    s.advance(24 * 3600);
    await empty(s.post('/v2/user_register/verifycode', { corp_id, phone }));

    await empty(s.post('/v2/user/password/forgot', { corp_id, email: DEMO_USER.email }));
    limited(await s.post('/v2/user/password/forgot', { corp_id, email: DEMO_USER.email }), 'codeResendWait');
  },

  async 'login: failures, resource as clients send it, lockout after repeated wrong passwords'(s) {
    await fails(s.post('/v2/user_auth', { corp_id, email: 'nobody@example.com', password: 'secret12' }), 'USER_NOT_FOUND');
    await fails(s.post('/v2/user_auth', { corp_id: 'nope', email: DEMO_USER.email, password: 'secret12' }), 'ENTERPRISE_NOT_FOUND');
    await fails(s.post('/v2/user_auth', { corp_id, email: DEMO_USER.email }), 'PARAM_NULL');
    await fails(s.post('/v2/user_auth', { corp_id, email: DEMO_USER.email, password: null }), 'PARAM_NULL');
    await fails(s.post('/v2/user_auth', { corp_id, password: 'secret12' }), 'PARAM_NULL'); // neither email nor phone
    await fails(s.post('/v2/user_auth', { corp_id, email: 'not-an-email', password: 'secret12' }), 'PARAM_VERIFICATION_FAILED');
    await fails(s.post('/v2/user_auth', { corp_id, email: DEMO_USER.email, password: '123' }), 'PARAM_VERIFICATION_FAILED');
    await fails(s.post('/v2/user_auth', { corp_id, email: DEMO_USER.email, password: 'secret12', admin: true }), 'PARAM_VERIFICATION_FAILED');
    await s.login({ email: DEMO_USER.email, resource: 1 }, DEMO_USER.password);
    await s.login({ phone: DEMO_USER.phone, resource: 'ios' }, DEMO_USER.password);
    await fails(s.post('/v2/user_auth', { corp_id, email: DEMO_USER.email, password: DEMO_USER.password, resource: { a: 1 } }), 'PARAM_VERIFICATION_FAILED');

    for (let attempt = 1; attempt < LOGIN_MAX_WRONG_PASSWORDS; attempt++) {
      await fails(s.post('/v2/user_auth', { corp_id, email: DEMO_USER.email, password: 'wrong-pw' }), 'PASSWORD_WRONG');
    }
    const locked = await s.post('/v2/user_auth', { corp_id, email: DEMO_USER.email, password: 'wrong-pw' });
    limited(locked, 'accountLocked');
    expect(retryAfter(locked)).toBe(LOGIN_LOCK_SECONDS);
    limited(await s.post('/v2/user_auth', { corp_id, email: DEMO_USER.email, password: DEMO_USER.password }), 'accountLocked');
    await s.login({ email: DEMO_FRIEND.email }, DEMO_FRIEND.password); // other accounts are not locked
    s.advance(LOGIN_LOCK_SECONDS - 1);
    limited(await s.post('/v2/user_auth', { corp_id, email: DEMO_USER.email, password: DEMO_USER.password }), 'accountLocked');
    s.advance(1);
    await s.login({ email: DEMO_USER.email }, DEMO_USER.password);
    await fails(s.post('/v2/user_auth', { corp_id, email: DEMO_USER.email, password: 'wrong-pw' }), 'PASSWORD_WRONG'); // the count started over

    // "1分钟内输入错误密码5次": wrong passwords spread over more than a minute do not lock.
    for (let attempt = 1; attempt < 2 * LOGIN_MAX_WRONG_PASSWORDS; attempt++) {
      s.advance(LOGIN_FAILURE_WINDOW_SECONDS / 2);
      await fails(s.post('/v2/user_auth', { corp_id, email: DEMO_FRIEND.email, password: 'wrong-pw' }), 'PASSWORD_WRONG');
    }
    await s.login({ email: DEMO_FRIEND.email }, DEMO_FRIEND.password);
  },

  async 'tokens: missing, unknown, expired, someone else’s user, ids only in canonical decimal'(s) {
    const demo = await s.login({ email: DEMO_USER.email }, DEMO_USER.password);
    await fails(s.get(`/v2/user/${demo.user_id}`), 'ACCESS_TOKEN_REQUIRED');
    await fails(s.get(`/v2/user/${demo.user_id}`, 'made-up'), 'ACCESS_TOKEN_INVALID');
    await fails(s.get(`/v2/user/${demo.user_id}`, `Bearer ${demo.access_token}`), 'ACCESS_TOKEN_INVALID');
    await fails(s.get(`/v2/user/${demo.user_id + 1}`, demo.access_token), 'ACCESS_DENIED');
    await fails(s.get('/v2/user/99999', demo.access_token), 'USER_NOT_FOUND');
    for (const id of ['abc', '0x3E9', '%201001', '01001', '1e3', '1001.0', '-1001', '0']) {
      await fails(s.get(`/v2/user/${id}`, demo.access_token), 'PARAM_VERIFICATION_FAILED');
    }
    for (const id of ['0x3EA', '%201002', '01002', '+1002']) await fails(s.get(`/v2/user/${id}/open_info`), 'PARAM_VERIFICATION_FAILED');
    await ok(s.get(`/v2/user/${demo.user_id}/open_info`), { user_id: demo.user_id, nickname: 'Demo', avatar: '' });
    await fails(s.get('/v2/user/99999/open_info'), 'USER_NOT_FOUND');

    s.advance(7200);
    limited(await s.get(`/v2/user/${demo.user_id}`, demo.access_token), 'tokenExpired');
    limited(await s.call('get', `/v2/user/${demo.user_id}`, { token: demo.access_token, headers: { 'Accept-Language': 'zh-CN' } }), 'tokenExpired', 'zh-CN');
    // 刷新凭证: once the access token has expired it can no longer be refreshed; log in again.
    await fails(s.post('/v2/user/token/refresh', { refresh_token: demo.refresh_token }), 'REFRESH_TOKEN_ILLEGAL');
    const again = await s.login({ email: DEMO_USER.email }, DEMO_USER.password);
    s.advance(7199);
    const refreshed = await ok(s.post('/v2/user/token/refresh', { refresh_token: again.refresh_token }));
    await ok(s.get(`/v2/user/${demo.user_id}`, refreshed.body.access_token));
  },

  async 'passwords: change and find back, each ending every session of the user'(s) {
    const demo = await s.login({ email: DEMO_USER.email }, DEMO_USER.password);
    const other = await s.login({ phone: DEMO_USER.phone }, DEMO_USER.password);
    const change = (token: string, old_password: string, new_password: string) => s.call('put', '/v2/user/password/reset', { token, body: { old_password, new_password } });
    await fails(change(demo.access_token, 'wrong-pw', 'newpass12'), 'PASSWORD_WRONG');
    await empty(change(demo.access_token, DEMO_USER.password, 'newpass12'));
    await fails(s.get(`/v2/user/${demo.user_id}`, demo.access_token), 'ACCESS_TOKEN_INVALID');
    await fails(s.get(`/v2/user/${demo.user_id}`, other.access_token), 'ACCESS_TOKEN_INVALID');
    await fails(s.post('/v2/user/token/refresh', { refresh_token: other.refresh_token }), 'REFRESH_TOKEN_ILLEGAL');
    const fresh = await s.login({ email: DEMO_USER.email }, 'newpass12');

    await empty(s.post('/v2/user/password/forgot', { corp_id, email: DEMO_USER.email }));
    expect(s.sent.at(-1)).toMatchObject({ to: DEMO_USER.email, what: 'password reset code' });
    await fails(s.post('/v2/user/password/foundback', { corp_id, email: DEMO_USER.email, verifycode: 'bad', new_password: 'another1' }), 'EMAIL_CODE_INVALID');
    await empty(s.post('/v2/user/password/foundback', { corp_id, email: DEMO_USER.email, verifycode: s.lastCode(), new_password: 'another1' }));
    await fails(s.get(`/v2/user/${demo.user_id}`, fresh.access_token), 'ACCESS_TOKEN_INVALID');
    await s.login({ email: DEMO_USER.email }, 'another1');
    await fails(s.post('/v2/user/password/forgot', { corp_id, email: 'nobody@example.com' }), 'USER_NOT_FOUND');
    await fails(s.post('/v2/user/password/foundback', { corp_id, phone: DEMO_USER.phone, verifycode: '123456', new_password: 'another1' }), 'SMS_CODE_NOT_FOUND');
  },

  async 'password reset codes die after 5 wrong guesses too'(s) {
    await empty(s.post('/v2/user/password/forgot', { corp_id, phone: DEMO_USER.phone }));
    const right = s.lastCode();
    for (let guess = 1; guess <= CODE_MAX_WRONG_GUESSES; guess++) {
      await fails(s.post('/v2/user/password/foundback', { corp_id, phone: DEMO_USER.phone, verifycode: s.wrongCode(), new_password: 'taken-over' }), 'SMS_CODE_INVALID');
    }
    await fails(s.post('/v2/user/password/foundback', { corp_id, phone: DEMO_USER.phone, verifycode: right, new_password: 'taken-over' }), 'SMS_CODE_INVALID');
    await s.login({ email: DEMO_USER.email }, DEMO_USER.password);
  },

  async 'user details: avatars are http(s) URLs only'(s) {
    const friend = await s.login({ email: DEMO_FRIEND.email }, DEMO_FRIEND.password);
    const put = (avatar: string) => s.call('put', `/v2/user/${friend.user_id}`, { token: friend.access_token, body: { avatar } });
    for (const avatar of ['javascript:alert(document.cookie)//', 'data:text/html,<script>alert(1)</script>', 'ftp://example.com/a.png', '//evil.example/a.png', 'not a url']) {
      await fails(put(avatar), 'PARAM_VERIFICATION_FAILED');
    }
    await empty(put('https://cdn.example.com/a.png'));
    await ok(s.get(`/v2/user/${friend.user_id}/open_info`), { user_id: friend.user_id, nickname: 'Friend', avatar: 'https://cdn.example.com/a.png' });
  },

  async 'devices: the subscribed list, with and without version'(s) {
    const demo = await s.login({ email: DEMO_USER.email }, DEMO_USER.password);
    const bare = await ok(s.get(`/v2/user/${demo.user_id}/subscribe/devices`, demo.access_token));
    expect(bare.body.map((d: { id: number }) => d.id)).toEqual([...DEMO_DEVICE_IDS]);
    expect(bare.body[0]).toMatchObject({ id: DEMO_DEVICE_ID, mac: 'AABBCCDDEEFF', product_id: DEMO_PRODUCT_ID, name: 'Demo lamp', role: 0, source: 1, is_active: true, is_online: true, access_key: 777 });
    expect(bare.body[0]).not.toHaveProperty('soft_init_date');
    const versioned = await ok(s.get(`/v2/user/${demo.user_id}/subscribe/devices?version=0&filter=soft_init_date,name`, demo.access_token));
    expect(versioned.body).toEqual({ version: expect.any(Number), list: [expect.objectContaining({ id: DEMO_DEVICE_ID, soft_init_date: expect.any(String) }), expect.anything()] });
    await fails(s.get(`/v2/user/${demo.user_id}/subscribe/devices?version=x`, demo.access_token), 'PARAM_VERIFICATION_FAILED');
    await fails(s.get(`/v2/user/${demo.user_id}/subscribe/devices`), 'ACCESS_TOKEN_REQUIRED');
    await fails(s.get(`/v2/user/${demo.user_id + 1}/subscribe/devices`, demo.access_token), 'ACCESS_DENIED');

    // Shared and accepted: the friend's list has it, and its version moved.
    const friend = await s.login({ email: DEMO_FRIEND.email }, DEMO_FRIEND.password);
    const before = (await ok(s.get(`/v2/user/${friend.user_id}/subscribe/devices?version=0`, friend.access_token))).body;
    expect(before.list).toEqual([expect.objectContaining({ id: DEMO_FRIEND_DEVICE_ID, name: 'Friend lamp', role: 0 })]); // their own lamp
    const invite = (await ok(s.post('/v2/share/device', { device_id: DEMO_DEVICE_ID, user: DEMO_FRIEND.email, expire: 7200, mode: 'app' }, demo.access_token))).body.invite_code;
    await empty(s.post('/v2/share/device/accept', { invite_code: invite }, friend.access_token));
    const after = (await ok(s.get(`/v2/user/${friend.user_id}/subscribe/devices?version=${before.version}`, friend.access_token))).body;
    expect(after.version).not.toBe(before.version);
    expect(after.list).toEqual([expect.objectContaining({ id: DEMO_FRIEND_DEVICE_ID }), expect.objectContaining({ id: DEMO_DEVICE_ID, role: 1, source: 2 })]);

    // Unsubscribe: gone from the list; twice, or an unknown device, is an error.
    await empty(s.post(`/v2/user/${friend.user_id}/unsubscribe`, { device_id: DEMO_DEVICE_ID }, friend.access_token));
    expect((await ok(s.get(`/v2/user/${friend.user_id}/subscribe/devices`, friend.access_token))).body.map((d: { id: number }) => d.id)).toEqual([DEMO_FRIEND_DEVICE_ID]);
    await fails(s.post(`/v2/user/${friend.user_id}/unsubscribe`, { device_id: DEMO_DEVICE_ID }, friend.access_token), 'DEVICE_NOT_SUBSCRIBED');
    await fails(s.post(`/v2/user/${friend.user_id}/unsubscribe`, { device_id: 9999 }, friend.access_token), 'DEVICE_NOT_FOUND');
    await fails(s.post(`/v2/user/${demo.user_id}/unsubscribe`, { device_id: DEMO_DEVICE_ID }, friend.access_token), 'ACCESS_DENIED');
    await fails(s.post(`/v2/user/${friend.user_id}/unsubscribe`, {}, friend.access_token), 'PARAM_NULL');
  },

  async 'devices: extension properties, their key rules and limit'(s) {
    const demo = await s.login({ email: DEMO_USER.email }, DEMO_USER.password);
    const friend = await s.login({ email: DEMO_FRIEND.email }, DEMO_FRIEND.password);
    const base = `/v2/product/${DEMO_PRODUCT_ID}/device/${DEMO_DEVICE_ID}/property`;
    const t = demo.access_token;
    await ok(s.get(base, t), { displayName: 'Demo lamp', room: 'Living room' });
    await ok(s.call('post', base, { token: t, body: { room: 'Kitchen', schedule: { on: '07:00', days: [1, 2] } } }), { room: 'Kitchen', schedule: { on: '07:00', days: [1, 2] } });
    await ok(s.get(`${base}/schedule`, t), { schedule: { on: '07:00', days: [1, 2] } });
    await ok(s.call('put', base, { token: t, body: { room: 'Hall' } }), { room: 'Hall' });
    await fails(s.call('put', base, { token: t, body: { colour: 'red' } }), 'EXTENSION_PROPERTY_MISSING');
    await fails(s.call('post', base, { token: t, body: { mac: 'x' } }), 'EXTENSION_KEY_RESERVED');
    for (const key of ['a.b', '$where', ' ', 'a b']) await fails(s.call('post', base, { token: t, body: { [key]: 1 } }), 'VARIABLE_NAME_ILLEGAL');
    await fails(s.call('post', base, { token: t, body: {} }), 'PARAM_VERIFICATION_FAILED');
    await fails(s.call('post', base, { token: t, body: [1] }), 'PARAM_VERIFICATION_FAILED');
    const fill = Object.fromEntries(Array.from({ length: DEVICE_PROPERTY_LIMIT - 3 }, (_, i) => [`k${i}`, i]));
    await ok(s.call('post', base, { token: t, body: fill }));
    await fails(s.call('post', base, { token: t, body: { one_more: true } }), 'DEVICE_EXTENSION_LIMIT_REACHED');
    await ok(s.call('post', base, { token: t, body: { k0: 'replaced' } })); // replacing is not adding
    await empty(s.call('delete', `${base}/k0`, { token: t }));
    await fails(s.call('delete', `${base}/k0`, { token: t }), 'DEVICE_EXTENSION_NOT_FOUND');
    await fails(s.get(`${base}/k0`, t), 'DEVICE_EXTENSION_NOT_FOUND');
    await ok(s.call('post', base, { token: t, body: { one_more: true } }));
    await fails(s.call('post', base, { token: t, body: '{"__proto__":{"polluted":1}}', headers: { 'Content-Type': 'application/json' } }), 'VARIABLE_NAME_ILLEGAL');
    expect(({} as { polluted?: number }).polluted).toBeUndefined();

    await fails(s.get(`/v2/product/ffff/device/${DEMO_DEVICE_ID}/property`, t), 'DEVICE_NOT_FOUND');
    await fails(s.get(`/v2/product/${DEMO_PRODUCT_ID}/device/9999/property`, t), 'DEVICE_NOT_FOUND');
    await fails(s.get(`/v2/product/${DEMO_PRODUCT_ID}/device/0x0BB9/property`, t), 'PARAM_VERIFICATION_FAILED');
    await fails(s.get(base, friend.access_token), 'SUBSCRIBED_DEVICE_MISSING');
    await fails(s.get(base), 'ACCESS_TOKEN_REQUIRED');
  },

  async 'device sharing: share, list, accept, deny, cancel, delete, expiry'(s) {
    const demo = await s.login({ email: DEMO_USER.email }, DEMO_USER.password);
    const friend = await s.login({ email: DEMO_FRIEND.email }, DEMO_FRIEND.password);
    const share = (token: string, body: object) => s.post('/v2/share/device', body, token);

    const first = await ok(share(demo.access_token, { device_id: DEMO_DEVICE_ID, user: DEMO_FRIEND.email, expire: 7200, mode: 'app' }));
    const invite_code = first.body.invite_code as string;
    const list = await ok(s.get('/v2/share/device/list', friend.access_token));
    expect(list.body).toEqual([expect.objectContaining({ invite_code, from_id: demo.user_id, from_user: DEMO_USER.email, to_id: friend.user_id, to_user: DEMO_FRIEND.email, device_id: DEMO_DEVICE_ID, state: 'pending' })]);

    await fails(s.post('/v2/share/device/accept', { invite_code }, demo.access_token), 'SHARE_NOT_FOUND'); // not the invitee
    await empty(s.post('/v2/share/device/accept', { invite_code }, friend.access_token));
    await fails(s.post('/v2/share/device/accept', { invite_code }, friend.access_token), 'SHARE_ALREADY_ACCEPTED');
    await fails(s.post('/v2/share/device/cancel', { invite_code }, demo.access_token), 'SHARE_ALREADY_ACCEPTED');

    const second = (await share(demo.access_token, { device_id: DEMO_DEVICE_ID, user: DEMO_FRIEND.email, expire: 60, mode: 'app' })).body.invite_code;
    await empty(s.post('/v2/share/device/cancel', { invite_code: second }, demo.access_token));
    await fails(s.post('/v2/share/device/accept', { invite_code: second }, friend.access_token), 'SHARE_CANCELED');

    const third = (await share(demo.access_token, { device_id: DEMO_DEVICE_ID, expire: 60, mode: 'qrcode' })).body.invite_code;
    await empty(s.post('/v2/share/device/deny', { invite_code: third, reason: 'no thanks' }, friend.access_token));
    await fails(s.post('/v2/share/device/deny', { invite_code: third }, friend.access_token), 'SHARE_CANCELED');

    const fourth = (await share(demo.access_token, { device_id: DEMO_DEVICE_IDS[1], user: DEMO_FRIEND.email, expire: 60, mode: 'app' })).body.invite_code;
    s.advance(61);
    await fails(s.post('/v2/share/device/accept', { invite_code: fourth }, friend.access_token), 'SHARE_CANCELED'); // overtime

    await fails(share(friend.access_token, { device_id: DEMO_DEVICE_ID, expire: 60, mode: 'app' }), 'ACCESS_DENIED');
    await fails(share(demo.access_token, { device_id: 9999, expire: 60, mode: 'app' }), 'DEVICE_NOT_FOUND');
    await fails(share(demo.access_token, { device_id: DEMO_DEVICE_ID, user: 'ghost@example.com', expire: 60, mode: 'app' }), 'USER_NOT_FOUND');
    await fails(share(demo.access_token, { device_id: DEMO_DEVICE_ID, expire: 60, mode: 'carrier-pigeon' }), 'PARAM_VERIFICATION_FAILED');
    await fails(share(demo.access_token, { device_id: DEMO_DEVICE_ID, mode: 'app' }), 'PARAM_NULL');
    await fails(s.post('/v2/share/device/accept', { invite_code: 'nope' }, friend.access_token), 'SHARE_NOT_FOUND');
    await fails(s.post('/v2/share/device/accept', { invite_code }), 'ACCESS_TOKEN_REQUIRED');

    const remove = (code: string, token: string) => s.call('delete', `/v2/share/device/delete/${code}`, { token });
    await empty(remove(invite_code, friend.access_token));
    await fails(remove(invite_code, friend.access_token), 'SHARE_NOT_FOUND');
    const after = await ok(s.get('/v2/share/device/list', friend.access_token));
    expect(after.body.map((x: { invite_code: string }) => x.invite_code)).not.toContain(invite_code);

    // Expired shares are purged a week after their expiry: nothing left to list or act on.
    s.advance(8 * 24 * 3600);
    const late = await s.login({ email: DEMO_FRIEND.email }, DEMO_FRIEND.password);
    await ok(s.get('/v2/share/device/list', late.access_token), []);
    expect(s.service.sizes().shares).toBe(0);
  },

  async 'the wire: bodies, charsets, empty answers, unknown URLs and methods'(s) {
    const login = JSON.stringify({ corp_id, email: DEMO_USER.email, password: DEMO_USER.password });
    const auth = (body: string | Buffer, type?: string) => s.call('post', '/v2/user_auth', { body, headers: type === undefined ? {} : { 'Content-Type': type } });
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'text/plain; charset=utf-8', 'application/json', 'application/json; charset=UTF-8', 'application/octet-stream']) {
      await ok(auth(login, type));
    }
    await ok(auth(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(login)]), 'application/json')); // a byte order mark
    await fails(auth(login, 'application/json; charset=latin1'), 'PARAM_VERIFICATION_FAILED');
    await fails(auth(login, 'text/plain; charset=utf-16'), 'PARAM_VERIFICATION_FAILED');
    await fails(auth(Buffer.from([0x7b, 0xff, 0x7d]), 'application/json'), 'PARAM_VERIFICATION_FAILED'); // not UTF-8
    await fails(auth('{"corp_id":', 'application/json'), 'PARAM_VERIFICATION_FAILED');
    for (const body of ['null', '1', '"x"', 'true']) await fails(auth(body, 'application/json'), 'PARAM_VERIFICATION_FAILED');
    await fails(auth('[]', 'application/json'), 'PARAM_VERIFICATION_FAILED');
    await fails(auth('', 'application/json'), 'PARAM_NULL');
    await fails(auth('  \n', 'application/json'), 'PARAM_NULL');
    await fails(auth(`{"corp_id":"${'x'.repeat(200 * 1024)}"}`, 'application/json'), 'PARAM_VERIFICATION_FAILED');

    await fails(s.get('/v2/device/1'), 'URL_NOT_FOUND');
    expectXlinkError(await s.call('get', '/v2/device/1', { headers: { 'Accept-Language': 'zh-CN,zh;q=0.9' } }), 'URL_NOT_FOUND', { locale: 'zh-CN' });
    const head = await s.call('head', '/v2/device/1');
    expect([head.status, head.headers['content-type'], head.text]).toEqual([404, 'application/json; charset=utf-8', undefined]);
    await fails(s.call('options', '/v2/user_auth'), 'URL_NOT_FOUND');
    await fails(s.call('patch', '/v2/user/1001', { body: {} }), 'URL_NOT_FOUND');
    await fails(s.call('delete', '/v2/user_auth'), 'URL_NOT_FOUND');
    const headOpen = await s.call('head', '/v2/user/1001/open_info');
    expect([headOpen.status, headOpen.headers['content-type']]).toEqual([200, 'application/json; charset=utf-8']);
  },
};

/** XLINK_TWO_FACTOR=email. */
const TWO_FACTOR: ServiceOptions = { twoFactor: 'email' };
/**
 * Caps and quotas lowered, so the findings of the outside review are replayed in a few dozen
 * requests (bench/example-attacks.mjs replays them at full size); clients told apart by the
 * X-Forwarded-For of one trusted proxy (XLINK_TRUST_PROXY=1).
 */
const LOW = {
  caps: { codes: 20, users: 12, clients: 50, shares: 40 },
  clientLimits: { codeSends: { max: 5, seconds: 3600 }, registrations: { max: 3, seconds: 3600 } },
  sharesPerUser: 4,
  trustedProxies: 1,
} as const satisfies ServiceOptions;
const attacker = { 'X-Forwarded-For': '203.0.113.7' };
const someoneElse = { 'X-Forwarded-For': '198.51.100.1' };

/** The scenarios of issue 27: two-factor login, and each finding of the outside review; run like the others, on both apps. */
const setUpScenarios: Record<string, [ServiceOptions, (s: Session) => Promise<void>]> = {
  'two-factor login (XLINK_TWO_FACTOR=email): step 1 answers 400 4001028, the emailed code logs in, as a string or a number': [
    TWO_FACTOR,
    async (s) => {
      const step1 = { corp_id, email: DEMO_USER.email, password: DEMO_USER.password };
      const send = () => s.post('/v2/two_factor/email/verifycode', { corp_id, email: DEMO_USER.email, local_lang: 'en-us' });
      await fails(s.post('/v2/user_auth', step1), 'EMAIL_CODE_NOT_FOUND'); // "a code is required"
      await fails(s.post('/v2/user_auth', { ...step1, password: 'wrong-pw' }), 'PASSWORD_WRONG'); // the password is checked first
      await s.login({ phone: DEMO_USER.phone }, DEMO_USER.password); // phone logins need no email code
      await fails(s.post('/v2/user_auth/two_factor', { ...step1, two_factor: '123456' }), 'EMAIL_CODE_NOT_FOUND'); // none sent yet
      expect(s.sent).toEqual([]);

      await empty(send());
      expect(s.sent).toEqual([{ to: DEMO_USER.email, what: 'two-factor login code', code: expect.stringMatching(/^[0-9]{6}$/) }]);
      const answer = await ok(s.post('/v2/user_auth/two_factor', { ...step1, two_factor: s.lastCode(), resource: 'abcdefghijk' }));
      expect(answer.body).toEqual({ user_id: 1001, access_token: expect.any(String), refresh_token: expect.any(String), expire_in: expect.any(Number), authorize: expect.any(String) });
      await ok(s.get('/v2/user/1001', answer.body.access_token));
      await fails(s.post('/v2/user_auth/two_factor', { ...step1, two_factor: s.lastCode() }), 'EMAIL_CODE_NOT_FOUND'); // spent

      s.advance(60);
      await empty(send());
      await ok(s.post('/v2/user_auth/two_factor', { ...step1, two_factor: Number(s.lastCode()), resource: 1 })); // a number, as some clients send it

      await fails(s.post('/v2/user_auth/two_factor', { corp_id, email: DEMO_USER.email, password: DEMO_USER.password }), 'PARAM_NULL');
      await fails(s.post('/v2/user_auth/two_factor', { corp_id, password: DEMO_USER.password, two_factor: '123456' }), 'PARAM_NULL');
      await fails(s.post('/v2/two_factor/email/verifycode', { corp_id }), 'PARAM_NULL');
      await fails(s.post('/v2/user_auth/two_factor', { ...step1, two_factor: 1_234_567 }), 'PARAM_VERIFICATION_FAILED');
      await fails(s.post('/v2/user_auth/two_factor', { ...step1, two_factor: { code: 1 } }), 'PARAM_VERIFICATION_FAILED');
      await fails(s.post('/v2/user_auth/two_factor', { ...step1, two_factor: '123456', resource: [1] }), 'PARAM_VERIFICATION_FAILED');
      await fails(s.post('/v2/two_factor/email/verifycode', { corp_id, email: 'nobody@example.com' }), 'USER_NOT_FOUND');
      await fails(s.post('/v2/two_factor/email/verifycode', { corp_id: 'nope', email: DEMO_USER.email }), 'ENTERPRISE_NOT_FOUND');
    },
  ],

  'two-factor codes: a wrong one, five voiding it, expiry, the send limits, and the lockout on wrong passwords': [
    TWO_FACTOR,
    async (s) => {
      const step3 = (two_factor: string | number, password: string = DEMO_FRIEND.password) => s.post('/v2/user_auth/two_factor', { corp_id, email: DEMO_FRIEND.email, password, two_factor });
      const send = () => s.post('/v2/two_factor/email/verifycode', { corp_id, email: DEMO_FRIEND.email });
      await empty(send());
      const right = s.lastCode();
      for (let guess = 1; guess <= CODE_MAX_WRONG_GUESSES; guess++) await fails(step3(s.wrongCode()), 'EMAIL_CODE_INVALID');
      await fails(step3(right), 'EMAIL_CODE_INVALID'); // void: even the right one, until a new code

      const again = await send();
      limited(again, 'codeResendWait');
      expect(retryAfter(again)).toBe(60);
      s.advance(60);
      await empty(send());
      s.advance(TWO_FACTOR_CODE_SECONDS);
      await fails(step3(s.lastCode()), 'EMAIL_CODE_NOT_FOUND'); // expired
      for (let sends = 3; sends <= CODE_DAILY_SENDS; sends++) {
        await empty(send());
        s.advance(60);
      }
      const capped = await send();
      limited(capped, 'tooManyCodes');
      expect(retryAfter(capped)).toBeGreaterThan(23 * 3600);
      await ok(step3(s.lastCode())); // the last code sent still works

      // Wrong passwords on step 3 count toward the documented lockout, as on step 1.
      for (let attempt = 1; attempt < LOGIN_MAX_WRONG_PASSWORDS; attempt++) await fails(step3('000000', 'wrong-pw'), 'PASSWORD_WRONG');
      limited(await step3('000000', 'wrong-pw'), 'accountLocked');
      limited(await s.post('/v2/user_auth', { corp_id, email: DEMO_FRIEND.email, password: DEMO_FRIEND.password }), 'accountLocked');
    },
  ],

  'finding (two-factor): a stranger asking for a known account’s codes neither uses up the owner’s sends nor replaces the owner’s code': [
    { ...TWO_FACTOR, trustedProxies: 1 },
    async (s) => {
      const send = (headers: Record<string, string>) => s.call('post', '/v2/two_factor/email/verifycode', { body: { corp_id, email: DEMO_USER.email }, headers });
      const step3 = (two_factor: string, headers: Record<string, string>) => s.call('post', '/v2/user_auth/two_factor', { body: { corp_id, email: DEMO_USER.email, password: DEMO_USER.password, two_factor }, headers });
      for (let sends = 1; sends <= CODE_DAILY_SENDS; sends++) {
        s.advance(60);
        await empty(send(attacker));
      }
      const strangers = s.lastCode();
      limited(await send(attacker), 'tooManyCodes');
      await empty(send(someoneElse)); // the owner's sends are their own
      const owners = s.lastCode();
      await empty(send({ 'X-Forwarded-For': '203.0.113.8' })); // another stranger's request replaces nothing of the owner's
      if (strangers !== owners) await fails(step3(strangers, someoneElse), 'EMAIL_CODE_INVALID'); // a code mailed on a stranger's request is not the owner's
      await ok(step3(owners, someoneElse));
    },
  ],

  'XLINK_TWO_FACTOR unset: the two-factor routes are unknown URLs and password logins are as before': [
    {},
    async (s) => {
      await s.login({ email: DEMO_USER.email }, DEMO_USER.password);
      await fails(s.post('/v2/two_factor/email/verifycode', { corp_id, email: DEMO_USER.email, local_lang: 'en-us' }), 'URL_NOT_FOUND');
      await fails(s.post('/v2/user_auth/two_factor', { corp_id, email: DEMO_USER.email, password: DEMO_USER.password, two_factor: '123456' }), 'URL_NOT_FOUND');
      await fails(s.post('/v2/two_factor/email/verifycode', {}), 'URL_NOT_FOUND'); // not even validated
      expect(s.sent).toEqual([]);
    },
  ],

  'sharing both ways: the friend shares their own lamp with the demo user': [
    {},
    async (s) => {
      const demo = await s.login({ email: DEMO_USER.email }, DEMO_USER.password);
      const friend = await s.login({ email: DEMO_FRIEND.email }, DEMO_FRIEND.password);
      const invite = (await ok(s.post('/v2/share/device', { device_id: DEMO_FRIEND_DEVICE_ID, user: DEMO_USER.email, expire: 3600, mode: 'app' }, friend.access_token))).body.invite_code;
      await fails(s.post('/v2/share/device', { device_id: DEMO_FRIEND_DEVICE_ID, expire: 3600, mode: 'app' }, demo.access_token), 'ACCESS_DENIED'); // not theirs to share
      await empty(s.post('/v2/share/device/accept', { invite_code: invite }, demo.access_token));
      const list = await ok(s.get(`/v2/user/${demo.user_id}/subscribe/devices`, demo.access_token));
      expect(list.body.map((d: { id: number; role: number }) => [d.id, d.role])).toEqual([[DEMO_DEVICE_IDS[0], 0], [DEMO_DEVICE_IDS[1], 0], [DEMO_FRIEND_DEVICE_ID, 1]]);
      await ok(s.get(`/v2/product/${DEMO_PRODUCT_ID}/device/${DEMO_FRIEND_DEVICE_ID}/property`, demo.access_token), { displayName: 'Friend lamp', room: 'Study' });
    },
  ],

  'finding: one address cannot fill the code store; it is refused at its own quota with a true Retry-After, everyone else is served': [
    LOW,
    async (s) => {
      const sms = (phone: string, headers: Record<string, string>) => s.call('post', '/v2/user_register/verifycode', { body: { corp_id, phone }, headers });
      for (let i = 0; i < LOW.clientLimits.codeSends.max; i++) await empty(sms(`1370000000${i}`, attacker));
      const refused = await sms('13700000099', attacker);
      limited(refused, 'clientCodes');
      expect(retryAfter(refused)).toBe(3600);
      s.advance(1800);
      expect(retryAfter(await sms('13700000098', attacker))).toBe(1800); // the true time left
      limited(await s.call('post', '/v2/user/password/forgot', { body: { corp_id, email: DEMO_USER.email }, headers: attacker }), 'clientCodes'); // every kind of code

      // Another address registers a phone, resets a password: untouched by the flood.
      await empty(sms('13900000007', someoneElse));
      await ok(s.call('post', '/v2/user_register', { body: { phone: '13900000007', nickname: 'Di', corp_id, verifycode: s.lastCode(), password: 'secret12', source: 2 }, headers: someoneElse }), { phone: '13900000007' });
      await empty(s.call('post', '/v2/user/password/forgot', { body: { corp_id, email: DEMO_USER.email }, headers: someoneElse }));
      s.advance(1800);
      await empty(sms('13700000097', attacker)); // its window ended
    },
  ],

  'finding: a code store filled by many addresses answers 503 with a true Retry-After, and frees itself': [
    LOW,
    async (s) => {
      for (let i = 0; i < LOW.caps.codes; i++) await empty(s.call('post', '/v2/user_register/verifycode', { body: { corp_id, phone: `137000001${String(i).padStart(2, '0')}` }, headers: { 'X-Forwarded-For': `203.0.113.${i}` } }));
      s.advance(3600);
      const full = await s.call('post', '/v2/user_register/verifycode', { body: { corp_id, phone: '13900000008' }, headers: someoneElse });
      expect([full.status, full.text, retryAfter(full)]).toEqual([503, '{"error":{"code":5031001,"msg":"Server exception"}}', 23 * 3600]); // when the first record goes, not "60"
      expect(s.reports.map(causeOf)).toEqual([`example store full: ${LOW.caps.codes} codes (see STORE_CAPS in examples/domain/policy.ts)`]);
      s.advance(23 * 3600);
      await empty(s.call('post', '/v2/user_register/verifycode', { body: { corp_id, phone: '13900000008' }, headers: someoneElse }));
    },
  ],

  'finding: registrations are per address, a refused one stores nothing, unactivated accounts go when their code does': [
    LOW,
    async (s) => {
      const register = (email: string, headers: Record<string, string>) => s.call('post', '/v2/user_register', { body: { email, corp_id, password: 'secret12', source: 1 }, headers });
      for (let i = 0; i < LOW.clientLimits.registrations.max; i++) await ok(register(`flood${i}@example.com`, attacker));
      const refused = await register('flood9@example.com', attacker);
      limited(refused, 'clientRegistrations');
      expect(retryAfter(refused)).toBe(3600);
      expect(s.service.sizes().users).toBe(2 + LOW.clientLimits.registrations.max);

      // Codes refused (this address used its code quota): the account is not kept either.
      const coder = { 'X-Forwarded-For': '203.0.113.200' };
      for (let i = 0; i < LOW.clientLimits.codeSends.max; i++) await empty(s.call('post', '/v2/user_register/verifycode', { body: { corp_id, phone: `1370000020${i}` }, headers: coder }));
      limited(await register('coder@example.com', coder), 'clientCodes');
      expect(s.service.sizes().users).toBe(2 + LOW.clientLimits.registrations.max);
      await fails(s.post('/v2/user_auth', { corp_id, email: 'coder@example.com', password: 'secret12' }), 'USER_NOT_FOUND');

      await ok(register('ada@example.com', someoneElse));
      await empty(s.post('/v2/user_email_activate', { corp_id, email: 'ada@example.com', verifycode: s.lastCode() }));
      s.advance(ACTIVATION_CODE_SECONDS);
      await fails(s.post('/v2/user_auth', { corp_id, email: 'flood0@example.com', password: 'secret12' }), 'USER_NOT_FOUND'); // purged
      expect(s.service.sizes()).toMatchObject({ users: 3, unactivated: 0 });
      await s.login({ email: 'ada@example.com' }, 'secret12'); // activated accounts stay
      await ok(register('flood0@example.com', attacker)); // the address's day is over, the email free again
    },
  ],

  'finding: one user’s shares are capped (a true Retry-After), finished ones make room, other users share as before': [
    LOW,
    async (s) => {
      const demo = await s.login({ email: DEMO_USER.email }, DEMO_USER.password);
      const friend = await s.login({ email: DEMO_FRIEND.email }, DEMO_FRIEND.password);
      const share = (token: string, device_id: number, expire: number) => s.post('/v2/share/device', { device_id, expire, mode: 'qrcode' }, token);
      const codes: string[] = [];
      for (let i = 0; i < LOW.sharesPerUser; i++) codes.push((await ok(share(demo.access_token, DEMO_DEVICE_ID, 600 + i))).body.invite_code);
      const refused = await share(demo.access_token, DEMO_DEVICE_ID, 600);
      limited(refused, 'userShares');
      expect(retryAfter(refused)).toBe(600); // when the earliest pending one expires
      await ok(share(friend.access_token, DEMO_FRIEND_DEVICE_ID, 600)); // others are not affected
      await empty(s.post('/v2/share/device/cancel', { invite_code: codes[0] }, demo.access_token));
      await ok(share(demo.access_token, DEMO_DEVICE_ID, 600)); // the canceled one made room: it is forgotten
      const list = (await ok(s.get('/v2/share/device/list', demo.access_token))).body as { invite_code: string }[];
      expect([list.length, list.some((x) => x.invite_code === codes[0])]).toEqual([LOW.sharesPerUser, false]);
    },
  ],

  'finding: property values are bounded in size and depth when written (4001001); one stored anyway answers 503 alike': [
    {},
    async (s) => {
      const demo = await s.login({ email: DEMO_USER.email }, DEMO_USER.password);
      const base = `/v2/product/${DEMO_PRODUCT_ID}/device/${DEMO_DEVICE_ID}/property`;
      const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
      const write = (json: string) => s.call('post', base, { token: demo.access_token, body: json, headers: { 'Content-Type': 'application/json' } });
      await fails(write(`{"nested":${deep(20_000)}}`), 'PARAM_VERIFICATION_FAILED'); // the 40 kB [[[...]]]
      await fails(write(`{"nested":${deep(PROPERTY_VALUE_LIMITS.depth + 1)}}`), 'PARAM_VERIFICATION_FAILED');
      await ok(write(`{"nested":${deep(PROPERTY_VALUE_LIMITS.depth)}}`));
      await fails(write(JSON.stringify({ long: 'x'.repeat(PROPERTY_VALUE_LIMITS.bytes) })), 'PARAM_VERIFICATION_FAILED');
      await ok(write(JSON.stringify({ long: 'x'.repeat(PROPERTY_VALUE_LIMITS.bytes - 2) })));
      await ok(s.get(base, demo.access_token)); // every subscriber still reads the list

      // A value that cannot be serialised (stored by a bug, or an older version): both apps answer 503 with the envelope.
      let value: unknown[] = [];
      for (let i = 0; i < 20_000; i++) value = [value];
      s.service.setDeviceProperties(demo.user_id, DEMO_PRODUCT_ID, DEMO_DEVICE_ID, { long: 1 }, 'set');
      (s.service as unknown as { store: { deviceById(id: number): { properties: Record<string, unknown> } } }).store.deviceById(DEMO_DEVICE_ID).properties.long = value;
      const broken = await s.get(base, demo.access_token);
      expect(s.reports.map(causeOf)).toEqual([expect.stringMatching(/Maximum call stack size exceeded/)]);
      expect([broken.status, broken.headers['content-type'], broken.text]).toEqual([503, 'application/json; charset=utf-8', '{"error":{"code":5031001,"msg":"Server exception"}}']);
    },
  ],

  'finding: a phone is one number however many leading zeros it is written with; each limit says which it is': [
    {},
    async (s) => {
      await empty(s.post('/v2/user_register/verifycode', { corp_id, phone: '13912345678' }));
      for (const phone of ['013912345678', '0013912345678']) limited(await s.post('/v2/user_register/verifycode', { corp_id, phone }), 'codeResendWait');
      await ok(s.post('/v2/user_register', { phone: '0013912345678', nickname: 'Zed', corp_id, verifycode: s.lastCode(), password: 'secret12', source: 2 }), { phone: '13912345678' });
      await fails(s.post('/v2/user_register/verifycode', { corp_id, phone: '013912345678' }), 'PHONE_ALREADY_REGISTERED');
      await s.login({ phone: '013912345678' }, 'secret12');
      for (const phone of ['00000', '0000012']) await fails(s.post('/v2/user_register/verifycode', { corp_id, phone }), 'PARAM_VERIFICATION_FAILED');
      const which = Object.keys(LIMIT_ERRORS) as (keyof typeof LIMIT_ERRORS)[];
      expect(new Set(which.map((w) => `${LIMIT_ERRORS[w]}:${LIMIT_MESSAGES[w] ?? ''}`)).size).toBe(which.length); // each limit its own message
    },
  ],
};

const allScenarios: Record<string, [ServiceOptions, (s: Session) => Promise<void>]> = {
  ...Object.fromEntries(Object.entries(scenarios).map(([name, run]) => [name, [{}, run]])),
  ...setUpScenarios,
};

describe.each(Object.keys(allScenarios))('%s', (name) => {
  const transcripts: Record<string, Exchange[]> = {};

  test.each(frameworks)('on %s, as documented', async (label, makeApp) => {
    const [options, run] = allScenarios[name]!;
    const session = new Session(makeApp, options);
    await run(session);
    if (!Object.hasOwn(setUpScenarios, name)) expect(session.reports).toEqual([]);
    transcripts[label] = session.transcript;
  });

  test('Express and Koa answer every request alike (status, Content-Type, body)', () => {
    expect(transcripts.Express).toBeDefined();
    expect(transcripts.Koa).toEqual(transcripts.Express);
  });
});

test('the limits answer with the platform’s later official codes', () => {
  const codes = Object.fromEntries(Object.entries(LIMIT_ERRORS).map(([which, name]) => [which, XLINK_EXTENDED_ERRORS[name].code]));
  expect(codes).toEqual({ tokenExpired: 4031021, tokenRefreshed: 4031022, tooManyCodes: 4001052, accountLocked: 4001061, codeResendWait: 4001052, clientCodes: 4001080, clientRegistrations: 4001080, userShares: 4001080 });
});
