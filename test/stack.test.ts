/**
 * The handlers inside real middleware stacks, as users deploy them: cors / @koa/cors /
 * @fastify/cors, a
 * request-id middleware, an upstream HTTP client (undici) whose errors carry the upstream's
 * headers, http-errors with headers, async hooks. What happens to the headers of an error
 * response, the status line, and hooks that fail.
 */
import fastifyCors from '@fastify/cors';
import koaCors from '@koa/cors';
import Router from '@koa/router';
import cors from 'cors';
import express5 from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import express4 from 'express4';
import createError from 'http-errors';
import Koa from 'koa';
import Koa2 from 'koa2';
import request from 'supertest';
import { errors as undiciErrors, request as undiciRequest } from 'undici';
import { createServer, get as httpGet, type IncomingHttpHeaders, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { xlinkError, xlinkErrorHandler, xlinkNotFound, type XlinkHandlerOptions } from 'xlink-errors';
import { xlinkErrorHandler as xlinkKoaErrorHandler } from 'xlink-errors/koa';
import xlinkErrors, { type XlinkFastifyOptions } from 'xlink-errors/fastify';
import { expectXlinkError } from 'xlink-errors/testing';

const SECRET = 'S3CRET-upstream-7f2c';
const APP_ORIGIN = 'https://app.example';

/** What the upstream answers: a 404 with headers that must never reach our client. */
const UPSTREAM_HEADERS: Record<string, string> = {
  'Set-Cookie': `sid=${SECRET}; HttpOnly`,
  Location: `https://internal.example/${SECRET}`,
  'X-Internal-Trace': SECRET,
  'Keep-Alive': 'timeout=999',
  'Access-Control-Allow-Origin': '*',
  'Content-Encoding': 'gzip',
  'Content-Language': 'de',
  ETag: '"upstream"',
  Trailer: 'X-Checksum',
  'WWW-Authenticate': 'Basic realm="upstream"',
  'Retry-After': '30',
};

let upstream: Server;
let upstreamUrl: string;

beforeAll(async () => {
  upstream = createServer((_req, res) => {
    // Chunked (no Content-Length), so the Trailer is legal here.
    res.writeHead(404, UPSTREAM_HEADERS);
    res.write('{"message":"no such thing"}');
    res.addTrailers({ 'X-Checksum': 'abc' });
    res.end();
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/thing`;
});

afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

/** A real undici call to the upstream with throwOnError: rejects with its ResponseStatusCodeError. */
async function callUpstream(): Promise<never> {
  await undiciRequest(upstreamUrl, { throwOnError: true });
  throw new Error('the upstream was expected to fail');
}

/** The upstream-leak checks, on any response to a request that failed upstream. */
function expectNoUpstreamLeak(headers: IncomingHttpHeaders): void {
  expect(JSON.stringify(headers)).not.toContain(SECRET);
  expect(headers['set-cookie']).toBeUndefined();
  expect(headers.location).toBeUndefined();
  expect(headers['x-internal-trace']).toBeUndefined();
  expect(headers['keep-alive']).not.toBe('timeout=999');
  expect(headers['content-encoding']).toBeUndefined();
  expect(headers['content-language']).toBeUndefined();
  expect(headers.etag).toBeUndefined();
  expect(headers.trailer).toBeUndefined();
}

/** A raw GET (supertest hides the reason phrase): status, reason phrase and headers. */
function rawGet(server: Server, path: string): Promise<{ status: number; reason: string; headers: IncomingHttpHeaders; text: string }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    httpGet({ host: '127.0.0.1', port, path }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, reason: res.statusMessage!, headers: res.headers, text }));
    }).on('error', reject);
  });
}

async function listen(listener: RequestListener): Promise<Server> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** Collects unhandled rejections and uncaught exceptions while `body` runs, and a while after. */
async function withProcessWatch(body: () => Promise<void>): Promise<unknown[]> {
  const caught: unknown[] = [];
  const onFault = (reason: unknown) => caught.push(reason);
  process.on('unhandledRejection', onFault);
  process.on('uncaughtException', onFault);
  try {
    await body();
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    process.off('unhandledRejection', onFault);
    process.off('uncaughtException', onFault);
  }
  return caught;
}

/** console.error, silenced, with what it was given as text. */
function spyStderr(): { lines: () => string; restore: () => void } {
  const spy = jest.spyOn(console, 'error').mockImplementation(() => {});
  const { inspect } = jest.requireActual<typeof import('node:util')>('node:util');
  return {
    lines: () => spy.mock.calls.map((args) => args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' ')).join('\n'),
    restore: () => spy.mockRestore(),
  };
}

type Express = typeof express5;
const expresses: [string, Express][] = [
  ['Express 5', express5],
  ['Express 4', express4 as unknown as Express],
];

describe.each(expresses)('%s in a real stack', (_label, express) => {
  /** cors and a request id before the routes, the package's middleware after. */
  function stackApp(routes: (app: ReturnType<Express>) => void, options: XlinkHandlerOptions<unknown> = { onError: () => {} }) {
    const app = express();
    app.use(cors({ origin: APP_ORIGIN, exposedHeaders: ['X-Request-Id'] }));
    app.use((_req, res, next) => {
      res.setHeader('X-Request-Id', 'req-42');
      next();
    });
    app.get('/health', (_req, res) => void res.send('ok'));
    routes(app);
    app.use(xlinkNotFound());
    app.use(xlinkErrorHandler(options));
    return app;
  }

  test("an undici ResponseStatusCodeError: the envelope, the app's CORS and request id, none of the upstream's headers", async () => {
    const app = stackApp((a) => a.get('/device', (_req, _res, next) => void callUpstream().catch(next)));
    const res = await request(app).get('/device').set('Origin', APP_ORIGIN);
    expectXlinkError(res, 'URL_NOT_FOUND');
    expectNoUpstreamLeak(res.headers);
    expect(res.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    expect(res.headers['x-request-id']).toBe('req-42');
    // Allow-listed, and not set by the app: they help the client.
    expect(res.headers['www-authenticate']).toBe('Basic realm="upstream"');
    expect(res.headers['retry-after']).toBe('30');
    expect((await request(app).get('/health')).text).toBe('ok');
  });

  test('a foreign 4xx carrying a Trailer header: the envelope, and the process survives', async () => {
    const app = stackApp((a) => a.get('/trailer', (_req, _res, next) => next(createError(404, { headers: { Trailer: 'Expires', 'X-Debug': SECRET } }))));
    const server = await listen(app);
    try {
      const caught = await withProcessWatch(async () => {
        const res = await rawGet(server, '/trailer');
        expect([res.status, res.text]).toEqual([404, '{"error":{"code":4041001,"msg":"URL not found"}}']);
        expect(res.headers.trailer).toBeUndefined();
        expect(res.headers['x-debug']).toBeUndefined();
        expect((await rawGet(server, '/health')).text).toBe('ok');
      });
      expect(caught).toEqual([]);
    } finally {
      server.close();
    }
  });

  test('a route that set Trailer before throwing: the envelope, and the process survives', async () => {
    const app = stackApp((a) =>
      a.get('/trailer', (_req, res) => {
        res.setHeader('Trailer', 'Expires');
        throw xlinkError('ACCESS_DENIED');
      }),
    );
    const server = await listen(app);
    try {
      const caught = await withProcessWatch(async () => {
        const res = await rawGet(server, '/trailer');
        expect([res.status, res.headers.trailer]).toEqual([403, undefined]);
        expect((await rawGet(server, '/health')).text).toBe('ok');
      });
      expect(caught).toEqual([]);
    } finally {
      server.close();
    }
  });

  test("body-describing headers the route set go; a 503 is no-store whatever the route's Cache-Control said", async () => {
    const app = stackApp((a) =>
      a.get('/report', (_req, res) => {
        res.setHeader('Cache-Control', 'public, max-age=86400');
        res.setHeader('Content-Encoding', 'gzip');
        res.setHeader('Content-Disposition', 'attachment; filename="r.csv"');
        res.setHeader('Transfer-Encoding', 'chunked');
        throw new Error('db down');
      }),
    );
    for (const method of ['get', 'head'] as const) {
      const res = await request(app)[method]('/report');
      expect(res.status).toBe(503);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers['content-disposition']).toBeUndefined();
      expect(res.headers['x-request-id']).toBe('req-42');
    }
  });

  test("a 4xx keeps the route's Cache-Control", async () => {
    const app = stackApp((a) =>
      a.get('/cached', (_req, res) => {
        res.setHeader('Cache-Control', 'private, max-age=60');
        throw xlinkError('DEVICE_NOT_FOUND');
      }),
    );
    expect((await request(app).get('/cached')).headers['cache-control']).toBe('private, max-age=60');
  });

  test("the status line's text is the status sent, whatever the route left in res.statusMessage", async () => {
    const app = stackApp((a) =>
      a.get('/teapot', (_req, res) => {
        res.statusMessage = "I'm a teapot";
        throw xlinkError('DEVICE_NOT_FOUND');
      }),
    );
    const server = await listen(app);
    try {
      const res = await rawGet(server, '/teapot');
      expect([res.status, res.reason]).toEqual([404, 'Not Found']);
    } finally {
      server.close();
    }
  });

  test('http-errors with headers: allow-listed ones travel, never over the app’s own, the rest are dropped', async () => {
    const app = stackApp((a) =>
      a.get('/h', (_req, _res, next) => next(createError(401, { headers: { 'WWW-Authenticate': 'Bearer', 'Access-Control-Allow-Origin': '*', 'Set-Cookie': 'x=1', Location: '/login' } }))),
    );
    const res = await request(app).get('/h').set('Origin', APP_ORIGIN);
    expectXlinkError(res, 'ACCESS_DENIED');
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers.location).toBeUndefined();
  });
});

const koas: [string, typeof Koa][] = [
  ['Koa 3', Koa],
  ['Koa 2', Koa2 as unknown as typeof Koa],
];

describe.each(koas)('%s in a real stack', (_label, KoaApp) => {
  /** @koa/cors and a request id before the handler, a router after it. */
  function stackApp(setup: (router: Router, app: Koa) => void, options: XlinkHandlerOptions<never> = { onError: () => {} }) {
    const app = new KoaApp();
    app.silent = true;
    app.use(koaCors({ origin: APP_ORIGIN, exposeHeaders: ['X-Request-Id'] }));
    app.use(async (ctx, next) => {
      ctx.set('X-Request-Id', 'req-42');
      await next();
    });
    app.use(xlinkKoaErrorHandler(options));
    const router = new Router();
    router.get('/health', (ctx) => void (ctx.body = 'ok'));
    setup(router, app);
    app.use(router.routes());
    app.use(router.allowedMethods());
    return app;
  }

  test("a thrown error keeps the CORS and request-id headers set before the handler; the downstream's go", async () => {
    const app = stackApp((router) =>
      router.get('/device', (ctx) => {
        ctx.set('X-Downstream', 'half-built');
        ctx.set('Cache-Control', 'public, max-age=86400');
        throw xlinkError('DEVICE_NOT_FOUND');
      }),
    );
    const res = await request(app.callback()).get('/device').set('Origin', APP_ORIGIN);
    expectXlinkError(res, 'DEVICE_NOT_FOUND');
    expect(res.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    expect(res.headers['access-control-expose-headers']).toBe('X-Request-Id');
    expect(res.headers['x-request-id']).toBe('req-42');
    expect(res.headers.vary).toBe('Origin');
    expect(res.headers['x-downstream']).toBeUndefined();
    expect(res.headers['cache-control']).toBeUndefined();
  });

  test("an undici ResponseStatusCodeError: the envelope, the app's CORS, none of the upstream's headers", async () => {
    const app = stackApp((router) => router.get('/device', () => callUpstream()));
    const res = await request(app.callback()).get('/device').set('Origin', APP_ORIGIN);
    expectXlinkError(res, 'URL_NOT_FOUND');
    expectNoUpstreamLeak(res.headers);
    expect(res.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    expect(res.headers['x-request-id']).toBe('req-42');
    expect(res.headers['www-authenticate']).toBe('Basic realm="upstream"');
  });

  test('@koa/cors mounted after the handler, with keepHeadersOnError: CORS travels on the error', async () => {
    const app = new KoaApp();
    app.silent = true;
    app.use(xlinkKoaErrorHandler({ onError: () => {} }));
    app.use(koaCors({ origin: APP_ORIGIN, keepHeadersOnError: true }));
    app.use(() => {
      throw createError(404);
    });
    const res = await request(app.callback()).get('/').set('Origin', APP_ORIGIN);
    expectXlinkError(res, 'URL_NOT_FOUND');
    expect(res.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
  });

  test('a foreign 4xx carrying a Trailer header, and a route that set one: the envelope, no crash', async () => {
    const app = stackApp((router) => {
      router.get('/foreign', () => {
        throw createError(404, { headers: { Trailer: 'Expires' } });
      });
      router.get('/route', (ctx) => {
        ctx.set('Trailer', 'Expires');
        ctx.status = 404; // set without a body
      });
    });
    const server = await listen(app.callback());
    try {
      const caught = await withProcessWatch(async () => {
        for (const path of ['/foreign', '/route']) {
          const res = await rawGet(server, path);
          expect([res.status, res.text, res.headers.trailer]).toEqual([404, '{"error":{"code":4041001,"msg":"URL not found"}}', undefined]);
        }
      });
      expect(caught).toEqual([]);
    } finally {
      server.close();
    }
  });

  test('a status set without a body: body-describing headers go, the others (and Allow) stay', async () => {
    const app = stackApp((router) => {
      router.get('/gone', (ctx) => {
        ctx.set('Content-Encoding', 'gzip');
        ctx.set('Content-Disposition', 'attachment; filename="r.csv"');
        ctx.set('X-Route', 'kept');
        ctx.status = 404;
      });
      router.get('/broken', (ctx) => {
        ctx.set('Cache-Control', 'public, max-age=86400');
        ctx.status = 500;
      });
    });
    const res = await request(app.callback()).get('/gone');
    expectXlinkError(res, 'URL_NOT_FOUND');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['content-disposition']).toBeUndefined();
    expect(res.headers['x-route']).toBe('kept');
    const broken = await request(app.callback()).head('/broken');
    expect([broken.status, broken.headers['cache-control']]).toEqual([503, 'no-store']);
    const notAllowed = await request(app.callback()).post('/health');
    expect(notAllowed.status).toBe(400);
    expect(notAllowed.headers.allow).toBe('HEAD, GET');
  });

  test('a thrown 5xx is no-store', async () => {
    const app = stackApp((router) =>
      router.get('/boom', (ctx) => {
        ctx.set('Cache-Control', 'public, max-age=86400');
        throw new Error('db down');
      }),
    );
    const res = await request(app.callback()).get('/boom');
    expect([res.status, res.headers['cache-control']]).toEqual([503, 'no-store']);
  });

  test.each([
    ['ctx.status = 401', (ctx: Koa.Context): void => void (ctx.status = 401), 403, 'Forbidden'],
    ['ctx.status = 500', (ctx: Koa.Context): void => void (ctx.status = 500), 503, 'Service Unavailable'],
    ['ctx.status = 418', (ctx: Koa.Context): void => void (ctx.status = 418), 400, 'Bad Request'],
    ['ctx.status = 401, then a throw', (ctx: Koa.Context): void => ((ctx.status = 401), ctx.throw(404)), 404, 'Not Found'],
  ] as const)("the status line's text matches the status: %s", async (_title, route, status, reason) => {
    const server = await listen(stackApp((router) => router.get('/s', route)).callback());
    try {
      const res = await rawGet(server, '/s');
      expect([res.status, res.reason]).toEqual([status, reason]);
    } finally {
      server.close();
    }
  });

  test("the router's 405 reads 400 Bad Request", async () => {
    const server = await listen(stackApp(() => {}).callback());
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/health`, { method: 'POST' });
      expect([res.status, res.statusText]).toEqual([400, 'Bad Request']);
      expect(await res.json()).toEqual({ error: { code: 4001001, msg: 'Requested variable verification failed' } });
    } finally {
      server.close();
    }
  });
});

describe('undici errors, constructed as undici does', () => {
  test('a ResponseStatusCodeError is a foreign 4xx whose upstream headers are filtered', async () => {
    const err = new undiciErrors.ResponseStatusCodeError('Response status code 401: Unauthorized', 401, { 'set-cookie': ['a=1', 'b=2'], 'www-authenticate': ['Basic', 'Bearer'] }, null);
    const app = express5();
    app.get('/', () => {
      throw err;
    });
    app.use(xlinkErrorHandler());
    const res = await request(app).get('/');
    expectXlinkError(res, 'ACCESS_DENIED');
    expect(res.headers['www-authenticate']).toBe('Basic, Bearer');
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

type Framework = [string, (route: () => unknown, options: XlinkHandlerOptions<never>) => RequestListener];
const frameworks: Framework[] = [
  ...expresses.map(([label, express]): Framework => [
    label,
    (route, options) => {
      const app = express();
      app.get('/health', (_req, res) => void res.send('ok'));
      app.get('/fail', (_req, _res, next) => {
        try {
          route();
        } catch (err) {
          next(err);
        }
      });
      app.use(xlinkErrorHandler(options as XlinkHandlerOptions<unknown>));
      return app;
    },
  ]),
  ...koas.map(([label, KoaApp]): Framework => [
    label,
    (route, options) => {
      const app = new KoaApp();
      app.use(xlinkKoaErrorHandler(options));
      app.use((ctx) => {
        if (ctx.path === '/health') return void (ctx.body = 'ok');
        route();
      });
      return app.callback();
    },
  ]),
];

describe.each(frameworks)('%s: hooks are contained', (_label, makeApp) => {
  const fail = () => {
    throw new Error('db down');
  };

  /** Two failing requests, then a healthy one; what reached process-level handlers and stderr. */
  async function run(options: XlinkHandlerOptions<never>, route: () => unknown = fail) {
    const stderr = spyStderr();
    const server = await listen(makeApp(route, options));
    const responses: request.Response[] = [];
    try {
      const caught = await withProcessWatch(async () => {
        for (let i = 0; i < 2; i++) responses.push(await request(server).get('/fail'));
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect((await request(server).get('/health')).text).toBe('ok');
      });
      return { caught, responses, stderr: stderr.lines() };
    } finally {
      server.close();
      stderr.restore();
    }
  }

  test('an async onError whose promise rejects: reported, no unhandled rejection, the server keeps serving', async () => {
    const { caught, responses, stderr } = await run({
      // Refused by the types (a plain JavaScript app, or a cast, gets it through).
      onError: (async () => {
        await Promise.resolve();
        throw new Error('log shipper down');
      }) as never,
    });
    expect(caught).toEqual([]);
    for (const res of responses) expectXlinkError(res, 'SERVER_EXCEPTION');
    expect(stderr).toContain('log shipper down');
  });

  test('an async map that throws: a 503, reported, no unhandled rejection', async () => {
    const { caught, responses, stderr } = await run({
      map: (async () => {
        throw new Error('map exploded');
      }) as never,
      onError: () => {},
    });
    expect(caught).toEqual([]);
    for (const res of responses) expectXlinkError(res, 'SERVER_EXCEPTION');
    expect(stderr).toContain('map() returned a promise');
    expect(stderr).toContain('map exploded');
  });

  test('an async map that resolves to a name is no mapping: a 503 whose report says why', async () => {
    const { caught, responses, stderr } = await run({ map: (async () => 'DEVICE_NOT_FOUND') as never, onError: () => {} }, () => {
      throw createError(404);
    });
    expect(caught).toEqual([]);
    for (const res of responses) expectXlinkError(res, 'SERVER_EXCEPTION');
    expect(stderr).toMatch(/map\(\) returned a promise; map must be synchronous/);
  });

  test('a map that fails: the default log shows the failure in map and the original error', async () => {
    const { responses, stderr } = await run(
      {
        map: (err: unknown) => ((err as { constraint: string }).constraint.endsWith('_email') ? 'DEVICE_NOT_FOUND' : undefined) as never,
      },
      () => {
        throw new Error('duplicate key value violates unique constraint');
      },
    );
    for (const res of responses) expectXlinkError(res, 'SERVER_EXCEPTION');
    expect(stderr).toMatch(/map\(\) failed/);
    expect(stderr).toMatch(/TypeError: Cannot read properties of undefined \(reading 'endsWith'\)/);
    expect(stderr).toContain('duplicate key value violates unique constraint');
  });
});

describe('Fastify 5 in a real stack', () => {
  /** @fastify/cors and a request id before the routes; the plugin on the instance. */
  async function stackApp(routes: (app: FastifyInstance) => void, options: XlinkFastifyOptions = { onError: () => {} }): Promise<FastifyInstance> {
    const app = Fastify();
    await app.register(fastifyCors, { origin: APP_ORIGIN, exposedHeaders: ['X-Request-Id'] });
    app.addHook('onRequest', async (_req, reply) => {
      reply.header('X-Request-Id', 'req-42');
    });
    await app.register(xlinkErrors, options);
    app.get('/health', async () => 'ok');
    routes(app);
    await app.listen({ port: 0, host: '127.0.0.1' });
    return app;
  }

  test("an undici ResponseStatusCodeError: the envelope, the app's CORS and request id, none of the upstream's headers", async () => {
    const app = await stackApp((a) => a.get('/device', () => callUpstream()));
    try {
      const res = await request(app.server).get('/device').set('Origin', APP_ORIGIN);
      expectXlinkError(res, 'URL_NOT_FOUND');
      expectNoUpstreamLeak(res.headers);
      expect(res.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
      expect(res.headers['x-request-id']).toBe('req-42');
      expect(res.headers['www-authenticate']).toBe('Basic realm="upstream"');
      expect(res.headers['retry-after']).toBe('30');
      expect((await request(app.server).get('/health')).text).toBe('ok');
    } finally {
      await app.close();
    }
  });

  test("body-describing headers the route set go, on reply or on reply.raw; a 503 is no-store whatever the route's Cache-Control said", async () => {
    const app = await stackApp((a) =>
      a.get('/report', async (_req, reply) => {
        reply.header('Cache-Control', 'public, max-age=86400');
        reply.header('Content-Encoding', 'gzip');
        reply.raw.setHeader('Content-Disposition', 'attachment; filename="r.csv"');
        reply.header('Trailer', 'Expires');
        throw new Error('db down');
      }),
    );
    try {
      for (const method of ['get', 'head'] as const) {
        const res = await request(app.server)[method]('/report');
        expect(res.status).toBe(503);
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.headers['content-encoding']).toBeUndefined();
        expect(res.headers['content-disposition']).toBeUndefined();
        expect(res.headers.trailer).toBeUndefined();
        expect(res.headers['x-request-id']).toBe('req-42');
      }
    } finally {
      await app.close();
    }
  });

  test("a 4xx keeps the route's Cache-Control", async () => {
    const app = await stackApp((a) =>
      a.get('/cached', async (_req, reply) => {
        reply.header('Cache-Control', 'private, max-age=60');
        throw xlinkError('DEVICE_NOT_FOUND');
      }),
    );
    try {
      expect((await request(app.server).get('/cached')).headers['cache-control']).toBe('private, max-age=60');
    } finally {
      await app.close();
    }
  });

  test("the status line's text is the status sent, whatever the route left in reply.raw.statusMessage", async () => {
    const app = await stackApp((a) =>
      a.get('/teapot', async (_req, reply) => {
        reply.raw.statusMessage = "I'm a teapot";
        throw xlinkError('DEVICE_NOT_FOUND');
      }),
    );
    try {
      const res = await rawGet(app.server, '/teapot');
      expect([res.status, res.reason]).toEqual([404, 'Not Found']);
    } finally {
      await app.close();
    }
  });

  test('http-errors with headers: allow-listed ones travel, never over the app’s own, the rest are dropped', async () => {
    const app = await stackApp((a) =>
      a.get('/h', async () => {
        throw createError(401, { headers: { 'WWW-Authenticate': 'Bearer', 'Access-Control-Allow-Origin': '*', 'Set-Cookie': 'x=1', Location: '/login' } });
      }),
    );
    try {
      const res = await request(app.server).get('/h').set('Origin', APP_ORIGIN);
      expectXlinkError(res, 'ACCESS_DENIED');
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.headers.location).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  test('hooks are contained: an onError whose promise rejects and a map that returns a promise change nothing but the answer, no unhandled rejection', async () => {
    const stderr = spyStderr();
    const app = await stackApp(
      (a) =>
        a.get('/fail', async () => {
          throw createError(404);
        }),
      {
        map: (async () => 'DEVICE_NOT_FOUND') as never,
        onError: (async () => {
          throw new Error('log shipper down');
        }) as never,
      },
    );
    try {
      const caught = await withProcessWatch(async () => {
        for (let i = 0; i < 2; i++) expectXlinkError(await request(app.server).get('/fail'), 'SERVER_EXCEPTION');
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect((await request(app.server).get('/health')).text).toBe('ok');
      });
      expect(caught).toEqual([]);
      expect(stderr.lines()).toMatch(/map\(\) returned a promise; map must be synchronous/);
      expect(stderr.lines()).toContain('log shipper down');
    } finally {
      stderr.restore();
      await app.close();
    }
  });
});
