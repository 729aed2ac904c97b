/**
 * checkXlinkContract against APIs that keep the contract: the example apps (Express and Koa,
 * routes from a list and from an OpenAPI 3.0 and 3.1 document), the adapters' apps (Express,
 * Koa, Fastify) throwing every catalog entry and every mapping row, a `{ fetch }` handler and a
 * base URL; the matcher's messages; the TypeErrors of bad arguments.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import { XLINK_ERRORS, xlinkError, xlinkErrorHandler, xlinkNotFound, xlinkOpenApiComponents, type XlinkErrorName } from 'xlink-errors';
import xlinkErrors, { xlinkFrameworkErrors } from 'xlink-errors/fastify';
import { xlinkErrorHandler as koaErrorHandler } from 'xlink-errors/koa';
import { checkXlinkContract, xlinkMatchers, type XlinkContractReport } from 'xlink-errors/testing';
import { createExpressApp } from '../examples/express/app';
import { createKoaApp } from '../examples/koa/app';
import { routes as exampleRoutes } from '../examples/domain/routes';
import { XlinkService } from '../examples/domain/service';
import { seededStore } from '../examples/domain/store';
import { names } from './helpers/expected';
import { mappingRows } from './helpers/mapping-rows';

expect.extend(xlinkMatchers);

const quiet = { onError: () => {} };
const service = () => new XlinkService(seededStore(Date.now));
const exampleList = exampleRoutes.map((r) => `${r.method.toUpperCase()} ${r.path}`);

/** The example's route table as an OpenAPI document, the way a user would write one (`xlinkOpenApiComponents()` for the errors). */
function exampleOpenApi(version: '3.0.3' | '3.1.0') {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of exampleRoutes) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    const params = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ in: 'path', name, required: true, schema: { type: 'string', example: name === 'key' ? 'color' : '1002' } }));
    (paths[path] ??= {})[route.method] = {
      ...(params.length > 0 ? { parameters: params } : {}),
      ...(route.schemas?.body ? { requestBody: { content: { 'application/json': { schema: route.schemas.body } } } } : {}),
      responses: { 200: { description: 'OK' }, 400: { $ref: '#/components/responses/XlinkBadRequest' } },
    };
  }
  return { openapi: version, info: { title: 'Xlink example', version: '1' }, paths, components: xlinkOpenApiComponents() };
}

const examples = [
  ['Express', () => createExpressApp(service(), quiet)],
  ['Koa', () => createKoaApp(service(), quiet)],
] as const;

describe.each(examples)('the example API on %s', (_name, makeApp) => {
  test('its routes as a list: every answer keeps the contract', async () => {
    const report = await checkXlinkContract(makeApp(), { routes: exampleList });
    expect(report).toKeepXlinkContract();
    expect(report.routes).toHaveLength(exampleRoutes.length);
    // Every probe the routes call for, and the liveness request after them (an oversized body met
    // by a reset is asked again with its headers alone: so at least that many).
    expect(report.requests).toBeGreaterThanOrEqual(report.results.length + 1);
    expect(report.skipped).toBe(0);
    expect(new Set(report.results.map((r) => r.probe))).toEqual(
      new Set(['no-access-token', 'empty-access-token', 'garbage-access-token', 'malformed-json', 'json-not-object', 'wrong-types', 'oversized-body', 'wrong-path-params', 'accept-language-zh', 'head', 'unlisted-method', 'unknown-path', 'unknown-path-head', 'unknown-path-post', 'malformed-percent-encoding', 'long-url']),
    );
    // The probes reach the app's own errors, not only its 404s.
    const statuses = new Set(report.results.map((r) => r.status));
    expect([...statuses].sort()).toEqual([400, 403, 404]);
  }, 30_000);

  test.each(['3.0.3', '3.1.0'] as const)('its routes from an OpenAPI %s document: the same', async (version) => {
    const report = await checkXlinkContract(makeApp(), { openapi: exampleOpenApi(version), maxRequests: 120 });
    expect(report).toKeepXlinkContract();
    expect(report.routes).toEqual(exampleList.map((r) => r.replace(/:(\w+)/g, '{$1}')));
    expect(report.skipped).toBeGreaterThan(0);
    expect(report.requests).toBe(121); // the budget, then one liveness request
    expect(report.results.length).toBeLessThanOrEqual(120); // (a probe asked twice counts twice)
    // wrong-types probes send a wrong type for each field the schema names.
    const login = report.results.find((r) => r.route === 'POST /v2/user_auth' && r.probe === 'wrong-types');
    expect(JSON.parse(login!.request.body!)).toEqual({ corp_id: 12345, email: 12345, phone: 12345, phone_zone: 12345, password: 12345, resource: [{}] });
  }, 30_000);
});

/** Routes that throw each catalog entry and each mapping row, as concrete paths. */
const thrownRoutes = [...names.map((name) => `GET /errors/${name}`), ...mappingRows.map((_, i) => `GET /rows/${i}`)];
const thrownOf = (path: string): unknown => {
  const [, kind, key] = path.split('/');
  return kind === 'errors' ? xlinkError(key as XlinkErrorName) : mappingRows[Number(key)]?.thrown();
};

const koaEmitted: unknown[] = [];

const adapters = [
  [
    'Express',
    async () => {
      const app = express();
      app.get(/^\/(errors|rows)\//, (req) => {
        throw thrownOf(req.path);
      });
      app.use(xlinkNotFound());
      app.use(xlinkErrorHandler(quiet));
      return app;
    },
  ],
  [
    'Koa',
    async () => {
      const app = new Koa();
      app.on('error', (err: unknown) => void koaEmitted.push(err)); // Koa's own report of each 503, asserted below
      app.use(koaErrorHandler(quiet));
      const router = new Router();
      router.get(/^\/(errors|rows)\//, (ctx) => {
        throw thrownOf(ctx.path);
      });
      app.use(router.routes());
      return app;
    },
  ],
  [
    'Fastify',
    async () => {
      // frameworkErrors too, as the adapter's docs say: without it Fastify answers a malformed URL itself (test/conformance-broken).
      const app = Fastify({ frameworkErrors: xlinkFrameworkErrors(quiet) });
      await app.register(xlinkErrors, quiet);
      app.get('/errors/:key', async (req) => {
        throw thrownOf(req.url);
      });
      app.get('/rows/:key', async (req) => {
        throw thrownOf(req.url);
      });
      return app;
    },
  ],
] as const;

describe.each(adapters)('the %s adapter', (name, makeApp) => {
  test('every catalog entry and every mapping row thrown by a route keeps the contract', async () => {
    const report = await checkXlinkContract(await makeApp(), { routes: thrownRoutes, concurrency: 4 });
    expect(report).toKeepXlinkContract();
    const noToken = report.results.filter((r) => r.probe === 'no-access-token');
    expect(noToken.map((r) => r.status)).toEqual([...names.map((n) => XLINK_ERRORS[n].status), ...mappingRows.map((r) => (XLINK_ERRORS as Record<string, { status: number }>)[r.expected]!.status)]);
    if (name === 'Koa') {
      expect(koaEmitted.length).toBe(report.results.filter((r) => r.status === 503).length); // one report per 503 answered (HEAD included)
    }
  }, 30_000);
});

test('a { fetch } handler that answers the envelope keeps the contract', async () => {
  const { code, msg } = XLINK_ERRORS.URL_NOT_FOUND;
  const app = {
    fetch: (request: Request) =>
      new Response(request.method === 'HEAD' ? null : JSON.stringify({ error: { code, msg } }), { status: 404, headers: { 'Content-Type': 'application/json; charset=utf-8' } }),
  };
  const report = await checkXlinkContract(app, { routes: ['POST /v2/user_auth', 'GET /v2/device/{id}'] });
  expect(report).toKeepXlinkContract();
  expect(report.results.every((r) => r.status === 404)).toBe(true);
});

describe('a base URL', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer(createExpressApp(service(), quiet));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('a running server is probed where it is, and still answers afterwards', async () => {
    const report = await checkXlinkContract(base, { routes: ['POST /v2/user_auth', 'GET /v2/user/{user_id}'] });
    expect(report).toKeepXlinkContract();
    expect(server.listening).toBe(true);
  });

  test('a base URL with a path: the probes go under it', async () => {
    const report = await checkXlinkContract(`${base}/v2`, { routes: ['GET /user/{user_id}'] });
    expect(report).toKeepXlinkContract();
    expect(report.results.find((r) => r.probe === 'no-access-token')!.status).toBe(403);
  });

  test('a server that is not there is a failure, not a hang', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const report = await checkXlinkContract(url, { routes: ['GET /v2/user/{user_id}'] });
    expect(report.ok).toBe(false);
    expect(report.failures.map((f) => f.check)).toEqual(['answered', 'server-alive']);
    expect(report.failures[0]!.problem).toMatch(/^no answer: connection refused/);
    expect(report.requests).toBe(2);
  });
});

describe('toKeepXlinkContract', () => {
  const failing: XlinkContractReport = {
    ok: false,
    requests: 8,
    routes: ['GET /v2/device/{id}'],
    skipped: 0,
    results: [],
    failures: Array.from({ length: 7 }, (_, i) => ({
      route: 'GET /v2/device/{id}',
      probe: `probe-${i}`,
      check: 'content-type',
      status: 500,
      headers: { 'content-type': 'text/html' },
      body: '<h1>Internal Server Error</h1>',
      problem: 'Content-Type is "text/html", not "application/json; charset=utf-8"',
      request: { method: 'GET', path: '/v2/device/1', headers: {} },
    })),
  };

  test('a failing report: the message shows the first five failures, counts the rest, and ends with the summary', () => {
    expect(() => expect(failing).toKeepXlinkContract()).toThrow(
      /content-type \(5\)\n {2}GET \/v2\/device\/\{id\} {2}\[probe-0\]\n {4}sent {6}GET \/v2\/device\/1\n {4}received {2}500 {2}text\/html {2}"<h1>Internal Server Error<\/h1>"\n {4}problem {3}Content-Type is "text\/html"[^]*… and 2 more failures\n8 requests, 0 probes of 1 route: 7 failures in 7 probes$/,
    );
  });

  test('.not on a passing report says what passed', () => {
    expect(() => expect({ ...failing, ok: true, failures: [] }).not.toKeepXlinkContract()).toThrow(/Expected the API to break the Xlink contract, but 8 requests/);
  });

  test.each([
    [undefined, /got undefined/],
    [{ ok: true }, /expected the report of checkXlinkContract\(\), got an object|got object/],
    [Promise.resolve(failing), /received a promise; await checkXlinkContract/],
  ])('%p is a TypeError that says what it got', (value, message) => {
    expect(() => expect(value).toKeepXlinkContract()).toThrow(message);
  });
});

describe('bad arguments are TypeErrors that name what is wrong', () => {
  test.each([
    ['http://example.com', {}, /must be on this machine \(127\.0\.0\.1, localhost or \[::1\]\); got example\.com/],
    ['https://127.0.0.1:1', {}, /must be an http: URL, got https:/],
    ['not a url', {}, /"not a url" is not a URL/],
    ['http://127.0.0.1:1/?x=1', {}, /no query or fragment/],
    [42, {}, /must be a base URL, a request listener, a Koa app, a Fastify instance or \{ fetch \}, got (a )?number/],
    [{}, {}, /got an object with none of/],
    ['http://127.0.0.1:1', { routes: ['/v2/device'] }, /a route must be a method and a path, such as "GET \/v2\/device\/\{id\}"; got "\/v2\/device"/],
    ['http://127.0.0.1:1', { routes: 'GET /x' }, /routes must be an array of strings/],
    ['http://127.0.0.1:1', { openapi: { swagger: '2.0' } }, /OpenAPI 3\.0 or 3\.1 document; its "openapi" field is undefined/],
    ['http://127.0.0.1:1', { codes: [4091001, 'x'] }, /codes must be 7-digit codes[^]*got "x"/],
    ['http://127.0.0.1:1', { codes: [2001001] }, /got 2001001/],
    ['http://127.0.0.1:1', { maxRequests: 0 }, /maxRequests must be an integer of at least 1, got 0/],
    ['http://127.0.0.1:1', { timeout: '5s' }, /timeout must be an integer from 1 to 2147483647, got (a )?string/],
    ['http://127.0.0.1:1', { codeFormat: 'text' }, /codeFormat must be 'number' or 'string', got "text"/],
    ['http://127.0.0.1:1', { route: ['GET /x'] }, /unknown option "route"/],
    ['http://127.0.0.1:0', {}, /the target's port must be 1 to 65535, got 0/],
    ['http://127.0.0.1:1', { timeout: 2 ** 31 }, /timeout must be an integer from 1 to 2147483647, got 2147483648/],
  ])('%p with %p', async (target, options, message) => {
    await expect(checkXlinkContract(target as never, options as never)).rejects.toThrow(TypeError);
    await expect(checkXlinkContract(target as never, options as never)).rejects.toThrow(message);
  });
});

test('paths are sent as valid request targets: other characters percent-encoded, never a second header line', async () => {
  const seen: string[] = [];
  const app = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    seen.push(`${req.method} ${req.url} ${req.headers['x-injected'] ?? ''}`);
    res.writeHead(404, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify({ error: { code: 4041001, msg: 'URL not found' } }));
  };
  const openapi = { openapi: '3.1.0', paths: { '/v2/设备/{id}': { get: {} }, '/x\r\nX-Injected: yes\r\n': { get: {} } } };
  const report = await checkXlinkContract(app, { openapi, routes: ['GET /v2/ünï'] });
  expect(report.failures).toEqual([]);
  expect(seen).toContain('GET /v2/%E8%AE%BE%E5%A4%87/1 ');
  expect(seen).toContain('GET /x%0D%0AX-Injected:%20yes%0D%0A ');
  expect(seen).toContain('GET /v2/%C3%BCn%C3%AF ');
  expect(seen.every((line) => line.endsWith(' '))).toBe(true);
});
