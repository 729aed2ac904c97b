/**
 * Every catalog entry (and the codes a user defines) and every row of the default mapping, as
 * Express, Koa and Fastify servers of this package answer them over a socket, in both code
 * formats, read back by the client three ways: client.request(), parseXlinkError(response) and
 * parseXlinkError({ status, body }). Then answers that are not envelopes, from a raw server.
 */
import { createServer, type RequestListener } from 'node:http';
import Router from '@koa/router';
import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import request from 'supertest';
import { XLINK_ERRORS, xlinkError, xlinkErrorHandler, type XlinkCodeFormat, type XlinkErrorName } from 'xlink-errors';
import { createXlinkClient, isXlinkResponseError, parseXlinkError, type XlinkResponseError } from 'xlink-errors/client';
import xlinkErrors from 'xlink-errors/fastify';
import { xlinkErrorHandler as koaHandler } from 'xlink-errors/koa';
import { appErrors } from './helpers/app-errors';
import { mappingRows } from './helpers/mapping-rows';
import { listen, type Listening } from './client-listen';

type Entry = { readonly name: XlinkErrorName; readonly code: number; readonly status: number; readonly msg: string };
const entries: Entry[] = [
  ...Object.entries(XLINK_ERRORS).map(([name, e]) => ({ name: name as XlinkErrorName, ...e })),
  ...Object.entries(appErrors).map(([name, e]) => ({ name: name as XlinkErrorName, ...e })),
];
const quiet = { onError: () => {} };

function expressApp(codeFormat: XlinkCodeFormat): RequestListener {
  const app = express();
  app.get('/errors/:key', (req) => {
    throw xlinkError(req.params.key as XlinkErrorName);
  });
  app.get('/rows/:i', (req) => {
    throw mappingRows[Number(req.params.i)]!.thrown();
  });
  app.use(xlinkErrorHandler({ codeFormat, ...quiet }));
  return app;
}

function koaApp(codeFormat: XlinkCodeFormat): RequestListener {
  const app = new Koa();
  app.silent = true;
  app.use(koaHandler({ codeFormat, ...quiet }));
  const router = new Router();
  router.get('/errors/:key', (ctx) => {
    throw xlinkError(ctx.params.key as XlinkErrorName);
  });
  router.get('/rows/:i', (ctx) => {
    throw mappingRows[Number(ctx.params.i)]!.thrown();
  });
  app.use(router.routes());
  return app.callback();
}

async function fastifyApp(codeFormat: XlinkCodeFormat): Promise<RequestListener> {
  const app = Fastify();
  await app.register(xlinkErrors, { codeFormat, ...quiet });
  app.get<{ Params: { key: string } }>('/errors/:key', async (req) => {
    throw xlinkError(req.params.key as XlinkErrorName);
  });
  app.get<{ Params: { i: string } }>('/rows/:i', async (req) => {
    throw mappingRows[Number(req.params.i)]!.thrown();
  });
  await app.ready();
  return (req, res) => app.routing(req, res);
}

const servers: [string, XlinkCodeFormat, () => RequestListener | Promise<RequestListener>][] = [];
for (const codeFormat of ['number', 'string'] as const) {
  servers.push(['Express', codeFormat, () => expressApp(codeFormat)], ['Koa', codeFormat, () => koaApp(codeFormat)], ['Fastify', codeFormat, () => fastifyApp(codeFormat)]);
}

describe.each(servers)('%s, codeFormat %s', (_name, _codeFormat, make) => {
  let listener: RequestListener;
  let server: Listening;
  beforeAll(async () => {
    listener = await make();
    server = await listen(listener);
  });
  afterAll(() => server.close());

  const expectEntry = (err: unknown, e: Pick<Entry, 'name' | 'code' | 'status' | 'msg'>) => {
    expect(isXlinkResponseError(err)).toBe(true);
    const { status, code, errorName, msg } = err as XlinkResponseError;
    expect({ status, code, errorName, msg }).toEqual({ status: e.status, code: e.code, errorName: e.name, msg: e.msg });
  };

  test.each(entries.map((e) => [e.name, e] as const))('%s: client.request rejects with it', async (_n, e) => {
    const client = createXlinkClient({ baseUrl: server.url });
    expectEntry(await client.request('GET', `/errors/${e.name}`).catch((err: unknown) => err), e);
  });

  test('every entry: parseXlinkError(response) and parseXlinkError({ status, body }) read the same', async () => {
    for (const e of entries) {
      expectEntry(await parseXlinkError(await fetch(`${server.url}/errors/${e.name}`)), e);
      const res = await request(listener).get(`/errors/${e.name}`);
      expectEntry(parseXlinkError({ status: res.status, body: res.body }), e); // parsed JSON
      expectEntry(parseXlinkError({ status: res.status, text: res.text }), e); // the text
      expectEntry(parseXlinkError({ status: res.status, body: new TextEncoder().encode(res.text) }), e); // bytes
    }
  });

  test.each(mappingRows.map((row, i) => [row.title, i, row.expected] as const))('mapping row %s: the client sees its entry', async (_t, i, expected) => {
    const { code, status, msg } = XLINK_ERRORS[expected as keyof typeof XLINK_ERRORS];
    expectEntry(await createXlinkClient({ baseUrl: server.url }).request('GET', `/rows/${i}`).catch((err: unknown) => err), { name: expected, code, status, msg });
  });
});

describe('answers that are not envelopes: an XlinkResponseError with code undefined that says what came back, never a SyntaxError', () => {
  let server: Listening;
  const big = 'x'.repeat(1024 * 1024);
  const answers: Record<string, [number, Record<string, string>, string | Buffer]> = {
    '/html': [502, { 'Content-Type': 'text/html' }, '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>'],
    '/empty': [503, {}, ''],
    '/spaces': [500, { 'Content-Type': 'application/json' }, '  \n'],
    '/text': [500, { 'Content-Type': 'text/plain' }, 'Internal Server Error'],
    '/not-utf8': [400, { 'Content-Type': 'application/json' }, Buffer.from([0xff, 0xfe, 0x7b, 0x00])],
    '/truncated': [404, { 'Content-Type': 'application/json; charset=utf-8' }, '{"error":{"code":4041008,"msg":"Dev'],
    '/json': [404, { 'Content-Type': 'application/json' }, '{"message":"Not Found","statusCode":404}'],
    '/array': [400, { 'Content-Type': 'application/json' }, '[1,2]'],
    '/null': [400, { 'Content-Type': 'application/json' }, 'null'],
    '/code-not-7-digits': [400, { 'Content-Type': 'application/json' }, '{"error":{"code":400,"msg":"Bad"}}'],
    '/msg-not-string': [400, { 'Content-Type': 'application/json' }, '{"error":{"code":4001001,"msg":42}}'],
    '/big': [500, { 'Content-Type': 'text/html' }, big],
    '/big-chunked': [500, { 'Content-Type': 'text/html', 'Transfer-Encoding': 'chunked' }, big],
    '/ok-html': [200, { 'Content-Type': 'text/html' }, '<html>captive portal</html>'],
    '/redirect': [302, { Location: '/nowhere-else', 'Content-Type': 'text/plain' }, 'Found'],
  };
  beforeAll(async () => {
    server = await listen((req, res) => {
      const [status, headers, body] = answers[req.url!]!;
      const chunked = headers['Transfer-Encoding'] !== undefined;
      res.writeHead(status, chunked ? headers : { ...headers, 'Content-Length': String(Buffer.byteLength(body)) });
      if (chunked) {
        // written in pieces, so a reader that stops early is seen to stop
        for (let i = 0; i < body.length; i += 16384) res.write(body.slice(i, i + 16384));
        res.end();
      } else res.end(body);
    });
  });
  afterAll(() => server.close());

  const client = () => createXlinkClient({ baseUrl: server.url, fetch: (url, init) => fetch(url, { ...init, redirect: 'manual' }) });

  test.each([
    ['/html', 502, 'text that is not JSON (text/html, 74 characters): "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"', '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>'],
    ['/empty', 503, 'an empty body (no Content-Type)', undefined],
    ['/spaces', 500, 'an empty body (application/json)', undefined],
    ['/text', 500, 'text that is not JSON (text/plain, 21 characters): "Internal Server Error"', 'Internal Server Error'],
    ['/not-utf8', 400, '4 bytes that are not UTF-8 text (application/json)', undefined],
    ['/truncated', 404, 'text that is not JSON (application/json; charset=utf-8, 35 characters): "{\\"error\\":{\\"code\\":4041008,\\"msg\\":\\"Dev"', '{"error":{"code":4041008,"msg":"Dev'],
    ['/json', 404, 'JSON without an error envelope (application/json): "{\\"message\\":\\"Not Found\\",\\"statusCode\\":404}"', { message: 'Not Found', statusCode: 404 }],
    ['/array', 400, 'JSON without an error envelope (application/json): "[1,2]"', [1, 2]],
    ['/null', 400, 'JSON without an error envelope (application/json): "null"', null],
    ['/code-not-7-digits', 400, 'JSON without an error envelope (application/json): "{\\"error\\":{\\"code\\":400,\\"msg\\":\\"Bad\\"}}"', { error: { code: 400, msg: 'Bad' } }],
    ['/msg-not-string', 400, 'JSON without an error envelope (application/json): "{\\"error\\":{\\"code\\":4001001,\\"msg\\":42}}"', { error: { code: 4001001, msg: 42 } }],
    ['/big', 500, 'a body of more than 65536 bytes (text/html), not read further', undefined],
    ['/big-chunked', 500, 'a body of more than 65536 bytes (text/html), not read further', undefined],
    ['/redirect', 302, 'text that is not JSON (text/plain, 5 characters): "Found"', 'Found'],
  ])('%s', async (path, status, what, body) => {
    for (const err of [await client().request('GET', path).catch((e: unknown) => e), await parseXlinkError(await fetch(`${server.url}${path}`, { redirect: 'manual' }))]) {
      expect(isXlinkResponseError(err)).toBe(true);
      const e = err as XlinkResponseError;
      expect([e.status, e.code, e.errorName, e.msg, e.body]).toEqual([status, undefined, undefined, undefined, body]);
      expect(e.message).toMatch(/^\d{3}( [A-Za-z ]+)?: not an Xlink error envelope: /);
      expect(e.message.slice(e.message.indexOf('envelope: ') + 10)).toBe(what);
    }
  });

  test('a 200 whose body is not JSON (a captive portal): an XlinkResponseError with status 200, not a SyntaxError', async () => {
    const err = (await client().request('GET', '/ok-html').catch((e: unknown) => e)) as XlinkResponseError;
    expect(isXlinkResponseError(err)).toBe(true);
    expect([err.status, err.code, err.body]).toEqual([200, undefined, '<html>captive portal</html>']);
    expect(err.message).toBe('200 OK: not an Xlink error envelope: text that is not JSON (text/html, 27 characters): "<html>captive portal</html>"');
    expect(err.cause).toBeInstanceOf(SyntaxError);
    await expect(parseXlinkError(await fetch(`${server.url}/ok-html`))).resolves.toBeUndefined();
  });

  test('an envelope with a code this client does not know: code undefined, its msg kept', () => {
    const err = parseXlinkError({ status: 409, body: { error: { code: 4099999, msg: 'Device is on fire' } } })!;
    expect([err.status, err.code, err.errorName, err.msg]).toEqual([409, undefined, undefined, 'Device is on fire']);
    expect(err.message).toBe('409: Xlink code 4099999, which this client does not know (defineXlinkErrors() teaches it): Device is on fire');
  });

  test('the string form of a code, and keys beside code and msg, are read', () => {
    expect(parseXlinkError({ status: 404, body: { error: { code: '4041008', msg: 'Device does not exist', detail: 'x' }, request_id: 'r1' } })?.errorName).toBe('DEVICE_NOT_FOUND');
    expect(parseXlinkError({ status: 404, body: { error: { code: '04041008', msg: 'x' } } })?.code).toBeUndefined();
  });

  test('a success is undefined; a used body, a bad status or a non-object is a TypeError that says so', async () => {
    expect(parseXlinkError({ status: 200, body: 'anything' })).toBeUndefined();
    expect(parseXlinkError({ status: 204 })).toBeUndefined();
    const res = await fetch(`${server.url}/json`);
    await res.text();
    await expect(parseXlinkError(res)).rejects.toThrow(new TypeError('parseXlinkError: the response body was already read; pass a clone (response.clone()) or { status, body }'));
    expect(() => parseXlinkError({ status: '404' } as never)).toThrow(new TypeError('parseXlinkError: status must be an HTTP status (an integer), got "404"'));
    expect(() => parseXlinkError(null as never)).toThrow(new TypeError('parseXlinkError: expected a Response or { status, body }, got null'));
  });

  test('getters that throw and Proxies never make parseXlinkError throw', () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('trap'); }, ownKeys: () => { throw new Error('trap'); } });
    expect(parseXlinkError({ status: 500, body: hostile })?.code).toBeUndefined();
    expect(parseXlinkError({ status: 500, body: { error: hostile } })?.code).toBeUndefined();
    expect(isXlinkResponseError(hostile)).toBe(false);
  });

  test('a server that closes the connection mid-answer: fetch’s own error, not an XlinkResponseError', async () => {
    const broken = createServer((_req, res) => {
      res.writeHead(500, { 'Content-Length': '100' });
      res.write('{"error":', () => setImmediate(() => res.destroy())); // the head and a piece are out: reading the body fails
    });
    const b = await listen((req, res) => broken.emit('request', req, res));
    try {
      const err = await createXlinkClient({ baseUrl: b.url }).request('GET', '/').catch((e: unknown) => e);
      expect(isXlinkResponseError(err)).toBe(false);
      expect([(err as Error).name, (err as Error).message]).toEqual(['TypeError', 'terminated']); // undici's, from Node's realm
    } finally {
      await b.close();
    }
  });
});
