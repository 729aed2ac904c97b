import Router from '@koa/router';
import express from 'express';
import Koa from 'koa';
import request from 'supertest';
import type { RequestListener } from 'node:http';
import { XLINK_ERRORS, xlinkError, xlinkMessage, xlinkErrorHandler, xlinkNotFound, type XlinkErrorName, type XlinkHandlerOptions } from 'xlink-errors';
import { xlinkErrorHandler as xlinkKoaErrorHandler } from 'xlink-errors/koa';
import { expectXlinkError } from 'xlink-errors/testing';
import { catalogRecords } from '../src/core/catalog.js';
import { names } from './helpers/expected';

const chinese = new Map(catalogRecords.map((r) => [r.name, r.msgZh]));

/** The same routes on Express and on Koa: /errors/:key throws it, /custom throws a custom msg. */
const servers: [string, (options: Pick<XlinkHandlerOptions, 'locale' | 'codeFormat'>) => RequestListener][] = [
  [
    'Express',
    (options) => {
      const app = express();
      app.get('/errors/:key', (req) => {
        throw xlinkError(req.params.key as XlinkErrorName);
      });
      app.get('/custom', () => {
        throw xlinkError('DEVICE_NOT_FOUND', { msg: 'Lamp 7 is offline' });
      });
      app.get('/catalog-text', () => {
        throw xlinkError('DEVICE_NOT_FOUND', { msg: 'Device does not exist' });
      });
      app.get('/vary', (_req, res) => {
        res.setHeader('Vary', 'Origin');
        throw xlinkError('DEVICE_NOT_FOUND');
      });
      app.use(xlinkNotFound());
      app.use(xlinkErrorHandler({ onError: () => {}, ...options }));
      return app;
    },
  ],
  [
    'Koa',
    (options) => {
      const app = new Koa();
      app.silent = true;
      app.use(xlinkKoaErrorHandler(options));
      const router = new Router();
      router.get('/errors/:key', (ctx) => {
        throw xlinkError(ctx.params.key as XlinkErrorName);
      });
      router.get('/custom', () => {
        throw xlinkError('DEVICE_NOT_FOUND', { msg: 'Lamp 7 is offline' });
      });
      router.get('/catalog-text', () => {
        throw xlinkError('DEVICE_NOT_FOUND', { msg: 'Device does not exist' });
      });
      app.use(router.routes());
      return app.callback();
    },
  ],
];

describe.each(servers)('%s', (_label, serve) => {
  const zh = serve({ locale: 'zh-CN' });
  const auto = serve({ locale: 'auto' });
  const zhStrings = serve({ locale: 'zh-CN', codeFormat: 'string' });

  test.each(names)("%s with locale: 'zh-CN' is the official Chinese text, with the right Content-Length", async (name) => {
    const res = await request(zh).get(`/errors/${name}`);
    expect(res.status).toBe(XLINK_ERRORS[name].status);
    expect(res.text).toBe(JSON.stringify({ error: { code: XLINK_ERRORS[name].code, msg: chinese.get(name) } }));
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
    expect(res.headers.vary).toBeUndefined();
  });

  test("codeFormat: 'string' in Chinese", async () => {
    const res = await request(zhStrings).get('/errors/USER_NOT_FOUND');
    expectXlinkError(res, 'USER_NOT_FOUND', { codeFormat: 'string', locale: 'zh-CN' });
  });

  test.each([
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['zh-TW', 'zh-CN'],
    ['en-US,en;q=0.9', 'en'],
    ['en;q=0.5,zh-CN;q=0.9', 'zh-CN'],
    ['fr-FR', 'en'],
    ['*', 'en'],
    [undefined, 'en'],
    ['', 'en'],
    [';;;,,q=x', 'en'],
  ] as const)("locale: 'auto' with Accept-Language %p answers in %s, with Vary", async (header, language) => {
    const req = request(auto).get('/errors/DEVICE_NOT_FOUND');
    const res = header === undefined ? await req : await req.set('Accept-Language', header);
    expectXlinkError(res, 'DEVICE_NOT_FOUND', { locale: language });
    expect(res.headers.vary).toMatch(/Accept-Language/);
  });

  test('a custom msg is never translated', async () => {
    const res = await request(zh).get('/custom');
    expectXlinkError(res, 'DEVICE_NOT_FOUND', { msg: 'Lamp 7 is offline' });
    const negotiated = await request(auto).get('/custom').set('Accept-Language', 'zh-CN');
    expectXlinkError(negotiated, 'DEVICE_NOT_FOUND', { msg: 'Lamp 7 is offline' });
  });

  test('a msg equal to the catalog text is the catalog text, so it is translated', async () => {
    expectXlinkError(await request(zh).get('/catalog-text'), 'DEVICE_NOT_FOUND', { locale: 'zh-CN' });
  });

  test('unmatched routes are translated too', async () => {
    expectXlinkError(await request(zh).get('/nowhere'), 'URL_NOT_FOUND', { locale: 'zh-CN' });
  });
});

test('Vary keeps what the route set and gains Accept-Language once', async () => {
  const [, serve] = servers[0]!;
  const res = await request(serve({ locale: 'auto' })).get('/vary');
  expect(res.headers.vary).toBe('Origin, Accept-Language');
});

test('xlinkMessage() gives either text of an entry', () => {
  expect(xlinkMessage('DEVICE_NOT_FOUND')).toBe('Device does not exist');
  expect(xlinkMessage(4041008, 'zh-CN')).toBe('设备不存在');
  expect(xlinkMessage('5031001', 'zh-CN')).toBe('服务端发生异常');
  for (const record of catalogRecords) expect(xlinkMessage(record.name, 'zh-CN')).toBe(record.msgZh);
  expect(() => xlinkMessage('NOPE' as never)).toThrow(/^xlinkMessage: unknown Xlink error 'NOPE'/);
  expect(() => xlinkMessage('DEVICE_NOT_FOUND', 'fr' as never)).toThrow(TypeError);
});
