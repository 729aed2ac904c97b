// A user's own codes in real apps: defined once (test/helpers/app-errors.ts), thrown by name in
// Express 5 and 4 and Koa 3 and 2, mapped from a database error, answered in English and
// Chinese and with string codes, and asserted with the testing helpers.
import Router from '@koa/router';
import express5 from 'express';
import express4 from 'express4';
import Koa from 'koa';
import Koa2 from 'koa2';
import request from 'supertest';
import { xlinkError, xlinkErrorHandler, type XlinkErrorMapper, type XlinkHandlerOptions } from 'xlink-errors';
import { xlinkErrorHandler as xlinkKoaErrorHandler } from 'xlink-errors/koa';
import { expectXlinkError, xlinkMatchers } from 'xlink-errors/testing';
import './helpers/app-errors';

expect.extend(xlinkMatchers);

/** What a database driver throws when a row is locked (mysql2 style). */
class DbError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}
const lockTimeout = () => new DbError('Lock wait timeout exceeded on devices#42 (password=hunter2)', 'ER_LOCK_WAIT_TIMEOUT');
const connectionLost = () => new DbError('connect ECONNREFUSED 10.0.0.5:3306 (password=hunter2)', 'ECONNREFUSED');
const map: XlinkErrorMapper = (err) => (err instanceof DbError ? (err.code === 'ER_LOCK_WAIT_TIMEOUT' ? 'DEVICE_BUSY' : 'DATABASE_UNAVAILABLE') : undefined);
const quiet = { onError: () => {} };

/** The routes every app has, whatever the framework. */
const routes: Record<string, () => unknown> = {
  '/expired': () => xlinkError('ACCESS_TOKEN_EXPIRED'),
  '/busy': () => xlinkError('DEVICE_BUSY'),
  '/busy-by-code': () => xlinkError(4091001),
  '/busy-custom': () => xlinkError('DEVICE_BUSY', { msg: 'Device 42 is busy', headers: { 'Retry-After': '5' } }),
  '/lock': lockTimeout,
  '/db-down': connectionLost,
  '/db-down-direct': () => xlinkError('DATABASE_UNAVAILABLE', { msg: 'connect ECONNREFUSED (password=hunter2)' }),
};

type Express = typeof express5;
type AppFactory = (options: XlinkHandlerOptions<never>) => Parameters<typeof request>[0];

const expressApp = (express: Express): AppFactory => (options) => {
  const app = express();
  for (const [path, thrown] of Object.entries(routes)) {
    app.get(path, () => {
      throw thrown();
    });
  }
  app.use(xlinkErrorHandler(options as XlinkHandlerOptions));
  return app;
};

const koaApp = (KoaApp: typeof Koa): AppFactory => (options) => {
  const app = new KoaApp();
  app.silent = true;
  app.use(xlinkKoaErrorHandler(options as XlinkHandlerOptions) as Koa.Middleware);
  const router = new Router();
  for (const [path, thrown] of Object.entries(routes)) {
    router.get(path, async () => {
      await Promise.resolve();
      throw thrown();
    });
  }
  app.use(router.routes());
  return app.callback();
};

describe.each([
  ['Express 5', expressApp(express5)],
  ['Express 4', expressApp(express4 as unknown as Express)],
  ['Koa 3', koaApp(Koa)],
  ['Koa 2', koaApp(Koa2 as unknown as typeof Koa)],
])('%s', (_label, appFor) => {
  const app = appFor({ map, ...quiet });
  const zhApp = appFor({ map, locale: 'zh-CN', ...quiet });
  const autoApp = appFor({ map, locale: 'auto', ...quiet });
  const stringApp = appFor({ map, codeFormat: 'string', ...quiet });

  test('a defined 403, thrown by name: status and exact envelope', async () => {
    const res = await request(app).get('/expired');
    expect([res.status, res.headers['content-type'], res.text]).toEqual([403, 'application/json; charset=utf-8', '{"error":{"code":4031021,"msg":"Access-Token expired"}}']);
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.text)));
    expectXlinkError(res, 'ACCESS_TOKEN_EXPIRED');
    expect(res).toBeXlinkError(4031021);
  });

  test('a defined 409, thrown by name and by code; a custom message and header', async () => {
    for (const path of ['/busy', '/busy-by-code']) {
      const res = await request(app).get(path);
      expect([res.status, res.text]).toEqual([409, '{"error":{"code":4091001,"msg":"Device is busy"}}']);
      expect(res).toBeXlinkError('DEVICE_BUSY');
    }
    const custom = await request(app).get('/busy-custom');
    expectXlinkError(custom, 'DEVICE_BUSY', { msg: 'Device 42 is busy' });
    expect(custom.headers['retry-after']).toBe('5');
  });

  test('in Chinese: the defined msgZh, or msg when there is none', async () => {
    const expired = await request(zhApp).get('/expired');
    expect(expired.text).toBe('{"error":{"code":4031021,"msg":"Access-Token过期"}}');
    expect(expired.headers['content-length']).toBe(String(Buffer.byteLength(expired.text)));
    expectXlinkError(expired, 'ACCESS_TOKEN_EXPIRED', { locale: 'zh-CN' });
    const busy = await request(zhApp).get('/busy');
    expect(busy).toBeXlinkError('DEVICE_BUSY', { locale: 'zh-CN' });
    expect(busy.body.error.msg).toBe('Device is busy');
    const negotiated = await request(autoApp).get('/expired').set('Accept-Language', 'zh-CN,zh;q=0.9');
    expect(negotiated).toBeXlinkError('ACCESS_TOKEN_EXPIRED', { locale: 'zh-CN' });
    expect(negotiated.headers.vary).toMatch(/Accept-Language/);
  });

  test("codeFormat: 'string'", async () => {
    const res = await request(stringApp).get('/busy');
    expect(res.text).toBe('{"error":{"code":"4091001","msg":"Device is busy"}}');
    expectXlinkError(res, '4091001', { codeFormat: 'string' });
  });

  test('map turns a database error into a defined code', async () => {
    const res = await request(app).get('/lock');
    expect(res).toBeXlinkError('DEVICE_BUSY');
    expect(res.text).not.toContain('hunter2');
    expect(await request(zhApp).get('/lock')).toBeXlinkError('DEVICE_BUSY', { locale: 'zh-CN' });
  });

  test('a defined 5xx sends its own message, never the thrown one', async () => {
    for (const path of ['/db-down', '/db-down-direct']) {
      const res = await request(app).get(path);
      expect([res.status, res.text]).toEqual([500, '{"error":{"code":5001001,"msg":"Database unavailable"}}']);
      expectXlinkError(res, 'DATABASE_UNAVAILABLE');
      expect(res.headers['cache-control']).toBe('no-store'); // the 5xx rule goes by status
    }
    expect(await request(zhApp).get('/db-down')).toBeXlinkError('DATABASE_UNAVAILABLE', { locale: 'zh-CN' });
  });
});

test('the default onError logs a defined 5xx with its status and message, and the original error', async () => {
  const log = jest.spyOn(console, 'error').mockImplementation(() => {});
  try {
    await request(expressApp(express5)({ map })).get('/db-down');
    expect(log.mock.calls).toEqual([['xlink-errors: 500 Database unavailable:', expect.any(DbError)]]);
  } finally {
    log.mockRestore();
  }
});
