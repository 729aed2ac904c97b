/**
 * relayXlinkError: a gateway (Express, Koa, Fastify) that calls an Xlink server through the
 * client answers its own client with the upstream's code and message: the example server's
 * 404 4041008 stays 404 4041008 (the default mapping would say 404 4041001 "URL not found"),
 * and every catalog entry an upstream sends comes through as itself.
 */
import type { RequestListener } from 'node:http';
import Router from '@koa/router';
import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import request from 'supertest';
import { XLINK_ERRORS, isXlinkError, xlinkError, xlinkErrorHandler, type XlinkErrorMapper, type XlinkErrorName, type XlinkHandlerOptions } from 'xlink-errors';
import { createXlinkClient, relayXlinkError, XlinkResponseError, type XlinkClient } from 'xlink-errors/client';
import xlinkErrors from 'xlink-errors/fastify';
import { xlinkErrorHandler as koaHandler } from 'xlink-errors/koa';
import { expectXlinkError } from 'xlink-errors/testing';
import { createExpressApp } from '../examples/express/app';
import { XlinkService } from '../examples/domain/service';
import { DEMO_CORP_ID, DEMO_PRODUCT_ID, DEMO_USER, seededStore } from '../examples/domain/store';
import { appErrors } from './helpers/app-errors';
import { expectedBody, names } from './helpers/expected';
import { listen, type Listening } from './client-listen';

/** A route of the gateway: calls the upstream through `client`, answers with its JSON. */
type Call = (client: XlinkClient, params: Record<string, string>) => Promise<unknown>;

/** The same gateway on each framework: GET /device/:id and GET /errors/:key, each one upstream call. */
const gateways: [string, (client: () => XlinkClient, options: XlinkHandlerOptions<never>) => Promise<RequestListener>][] = [
  [
    'Express',
    async (client, options) => {
      const app = express();
      for (const [path, call] of routes) app.get(path, async (req, res, next) => call(client(), req.params as Record<string, string>).then((body) => res.json(body), next));
      app.use(xlinkErrorHandler(options as XlinkHandlerOptions<express.Request>));
      return app;
    },
  ],
  [
    'Koa',
    async (client, options) => {
      const app = new Koa();
      app.silent = true;
      app.use(koaHandler(options as XlinkHandlerOptions<never>));
      const router = new Router();
      for (const [path, call] of routes) router.get(path, async (ctx) => void (ctx.body = await call(client(), ctx.params)));
      app.use(router.routes());
      return app.callback();
    },
  ],
  [
    'Fastify',
    async (client, options) => {
      const app = Fastify();
      await app.register(xlinkErrors, options as never);
      for (const [path, call] of routes) app.get(path, async (req) => call(client(), req.params as Record<string, string>));
      await app.ready();
      return (req, res) => app.routing(req, res);
    },
  ],
];

const routes: [string, Call][] = [
  ['/device/:id', (client, { id }) => client.request('GET', `/v2/product/${DEMO_PRODUCT_ID}/device/${id}/property`)],
  ['/errors/:key', (client, { key }) => client.request('GET', `/errors/${key}`)],
  ['/html', (client) => client.request('GET', '/html')],
  ['/errors/:key/:msg', (client, { key, msg }) => client.request('GET', `/errors/${key}`, { query: { msg } })],
];

let example: Listening;
let upstream: Listening;
let token: string;
beforeAll(async () => {
  example = await listen(createExpressApp(new XlinkService(seededStore(), { send: () => {} }), { onError: () => {} }));
  const session = await createXlinkClient({ baseUrl: example.url }).request<{ access_token: string }>('POST', '/v2/user_auth', {
    json: { corp_id: DEMO_CORP_ID, email: DEMO_USER.email, password: DEMO_USER.password },
  });
  token = session.access_token;
  // An upstream that answers any entry, with its own message when asked (?msg=).
  const app = express();
  app.get('/errors/:key', (req) => {
    throw xlinkError(req.params.key as XlinkErrorName, typeof req.query.msg === 'string' ? { msg: req.query.msg } : undefined);
  });
  app.get('/html', (_req, res) => void res.status(502).type('html').send('<html>Bad Gateway</html>'));
  app.use(xlinkErrorHandler({ locale: 'auto', onError: () => {} }));
  upstream = await listen(app);
});
afterAll(async () => {
  await example.close();
  await upstream.close();
});

describe.each(gateways)('a %s gateway with map: relayXlinkError', (_name, make) => {
  let toExample: RequestListener;
  let toUpstream: RequestListener;
  let withoutRelay: RequestListener;
  const logged: unknown[] = [];
  beforeAll(async () => {
    const options = { map: relayXlinkError, onError: (err: unknown) => void logged.push(err) };
    toExample = await make(() => createXlinkClient({ baseUrl: example.url, accessToken: token }), options);
    toUpstream = await make(() => createXlinkClient({ baseUrl: upstream.url }), { ...options, locale: 'auto' } as never);
    withoutRelay = await make(() => createXlinkClient({ baseUrl: example.url, accessToken: token }), { onError: () => {} });
  });

  test('the example’s 404 4041008 is relayed as 404 4041008, byte for byte', async () => {
    const res = await request(toExample).get('/device/99999');
    expect([res.status, res.text]).toEqual([404, expectedBody('DEVICE_NOT_FOUND')]);
    expectXlinkError(res, 'DEVICE_NOT_FOUND');
  });

  test('without it, the default mapping says 404 4041001 URL not found (what relayXlinkError is for)', async () => {
    expectXlinkError(await request(withoutRelay).get('/device/99999'), 'URL_NOT_FOUND');
  });

  test('a success passes through', async () => {
    const res = await request(toExample).get('/device/3001');
    expect(res.status).toBe(200);
  });

  test('every catalog entry and defined code an upstream sends is relayed as itself; the upstream error is the cause', async () => {
    for (const name of [...names, ...(Object.keys(appErrors) as XlinkErrorName[])]) {
      logged.splice(0);
      const res = await request(toUpstream).get(`/errors/${name}`);
      expectXlinkError(res, name);
      expect(logged).toHaveLength(1);
      expect(logged[0]).toBeInstanceOf(XlinkResponseError);
    }
  });

  test('the upstream’s own message is kept; a catalog one follows this server’s language', async () => {
    expectXlinkError(await request(toUpstream).get('/errors/ACCESS_DENIED/Device%20is%20offline'), 'ACCESS_DENIED', { msg: 'Device is offline' });
    // The upstream answers in English (no Accept-Language reaches it); this server's client asked for Chinese.
    const res = await request(toUpstream).get('/errors/DEVICE_NOT_FOUND').set('Accept-Language', 'zh-CN');
    expect([res.status, res.text]).toEqual([404, '{"error":{"code":4041008,"msg":"设备不存在"}}']);
  });

  test('an upstream 503 stays 503 Server exception; an answer that is not an envelope falls to the default mapping', async () => {
    const res = await request(toUpstream).get('/errors/SERVER_EXCEPTION/db%20password%20hunter2');
    expect([res.status, res.text]).toEqual([503, expectedBody('SERVER_EXCEPTION')]);
    logged.splice(0);
    const html = await request(toUpstream).get('/html');
    expect([html.status, html.text]).toEqual([503, expectedBody('SERVER_EXCEPTION')]);
    expect((logged[0] as XlinkResponseError).message).toBe('502 Bad Gateway: not an Xlink error envelope: text that is not JSON (text/html; charset=utf-8, 24 characters): "<html>Bad Gateway</html>"');
  });
});

describe('relayXlinkError by itself', () => {
  const envelope = (code: number, msg: string, status = Math.floor(code / 10000)) => new XlinkResponseError({ status, body: { error: { code, msg } } });

  test('a known code: the same XlinkError, code, status and message, the upstream error as cause', () => {
    const upstreamErr = envelope(4041008, 'Device does not exist');
    const relayed = relayXlinkError(upstreamErr)!;
    expect(isXlinkError(relayed)).toBe(true);
    expect([relayed.status, relayed.code, relayed.errorName, relayed.message, relayed.cause]).toEqual([404, 4041008, 'DEVICE_NOT_FOUND', 'Device does not exist', upstreamErr]);
  });

  test('the status follows the code, not the upstream’s status line', () => {
    expect(relayXlinkError(envelope(4041008, 'Device does not exist', 500))?.status).toBe(404);
  });

  test.each([
    ['an upstream envelope with an unknown code', envelope(4099999, 'x', 409)],
    ['an upstream answer that is no envelope', new XlinkResponseError({ status: 502, body: '<html></html>' })],
    ['an XlinkError of this server', xlinkError('DEVICE_NOT_FOUND')],
    ['a plain Error with an Xlink code', Object.assign(new Error('x'), { code: 4041008, status: 404 })],
    ['a look-alike object', { status: 404, code: 4041008, errorName: 'DEVICE_NOT_FOUND', msg: 'x' }],
    ['undefined', undefined],
    ['a string', 'DEVICE_NOT_FOUND'],
  ])('%s: undefined, for the default mapping', (_t, value) => {
    expect(relayXlinkError(value)).toBeUndefined();
  });

  test('a 503 of the upstream: its message never becomes this server’s', () => {
    const relayed = relayXlinkError(envelope(5031001, 'Server exception'))!;
    expect([relayed.status, relayed.toJSON()]).toEqual([503, { error: { code: 5031001, msg: XLINK_ERRORS.SERVER_EXCEPTION.msg } }]);
  });

  test('used beside a mapping of its own', () => {
    const mine: XlinkErrorMapper = (err) => (err instanceof RangeError ? 'PARAM_VERIFICATION_FAILED' : undefined);
    const map: XlinkErrorMapper = (err) => relayXlinkError(err) ?? mine(err);
    expect(map(new RangeError('x'))).toBe('PARAM_VERIFICATION_FAILED');
    expect((map(envelope(4031003, 'Invalid Access-Token')) as { code: number }).code).toBe(4031003);
  });
});
