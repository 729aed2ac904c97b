// Opting into the later official codes: defineXlinkErrors(XLINK_EXTENDED_ERRORS), as README shows,
// next to a user's own codes that share an entry with it (ACCESS_TOKEN_EXPIRED, 4031021).
import express from 'express';
import Koa from 'koa';
import request from 'supertest';
import { defineXlinkErrors, validateXlinkEnvelope, xlinkError, xlinkErrorHandler, xlinkMessage } from 'xlink-errors';
import { XLINK_EXTENDED_ERRORS } from 'xlink-errors/extended';
import { xlinkErrorHandler as xlinkKoaErrorHandler } from 'xlink-errors/koa';
import { expectXlinkError, xlinkMatchers } from 'xlink-errors/testing';
import { knownRecords } from '../src/core/catalog';

expect.extend(xlinkMatchers);

export const extendedErrors = defineXlinkErrors(XLINK_EXTENDED_ERRORS);
declare module 'xlink-errors' {
  interface XlinkErrorRegister {
    extended: typeof extendedErrors;
  }
}

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | void {}

const zhApp = express();
zhApp.get('/locked', () => {
  throw xlinkError(4001061);
});
zhApp.use(xlinkErrorHandler({ locale: 'zh-CN' }));

test('xlinkError(4001061) is a 400 USER_LOCKED, typed as such', () => {
  const err = xlinkError(4001061);
  assertType<Equal<typeof err.status, 400>>();
  assertType<Equal<typeof err.errorName, 'USER_LOCKED'>>();
  expect([err.status, err.code, err.errorName, err.message]).toEqual([400, 4001061, 'USER_LOCKED', XLINK_EXTENDED_ERRORS.USER_LOCKED.msg]);
  expect(xlinkMessage(4001061, 'zh-CN')).toBe('用户由于多次输入错误密码已被锁定');
});

test('in Chinese, over HTTP, in Express and Koa', async () => {
  const res = await request(zhApp).get('/locked');
  expect([res.status, res.text]).toEqual([400, '{"error":{"code":4001061,"msg":"用户由于多次输入错误密码已被锁定"}}']);
  expectXlinkError(res, 'USER_LOCKED', { locale: 'zh-CN' });
  const koa = new Koa();
  koa.use(xlinkKoaErrorHandler({ locale: 'zh-CN' }) as Koa.Middleware);
  koa.use(() => {
    throw xlinkError('4001061');
  });
  expect(await request(koa.callback()).get('/')).toBeXlinkError(4001061, { locale: 'zh-CN' });
});

test('every extended code is known, with its status, and valid in the envelope schema', () => {
  for (const [name, { code, msg, msgZh }] of Object.entries(XLINK_EXTENDED_ERRORS)) {
    const err = xlinkError(name as keyof typeof XLINK_EXTENDED_ERRORS);
    expect([err.code, err.status, err.message, xlinkMessage(code, 'zh-CN')]).toEqual([code, Math.floor(code / 10000), msg, msgZh]);
    expect(validateXlinkEnvelope({ error: { code, msg } })).toBe(true);
  }
});

test('defining them again, or a user map sharing ACCESS_TOKEN_EXPIRED with them, is a no-op', () => {
  const before = knownRecords().length;
  expect(defineXlinkErrors(XLINK_EXTENDED_ERRORS)).toEqual(extendedErrors);
  defineXlinkErrors({ ACCESS_TOKEN_EXPIRED: { code: 4031021, msg: 'Access-Token expired', msgZh: 'Access-Token过期' } });
  // The user's own module, loaded through another copy of the package, defines it too.
  jest.isolateModules(() => {
    jest.requireActual('./helpers/app-errors');
  });
  expect(xlinkError('DEVICE_BUSY' as never).status).toBe(409);
  expect(knownRecords().length).toBe(before + 2); // DEVICE_BUSY and DATABASE_UNAVAILABLE
  expect(before).toBe(82 + 195);
});

test('an extended code is still refused under another entry', () => {
  expect(() => defineXlinkErrors({ ACCESS_TOKEN_EXPIRED: { code: 4031021, msg: 'Token expired' } })).toThrow(
    'defineXlinkErrors: ACCESS_TOKEN_EXPIRED (4031021 "Token expired") differs from the ACCESS_TOKEN_EXPIRED (4031021 "Access-Token expired") defined earlier',
  );
});
