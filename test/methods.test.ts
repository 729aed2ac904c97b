/**
 * A method no route implements (WebDAV's PROPFIND, MKCOL, SEARCH...) is 404 4041001 on every
 * framework: Express and Fastify answer unknown methods as unknown routes, and Koa's
 * `router.allowedMethods()` (the README's own snippet) sets 501 Not Implemented for them, which
 * must not let anyone make the server report server errors at will. A 405 stays 400 4001001; a
 * 501 the application throws itself is still a 503. Real apps over a socket.
 */
import Router from '@koa/router';
import express from 'express';
import Fastify from 'fastify';
import createError from 'http-errors';
import Koa from 'koa';
import request from 'supertest';
import { xlinkErrorHandler, xlinkNotFound } from 'xlink-errors';
import xlinkErrors from 'xlink-errors/fastify';
import { xlinkErrorHandler as xlinkKoaErrorHandler } from 'xlink-errors/koa';
import { expectXlinkError } from 'xlink-errors/testing';

const thrown501 = () => createError(501, 'not built yet');

function expressApp() {
  const app = express();
  app.get('/v2/device/:id', (_req, res) => void res.json({ id: 1 }));
  app.get('/not-built', () => {
    throw thrown501();
  });
  app.use(xlinkNotFound());
  app.use(xlinkErrorHandler({ onError: () => undefined }));
  return app;
}

function koaApp() {
  const app = new Koa();
  app.silent = true;
  app.use(xlinkKoaErrorHandler({ onError: () => undefined }));
  const router = new Router();
  router.get('/v2/device/:id', (ctx) => {
    ctx.body = { id: 1 };
  });
  router.get('/not-built', () => {
    throw thrown501();
  });
  app.use(router.routes()).use(router.allowedMethods());
  return app;
}

async function fastifyApp() {
  const app = Fastify();
  await app.register(xlinkErrors, { onError: () => undefined });
  app.get('/v2/device/:id', async () => ({ id: 1 }));
  app.get('/not-built', async () => {
    throw thrown501();
  });
  await app.ready();
  return app;
}

type Target = Parameters<typeof request>[0];
const frameworks: [string, () => Promise<{ target: Target; close?: () => Promise<unknown> }>][] = [
  ['Express', async () => ({ target: expressApp() })],
  ['Koa', async () => ({ target: koaApp().callback() })],
  [
    'Fastify',
    async () => {
      const app = await fastifyApp();
      return { target: app.server, close: () => app.close() };
    },
  ],
];

const METHODS = ['propfind', 'mkcol', 'search', 'lock', 'proppatch', 'purge'] as const;

describe.each(frameworks)('%s', (_name, make) => {
  let target: Target;
  let close: (() => Promise<unknown>) | undefined;
  beforeAll(async () => {
    ({ target, close } = await make());
  });
  afterAll(async () => {
    await close?.();
  });

  test.each(METHODS)('%s on a known route is 404 4041001, cacheable as any 404 (no no-store)', async (method) => {
    const res = await request(target)[method]('/v2/device/1');
    expectXlinkError(res, 'URL_NOT_FOUND');
    expect(res.headers['cache-control']).toBeUndefined();
  });

  test('a 501 the application throws itself is still 503 5031001', async () => {
    const res = await request(target).get('/not-built');
    expectXlinkError(res, 'SERVER_EXCEPTION');
    expect(res.text).not.toContain('not built yet');
  });
});

test("Koa: the router's 405 stays 400 4001001 with its Allow header", async () => {
  const res = await request(koaApp().callback()).delete('/v2/device/1');
  expectXlinkError(res, 'PARAM_VERIFICATION_FAILED');
  expect(res.headers.allow).toBe('HEAD, GET');
});
