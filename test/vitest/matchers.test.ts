// A real Vitest run (`npm test` runs it after Jest): `expect.extend(xlinkMatchers)` and the
// matcher's declaration on Vitest's `expect`. Jest ignores this folder.
import express from 'express';
import request from 'supertest';
import { describe, expect, test } from 'vitest';
import { xlinkError, xlinkErrorHandler } from 'xlink-errors';
import { expectXlinkError, xlinkMatchers } from 'xlink-errors/testing';

expect.extend(xlinkMatchers);

const app = express();
app.get('/v2/device/:id', () => {
  throw xlinkError('DEVICE_NOT_FOUND');
});
app.use(xlinkErrorHandler({ locale: 'auto' }));

describe('toBeXlinkError() in Vitest', () => {
  test('passes on the Xlink error, by name and by code', async () => {
    const res = await request(app).get('/v2/device/1');
    expect(res).toBeXlinkError('DEVICE_NOT_FOUND');
    expect(res).toBeXlinkError(4041008);
  });

  test('.not passes on another error, and fails with the differences listed', async () => {
    const res = await request(app).get('/v2/device/1');
    expect(res).not.toBeXlinkError('USER_NOT_FOUND');
    expect(() => expect(res).toBeXlinkError('USER_NOT_FOUND')).toThrow(/code: expected 4041011 \(USER_NOT_FOUND\), received 4041008 \(DEVICE_NOT_FOUND\)/);
    expect(() => expect(res).not.toBeXlinkError('DEVICE_NOT_FOUND')).toThrow(/not to be DEVICE_NOT_FOUND/);
  });

  test('options, and the matcher inside toEqual()', async () => {
    const res = await request(app).get('/v2/device/1').set('Accept-Language', 'zh-CN');
    expect(res).toBeXlinkError('DEVICE_NOT_FOUND', { locale: 'zh-CN' });
    expect({ res }).toEqual({ res: expect.toBeXlinkError('DEVICE_NOT_FOUND', { locale: 'zh-CN' }) });
  });

  test('expectXlinkError() throws an assertion error Vitest shows with a diff', async () => {
    const res = await request(app).get('/v2/device/1');
    expect(() => expectXlinkError(res, 'USER_NOT_FOUND')).toThrow(expect.objectContaining({ name: 'AssertionError' }));
  });

  test('unknown names do not compile', () => {
    // @ts-expect-error not a catalog name
    expect(() => expect({}).toBeXlinkError('DEVICE_MISSING')).toThrow(TypeError);
  });
});
