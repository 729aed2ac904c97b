/**
 * Both example servers, walked through whole sessions as an Xlink client would: register, log
 * in, use the token, refresh, share a device, and every documented failure on the way.
 */
import request from 'supertest';
import { spawn } from 'node:child_process';
import { createServer, request as httpRequest, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { XlinkErrorName } from 'xlink-errors';
import { expectXlinkError } from 'xlink-errors/testing';
import { createExpressApp } from '../examples/express/app';
import { createKoaApp } from '../examples/koa/app';
import { XlinkService, type Notifier } from '../examples/domain/service';
import { DEMO_CORP_ID, DEMO_DEVICE_ID, DEMO_FRIEND, DEMO_USER, seededStore } from '../examples/domain/store';

const corp_id = DEMO_CORP_ID;

const frameworks: [string, (service: XlinkService) => RequestListener][] = [
  ['Express', (service) => createExpressApp(service, { onError: () => {} })],
  ['Koa', (service) => createKoaApp(service).callback()],
];

describe.each(frameworks)('the %s example', (_label, makeApp) => {
  let app: RequestListener;
  let sent: { to: string; what: string; code: string }[];

  beforeEach(() => {
    sent = [];
    const notifier: Notifier = { send: (to, what, code) => void sent.push({ to, what, code }) };
    app = makeApp(new XlinkService(seededStore(), notifier));
  });

  const lastCode = () => sent[sent.length - 1]!.code;
  const post = (path: string, body?: object, token?: string) => {
    const req = request(app).post(path);
    if (token !== undefined) req.set('Access-Token', token);
    return body === undefined ? req : req.send(body);
  };
  const login = async (account: object, password: string) => {
    const res = await post('/v2/user_auth', { corp_id, ...account, password });
    expect(res.status).toBe(200);
    return res.body as { user_id: number; access_token: string; refresh_token: string; expire_in: number; authorize: string };
  };
  const fails = async (res: request.Response | Promise<request.Response>, name: XlinkErrorName) => expectXlinkError(await res, name);

  test('register by email, activate, log in, read and edit the user, refresh', async () => {
    const email = 'ada@example.com';
    const register = await post('/v2/user_register', { email, corp_id, password: 'secret12', source: 1, nickname: 'Ada' });
    expect(register.status).toBe(200);
    expect(register.body).toEqual({ email, status: 1 });
    await fails(post('/v2/user_register', { email, corp_id, password: 'secret12', source: 1 }), 'EMAIL_ALREADY_REGISTERED');

    await fails(post('/v2/user_auth', { corp_id, email, password: 'secret12' }), 'USER_EMAIL_UNVERIFIED');
    await fails(post('/v2/user_email_activate', { corp_id, email, verifycode: '000000x' }), 'EMAIL_CODE_INVALID');
    expect(sent[0]).toMatchObject({ to: email, what: 'activation code' });
    expect((await post('/v2/user_email_activate', { corp_id, email, verifycode: lastCode() })).status).toBe(200);
    await fails(post('/v2/user_email_activate', { corp_id, email, verifycode: lastCode() }), 'EMAIL_CODE_NOT_FOUND');

    const session = await login({ email }, 'secret12');
    expect(session).toEqual({ user_id: expect.any(Number), access_token: expect.any(String), refresh_token: expect.any(String), expire_in: 7200, authorize: expect.any(String) });
    const user = await request(app).get(`/v2/user/${session.user_id}`).set('Access-Token', session.access_token);
    expect(user.status).toBe(200);
    expect(user.body).toMatchObject({ id: session.user_id, corp_id, email, nickname: 'Ada', status: 1, is_vaild: true });
    expect(JSON.stringify(user.body)).not.toMatch(/password/i);

    const edit = await request(app).put(`/v2/user/${session.user_id}`).set('Access-Token', session.access_token).send({ nickname: 'Ada L.', country: 'UK', province: 'London' });
    expect(edit.status).toBe(200);
    const edited = await request(app).get(`/v2/user/${session.user_id}`).set('Access-Token', session.access_token);
    expect(edited.body).toMatchObject({ nickname: 'Ada L.', country: 'UK', province: 'London' });
    await fails(request(app).put(`/v2/user/${session.user_id}`).set('Access-Token', session.access_token).send({ city: 'London' }), 'PARAM_NULL');

    // The refresh carries only the refresh_token: no Access-Token header.
    const refreshed = await post('/v2/user/token/refresh', { refresh_token: session.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toEqual({ access_token: expect.any(String), refresh_token: expect.any(String), expire_in: 7200 });
    await fails(request(app).get(`/v2/user/${session.user_id}`).set('Access-Token', session.access_token), 'ACCESS_TOKEN_INVALID');
    expect((await request(app).get(`/v2/user/${session.user_id}`).set('Access-Token', refreshed.body.access_token)).status).toBe(200);
    await fails(post('/v2/user/token/refresh', { refresh_token: session.refresh_token }), 'REFRESH_TOKEN_ILLEGAL');
    await fails(post('/v2/user/token/refresh', {}), 'PARAM_NULL');
  });

  test('register by phone with the SMS code', async () => {
    const phone = '13900000001';
    const body = { phone, nickname: 'Bo', corp_id, verifycode: '123456', password: 'secret12', source: 2 };
    await fails(post('/v2/user_register', body), 'SMS_CODE_NOT_FOUND');
    expect((await post('/v2/user_register/verifycode', { corp_id, phone })).status).toBe(200);
    expect(sent[0]).toMatchObject({ to: `+86 ${phone}`, what: 'SMS registration code' });
    await fails(post('/v2/user_register', { ...body, verifycode: lastCode() === '000000' ? '000001' : '000000' }), 'SMS_CODE_INVALID');
    await post('/v2/user_register/verifycode', { corp_id, phone });
    const registered = await post('/v2/user_register', { ...body, verifycode: lastCode() });
    expect([registered.status, registered.body]).toEqual([200, { phone }]);
    await fails(post('/v2/user_register/verifycode', { corp_id, phone }), 'PHONE_ALREADY_REGISTERED');
    await fails(post('/v2/user_register', { phone, corp_id, password: 'secret12', source: 2 }), 'PARAM_NULL'); // no nickname, no code
    const session = await login({ phone }, 'secret12');
    expect(session.user_id).toEqual(expect.any(Number));
  });

  test('login failures', async () => {
    await fails(post('/v2/user_auth', { corp_id, email: DEMO_USER.email, password: 'wrong-pw' }), 'PASSWORD_WRONG');
    await fails(post('/v2/user_auth', { corp_id, email: 'nobody@example.com', password: 'secret12' }), 'USER_NOT_FOUND');
    await fails(post('/v2/user_auth', { corp_id: 'nope', email: DEMO_USER.email, password: 'secret12' }), 'ENTERPRISE_NOT_FOUND');
    await fails(post('/v2/user_auth', { corp_id, email: DEMO_USER.email }), 'PARAM_NULL');
    await fails(post('/v2/user_auth', { corp_id, email: DEMO_USER.email, password: null }), 'PARAM_NULL');
    await fails(post('/v2/user_auth', { corp_id, password: 'secret12' }), 'PARAM_NULL'); // neither email nor phone
    await fails(post('/v2/user_auth', { corp_id, email: 'not-an-email', password: 'secret12' }), 'PARAM_VERIFICATION_FAILED');
    await fails(post('/v2/user_auth', { corp_id, email: DEMO_USER.email, password: '123' }), 'PARAM_VERIFICATION_FAILED');
    await fails(post('/v2/user_auth', { corp_id, email: DEMO_USER.email, password: 'secret12', admin: true }), 'PARAM_VERIFICATION_FAILED');
  });

  test('requests as real Xlink clients send them: JSON under any Content-Type, or none', async () => {
    const body = JSON.stringify({ corp_id, email: DEMO_USER.email, password: DEMO_USER.password });
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'application/json']) {
      expect((await request(app).post('/v2/user_auth').set('Content-Type', type).send(body)).status).toBe(200);
    }
    const untyped = await new Promise<number>((resolve, reject) => {
      const server = createServer(app).listen(0, '127.0.0.1', () => {
        const req = httpRequest({ port: (server.address() as AddressInfo).port, host: '127.0.0.1', method: 'POST', path: '/v2/user_auth' }, (res) => {
          res.resume();
          server.close();
          resolve(res.statusCode!);
        });
        req.on('error', reject);
        req.end(body); // no Content-Type header at all
      });
    });
    expect(untyped).toBe(200);
    await fails(request(app).post('/v2/user_auth').set('Content-Type', 'application/json').send('{"corp_id":'), 'PARAM_VERIFICATION_FAILED');
  });

  test('tokens: missing, unknown, someone else’s user, an unknown user', async () => {
    const demo = await login({ email: DEMO_USER.email }, DEMO_USER.password);
    await fails(request(app).get(`/v2/user/${demo.user_id}`), 'ACCESS_TOKEN_REQUIRED');
    await fails(request(app).get(`/v2/user/${demo.user_id}`).set('Access-Token', 'made-up'), 'ACCESS_TOKEN_INVALID');
    await fails(request(app).get(`/v2/user/${demo.user_id}`).set('Access-Token', `Bearer ${demo.access_token}`), 'ACCESS_TOKEN_INVALID');
    await fails(request(app).get(`/v2/user/${demo.user_id + 1}`).set('Access-Token', demo.access_token), 'ACCESS_DENIED');
    await fails(request(app).get('/v2/user/99999').set('Access-Token', demo.access_token), 'USER_NOT_FOUND');
    await fails(request(app).get('/v2/user/abc').set('Access-Token', demo.access_token), 'PARAM_VERIFICATION_FAILED');
    const open = await request(app).get(`/v2/user/${demo.user_id}/open_info`);
    expect(open.body).toEqual({ user_id: demo.user_id, nickname: 'Demo', avatar: '' });
    await fails(request(app).get('/v2/user/99999/open_info'), 'USER_NOT_FOUND');
  });

  test('passwords: change, forget and find back', async () => {
    const demo = await login({ email: DEMO_USER.email }, DEMO_USER.password);
    const change = (old_password: string, new_password: string) =>
      request(app).put('/v2/user/password/reset').set('Access-Token', demo.access_token).send({ old_password, new_password });
    await fails(change('wrong-pw', 'newpass12'), 'PASSWORD_WRONG');
    expect((await change(DEMO_USER.password, 'newpass12')).status).toBe(200);
    await login({ email: DEMO_USER.email }, 'newpass12');

    expect((await post('/v2/user/password/forgot', { corp_id, email: DEMO_USER.email })).status).toBe(200);
    await fails(post('/v2/user/password/foundback', { corp_id, email: DEMO_USER.email, verifycode: 'bad', new_password: 'another1' }), 'EMAIL_CODE_INVALID');
    expect((await post('/v2/user/password/foundback', { corp_id, email: DEMO_USER.email, verifycode: lastCode(), new_password: 'another1' })).status).toBe(200);
    await login({ email: DEMO_USER.email }, 'another1');
    await fails(post('/v2/user/password/forgot', { corp_id, email: 'nobody@example.com' }), 'USER_NOT_FOUND');
    await fails(post('/v2/user/password/foundback', { corp_id, phone: DEMO_USER.phone, verifycode: '123456', new_password: 'another1' }), 'SMS_CODE_NOT_FOUND');
  });

  test('device sharing: share, list, accept, deny, cancel, delete', async () => {
    const demo = await login({ email: DEMO_USER.email }, DEMO_USER.password);
    const friend = await login({ email: DEMO_FRIEND.email }, DEMO_FRIEND.password);
    const share = (token: string, body: object) => post('/v2/share/device', body, token);

    const first = await share(demo.access_token, { device_id: DEMO_DEVICE_ID, user: DEMO_FRIEND.email, expire: 7200, mode: 'app' });
    expect(first.status).toBe(200);
    const invite_code = first.body.invite_code as string;
    const list = await request(app).get('/v2/share/device/list').set('Access-Token', friend.access_token);
    expect(list.body).toEqual([expect.objectContaining({ invite_code, from_id: demo.user_id, from_user: DEMO_USER.email, to_id: friend.user_id, to_user: DEMO_FRIEND.email, device_id: DEMO_DEVICE_ID, state: 'pending' })]);

    await fails(post('/v2/share/device/accept', { invite_code }, demo.access_token), 'SHARE_NOT_FOUND'); // not the invitee
    expect((await post('/v2/share/device/accept', { invite_code }, friend.access_token)).status).toBe(200);
    await fails(post('/v2/share/device/accept', { invite_code }, friend.access_token), 'SHARE_ALREADY_ACCEPTED');
    await fails(post('/v2/share/device/cancel', { invite_code }, demo.access_token), 'SHARE_ALREADY_ACCEPTED');

    const second = (await share(demo.access_token, { device_id: DEMO_DEVICE_ID, user: DEMO_FRIEND.email, expire: 60, mode: 'app' })).body.invite_code;
    expect((await post('/v2/share/device/cancel', { invite_code: second }, demo.access_token)).status).toBe(200);
    await fails(post('/v2/share/device/accept', { invite_code: second }, friend.access_token), 'SHARE_CANCELED');

    const third = (await share(demo.access_token, { device_id: DEMO_DEVICE_ID, expire: 60, mode: 'qrcode' })).body.invite_code;
    expect((await post('/v2/share/device/deny', { invite_code: third, reason: 'no thanks' }, friend.access_token)).status).toBe(200);
    await fails(post('/v2/share/device/deny', { invite_code: third }, friend.access_token), 'SHARE_CANCELED');

    await fails(share(friend.access_token, { device_id: DEMO_DEVICE_ID, expire: 60, mode: 'app' }), 'ACCESS_DENIED');
    await fails(share(demo.access_token, { device_id: 9999, expire: 60, mode: 'app' }), 'DEVICE_NOT_FOUND');
    await fails(share(demo.access_token, { device_id: DEMO_DEVICE_ID, user: 'ghost@example.com', expire: 60, mode: 'app' }), 'USER_NOT_FOUND');
    await fails(share(demo.access_token, { device_id: DEMO_DEVICE_ID, expire: 60, mode: 'carrier-pigeon' }), 'PARAM_VERIFICATION_FAILED');
    await fails(share(demo.access_token, { device_id: DEMO_DEVICE_ID, mode: 'app' }), 'PARAM_NULL');
    await fails(post('/v2/share/device/accept', { invite_code: 'nope' }, friend.access_token), 'SHARE_NOT_FOUND');
    await fails(post('/v2/share/device/accept', { invite_code }), 'ACCESS_TOKEN_REQUIRED');

    const remove = (code: string, token: string) => request(app).delete(`/v2/share/device/delete/${code}`).set('Access-Token', token);
    expect((await remove(invite_code, friend.access_token)).status).toBe(200);
    await fails(remove(invite_code, friend.access_token), 'SHARE_NOT_FOUND');
    const after = await request(app).get('/v2/share/device/list').set('Access-Token', friend.access_token);
    expect(after.body.map((s: { invite_code: string }) => s.invite_code)).not.toContain(invite_code);
  });

  test('unknown URLs, methods and languages', async () => {
    await fails(request(app).get('/v2/device/1'), 'URL_NOT_FOUND');
    expectXlinkError(await request(app).get('/v2/device/1').set('Accept-Language', 'zh-CN,zh;q=0.9'), 'URL_NOT_FOUND', { locale: 'zh-CN' });
    const head = await request(app).head('/v2/device/1');
    expect([head.status, head.headers['content-type'], head.text]).toEqual([404, 'application/json; charset=utf-8', undefined]);
  });
});

describe.each([
  ['npm start', 'examples/express/server.ts'],
  ['npm run start:koa', 'examples/koa/server.ts'],
])('%s', (_command, entry) => {
  test('starts, prints its URL and the demo account, and answers with the Xlink contract', async () => {
    const root = join(__dirname, '..');
    const child = spawn(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), entry], {
      cwd: root,
      env: { ...process.env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no banner after 20 s: ${out}`)), 20_000);
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk;
          const match = /listening on (http:\/\/\S+)/.exec(out);
          if (match && out.includes('Demo users:')) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        });
        child.on('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
      });
      const res = await fetch(`${url}/no/such/url`);
      expect(res.status).toBe(404);
      expect(await res.text()).toBe('{"error":{"code":4041001,"msg":"URL not found"}}');
    } finally {
      child.kill();
    }
  }, 30_000);
});
