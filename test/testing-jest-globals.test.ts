// The matcher with Jest's explicit imports (`@jest/globals`), as Jest now recommends: typed
// through the `expect` module's declaration (this file is type-checked by ts-jest and by tsc).
import { describe, expect, test } from '@jest/globals';
import request from 'supertest';
import express from 'express';
import { xlinkError, xlinkErrorHandler } from 'xlink-errors';
import { xlinkMatchers } from 'xlink-errors/testing';

expect.extend(xlinkMatchers);

describe('toBeXlinkError() from @jest/globals', () => {
  const app = express();
  app.get('/v2/device/:id', () => {
    throw xlinkError('DEVICE_NOT_FOUND');
  });
  app.use(xlinkErrorHandler());

  test('passes, fails under .not, and works as an asymmetric matcher', async () => {
    const res = await request(app).get('/v2/device/1');
    expect(res).toBeXlinkError('DEVICE_NOT_FOUND');
    expect(res).not.toBeXlinkError('USER_NOT_FOUND');
    expect(() => expect(res).not.toBeXlinkError(4041008)).toThrow(/Expected the response not to be DEVICE_NOT_FOUND \(404 4041008\)/);
    expect({ res }).toEqual({ res: expect.toBeXlinkError('DEVICE_NOT_FOUND') });
  });

  test('unknown names do not compile', () => {
    // @ts-expect-error not a catalog name
    expect(() => expect({}).toBeXlinkError('DEVICE_MISSING')).toThrow(TypeError);
  });
});
