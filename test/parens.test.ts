/**
 * A factory mounted without its parentheses (`app.use(xlinkErrorHandler)`) used to fail
 * silently: Express hung on unmatched routes, Koa answered 404 text to everything. It is a clear
 * `TypeError` on the first request that reaches it (Express and Koa report it their own way);
 * Fastify, which would crash on a throw there, answers with the default options and reports the
 * mistake once. The compile errors are in test/types/parens.ts.
 */
import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import request from 'supertest';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { xlinkErrorHandler, xlinkNotFound } from 'xlink-errors';
import xlinkErrors, { xlinkClientErrorHandler, xlinkFrameworkErrors } from 'xlink-errors/fastify';
import { xlinkErrorHandler as xlinkKoaErrorHandler } from 'xlink-errors/koa';
import { expectXlinkError } from 'xlink-errors/testing';

/** Captures what the package reports to stderr. */
function captureReports() {
  const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  return { lines: () => spy.mock.calls.map((args) => args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : String(a))).join(' ')), restore: () => spy.mockRestore() };
}

describe('Express', () => {
  test.each([
    ['xlinkErrorHandler', xlinkErrorHandler, 'app.use(xlinkErrorHandler())'],
    ['xlinkNotFound', xlinkNotFound, 'app.use(xlinkNotFound())'],
  ])('app.use(%s): the first request gets the TypeError that says how to call it, not a hang', async (name, factory, usage) => {
    const app = express();
    app.get('/ok', (_req, res) => void res.json({ ok: true }));
    app.use(factory as never);
    const seen: unknown[] = [];
    app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      seen.push(err);
      res.status(500).end();
    });
    await request(app).get('/nowhere').expect(500);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeInstanceOf(TypeError);
    expect((seen[0] as Error).message).toBe(`xlink-errors: ${name} is a factory, mounted here without being called: call it: ${usage}`);
  });
});

test('Koa: app.use(xlinkErrorHandler) makes the first request fail with the TypeError, emitted on app "error"', async () => {
  const app = new Koa();
  const errors: unknown[] = [];
  app.on('error', (err) => errors.push(err));
  app.use(xlinkKoaErrorHandler as never);
  app.use((ctx) => {
    ctx.body = { ok: true };
  });
  await request(app.callback()).get('/').expect(500);
  expect(errors).toHaveLength(1);
  expect((errors[0] as Error).message).toBe('xlink-errors: xlinkErrorHandler is a factory, mounted here without being called: call it: app.use(xlinkErrorHandler())');
});

describe('Fastify: a throw there would end the process, so the defaults answer and the mistake is reported once', () => {
  test('frameworkErrors: xlinkFrameworkErrors', async () => {
    const reports = captureReports();
    try {
      const app = Fastify({ frameworkErrors: xlinkFrameworkErrors as never });
      await app.register(xlinkErrors);
      app.get('/device/:id', async () => ({}));
      for (let i = 0; i < 2; i++) {
        const res = await app.inject({ method: 'GET', url: '/device/%' });
        expectXlinkError({ status: res.statusCode, headers: res.headers, body: res.json() }, 'PARAM_VERIFICATION_FAILED');
      }
      expect(reports.lines()).toEqual([
        'xlink-errors: answered with the default options: TypeError: xlink-errors: xlinkFrameworkErrors is a factory, mounted here without being called: call it: Fastify({ frameworkErrors: xlinkFrameworkErrors() })',
      ]);
      await app.close();
    } finally {
      reports.restore();
    }
  });

  test('clientErrorHandler: xlinkClientErrorHandler', async () => {
    const reports = captureReports();
    const app = Fastify({ clientErrorHandler: xlinkClientErrorHandler as never });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const text = await new Promise<string>((resolve) => {
        const socket = connect((app.server.address() as AddressInfo).port, '127.0.0.1');
        let data = '';
        socket.on('data', (chunk) => (data += chunk));
        socket.on('close', () => resolve(data));
        socket.on('error', () => resolve(data));
        socket.write('G@T / HTTP/1.1\r\n\r\n');
      });
      expect(text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n[^]*\r\n\r\n\{"error":\{"code":4001001,"msg":"Requested variable verification failed"\}\}$/);
      expect(reports.lines()).toEqual([
        'xlink-errors: answered with the default options: TypeError: xlink-errors: xlinkClientErrorHandler is a factory, mounted here without being called: call it: Fastify({ clientErrorHandler: xlinkClientErrorHandler() })',
      ]);
    } finally {
      reports.restore();
      await app.close();
    }
  });
});
