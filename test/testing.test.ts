import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import express from 'express';
import Koa from 'koa';
import request from 'supertest';
import { xlinkError, xlinkErrorHandler } from 'xlink-errors';
import { xlinkErrorHandler as xlinkKoaErrorHandler } from 'xlink-errors/koa';
import { expectXlinkError, xlinkMatchers } from 'xlink-errors/testing';

expect.extend(xlinkMatchers);

const json = { 'content-type': 'application/json; charset=utf-8' };
const deviceNotFound = { status: 404, headers: json, body: { error: { code: 4041008, msg: 'Device does not exist' } } };

describe('expectXlinkError()', () => {
  test('passes on a right response, by name, by code and by 7-digit string', () => {
    expect(() => expectXlinkError(deviceNotFound, 'DEVICE_NOT_FOUND')).not.toThrow();
    expect(() => expectXlinkError(deviceNotFound, 4041008)).not.toThrow();
    expect(() => expectXlinkError(deviceNotFound, '4041008')).not.toThrow();
  });

  test('passes on real Express and Koa responses through supertest', async () => {
    const app = express();
    app.get('/', () => {
      throw xlinkError('DEVICE_NOT_FOUND');
    });
    app.use(xlinkErrorHandler());
    expectXlinkError(await request(app).get('/'), 'DEVICE_NOT_FOUND');

    const koa = new Koa();
    koa.use(xlinkKoaErrorHandler());
    expectXlinkError(await request(koa.callback()).get('/'), 'URL_NOT_FOUND');
  });

  test('reads string and Buffer bodies, and Fetch-style headers', () => {
    const text = JSON.stringify(deviceNotFound.body);
    expect(() => expectXlinkError({ ...deviceNotFound, body: text }, 'DEVICE_NOT_FOUND')).not.toThrow();
    expect(() => expectXlinkError({ ...deviceNotFound, body: Buffer.from(text) }, 'DEVICE_NOT_FOUND')).not.toThrow();
    expect(() => expectXlinkError({ ...deviceNotFound, headers: new Headers(json) }, 'DEVICE_NOT_FOUND')).not.toThrow();
    expect(() => expectXlinkError({ statusCode: 404, headers: json, body: deviceNotFound.body }, 'DEVICE_NOT_FOUND')).not.toThrow();
  });

  test('codeFormat: string, a custom msg and the Chinese catalog text', () => {
    const stringCoded = { ...deviceNotFound, body: { error: { code: '4041008', msg: 'Device does not exist' } } };
    expect(() => expectXlinkError(stringCoded, 'DEVICE_NOT_FOUND', { codeFormat: 'string' })).not.toThrow();
    const custom = { ...deviceNotFound, body: { error: { code: 4041008, msg: 'Lamp 7 is gone' } } };
    expect(() => expectXlinkError(custom, 'DEVICE_NOT_FOUND', { msg: 'Lamp 7 is gone' })).not.toThrow();
    expect(() => expectXlinkError(custom, 'DEVICE_NOT_FOUND', { msg: /^Lamp \d+/ })).not.toThrow();
    const chinese = { ...deviceNotFound, body: { error: { code: 4041008, msg: '设备不存在' } } };
    expect(() => expectXlinkError(chinese, 'DEVICE_NOT_FOUND', { locale: 'zh-CN' })).not.toThrow();
  });

  test.each([
    ['a wrong code', { ...deviceNotFound, body: { error: { code: 4041011, msg: 'Device does not exist' } } }, /code: expected 4041008 \(DEVICE_NOT_FOUND\), received 4041011 \(USER_NOT_FOUND\)/],
    ['a wrong message', { ...deviceNotFound, body: { error: { code: 4041008, msg: 'Device not found' } } }, /msg: expected "Device does not exist", received "Device not found"/],
    ['a string code where numbers were expected', { ...deviceNotFound, body: { error: { code: '4041008', msg: 'Device does not exist' } } }, /code: expected 4041008 as a number, received "4041008" as a string/],
    ['a non-JSON body', { ...deviceNotFound, body: '<html>Not Found</html>' }, /body: not JSON \(it starts "<html>Not Found<\/html>"\)/],
    ['an empty body', { ...deviceNotFound, body: '' }, /body: not JSON \(it is empty\)/],
    ['supertest text that is not JSON', { ...deviceNotFound, text: 'Not Found', body: {} }, /body: not JSON/],
    ['a wrong status', { ...deviceNotFound, status: 500 }, /status: expected 404, received 500/],
    ['a wrong content type', { ...deviceNotFound, headers: { 'content-type': 'text/html' } }, /Content-Type: expected "application\/json; charset=utf-8", received "text\/html"/],
    ['extra keys in the envelope', { ...deviceNotFound, body: { error: { code: 4041008, msg: 'Device does not exist', stack: 'x' } } }, /envelope: not a valid Xlink envelope/],
  ])('throws an AssertionError that says what differed: %s', (_what, res, message) => {
    let thrown: unknown;
    try {
      expectXlinkError(res, 'DEVICE_NOT_FOUND');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ name: 'AssertionError', code: 'ERR_ASSERTION' });
    expect((thrown as Error).message).toMatch(/^Expected an Xlink DEVICE_NOT_FOUND \(404 4041008\) response:/);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as { expected: unknown }).expected).toEqual({ status: 404, body: { error: { code: 4041008, msg: 'Device does not exist' } } });
  });

  test('an unknown name is a TypeError', () => {
    expect(() => expectXlinkError(deviceNotFound, 'DEVICE_MISSING' as never)).toThrow(/^expectXlinkError: unknown Xlink error 'DEVICE_MISSING'/);
  });
});

describe('xlinkMatchers.toBeXlinkError', () => {
  test('follows the matcher protocol: { pass, message() }', () => {
    const ok = xlinkMatchers.toBeXlinkError(deviceNotFound, 'DEVICE_NOT_FOUND');
    expect(ok.pass).toBe(true);
    expect(ok.message()).toContain('not to be DEVICE_NOT_FOUND');
    const bad = xlinkMatchers.toBeXlinkError(deviceNotFound, 'USER_NOT_FOUND');
    expect(bad.pass).toBe(false);
    expect(bad.message()).toContain('code: expected 4041011 (USER_NOT_FOUND), received 4041008 (DEVICE_NOT_FOUND)');
  });

  test('works through expect.extend, with .not', () => {
    expect(deviceNotFound).toBeXlinkError('DEVICE_NOT_FOUND');
    expect(deviceNotFound).toBeXlinkError(4041008);
    expect(deviceNotFound).not.toBeXlinkError('USER_NOT_FOUND');
    expect(() => expect(deviceNotFound).toBeXlinkError('USER_NOT_FOUND')).toThrow(/toBeXlinkError[\s\S]*Expected USER_NOT_FOUND/);
    expect(() => expect(deviceNotFound).not.toBeXlinkError('DEVICE_NOT_FOUND')).toThrow(/not to be DEVICE_NOT_FOUND/);
  });
});

test('the helpers load without Jest or Vitest: nothing of them is required', () => {
  const script = `
    const before = new Set(Object.keys(require.cache));
    const testing = require(${JSON.stringify(join(__dirname, '..', 'dist', 'cjs', 'testing', 'index.js'))});
    const loaded = Object.keys(require.cache).filter((f) => !before.has(f) && /node_modules[\\\\/](jest|expect|@jest|vitest|@vitest)/.test(f));
    console.log(JSON.stringify({ exports: Object.keys(testing).sort(), loaded }));`;
  const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as { exports: string[]; loaded: string[] };
  expect(out).toEqual({ exports: ['checkXlinkContract', 'expectXlinkError', 'expectXlinkResponse', 'xlinkMatchers'], loaded: [] });
});
