import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { validator } from 'hono/validator';
import * as root from 'xlink-errors';
import * as honoEntry from 'xlink-errors/hono';
import { XLINK_ERRORS, isXlinkError, xlinkError, xlinkErrorHandler, xlinkNotFound, xlinkValidator, type XlinkErrorName, type XlinkHonoOptions } from 'xlink-errors/hono';
import { appErrors } from './helpers/app-errors';
import { expectedBody, names, type CatalogName } from './helpers/expected';
import { falsyRows, mappingRows, secret } from './helpers/mapping-rows';
import { fetchWire, serveFetch, wireOf, type Served, type Wire } from './web-serve';

void appErrors; // registers the helper's defined codes
const quiet = { onError: () => {} }; // the catalog's own 503 would be logged

/**
 * How the handler is mounted: as middleware, first (`app.use`); as Hono's error handler
 * (`app.onError`); or both, the same function.
 */
type Mode = 'use' | 'onError' | 'both';

/** A Hono app as users write one: the handler first, routes, xlinkNotFound. */
/** What a route sets before it throws: headers the policy keeps, and ones it must remove. */
function setRouteHeaders(c: Context): void {
  c.header('Vary', 'Origin');
  c.header('Set-Cookie', 'a=1', { append: true });
  c.header('Set-Cookie', 'b=2', { append: true });
  for (const name of ['ETag', 'Last-Modified', 'Content-Disposition', 'Content-Language', 'Content-Encoding', 'Content-Range']) c.header(name, 'x');
  c.header('Cache-Control', 'public, max-age=60');
  c.header('Retry-After', '5');
}

function appFor(options: XlinkHonoOptions = quiet, setup?: (app: Hono) => void, mode: Mode = 'use'): Hono {
  const app = new Hono();
  const handler = xlinkErrorHandler(options);
  if (mode !== 'onError') app.use(handler);
  if (mode !== 'use') app.onError(handler);
  setup?.(app);
  app.get('/errors/:key', (c) => {
    throw xlinkError(c.req.param('key') as XlinkErrorName);
  });
  app.all('/rows/:index', async (c) => {
    throw mappingRows[Number(c.req.param('index'))]!.thrown();
  });
  app.get('/sync/:index', (c) => {
    throw mappingRows[Number(c.req.param('index'))]!.thrown();
  });
  app.get('/falsy/:index', (c) => {
    throw falsyRows[Number(c.req.param('index'))]!.thrown();
  });
  app.post('/json', async (c) => c.json({ body: await c.req.json() }));
  // The same routes behind a middleware: Hono's compose() path (a lone handler skips it).
  app.use('/chain/*', async (_c, next) => {
    await next();
  });
  app.get('/chain/errors/:key', (c) => {
    throw xlinkError(c.req.param('key') as XlinkErrorName);
  });
  app.all('/chain/rows/:index', async (c) => {
    throw mappingRows[Number(c.req.param('index'))]!.thrown();
  });
  app.post('/chain/json', async (c) => c.json({ body: await c.req.json() }));
  app.notFound(xlinkNotFound(options));
  return app;
}

const catchLog = () => jest.spyOn(console, 'error').mockImplementation(() => {});

let served: Served;
beforeAll(async () => {
  served = await serveFetch(appFor().fetch);
});
afterAll(() => served.close());

describe('every catalog entry, on @hono/node-server', () => {
  test.each(names)('%s: status line, JSON type, length and exact body', async (name) => {
    const res = await fetchWire(served, `/errors/${name}`);
    expect(res).toEqual({
      status: XLINK_ERRORS[name].status,
      statusText: expect.any(String),
      headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(expectedBody(name))), ...(XLINK_ERRORS[name].status >= 500 ? { 'cache-control': 'no-store' } : {}) },
      body: expectedBody(name),
    });
    expect(res.statusText).toBe({ 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 503: 'Service Unavailable' }[res.status]);
  });

  test.each(names)("%s with codeFormat: 'string', by its code", async (name) => {
    const res = await appFor({ codeFormat: 'string', ...quiet }).request(`/errors/${XLINK_ERRORS[name].code}`);
    expect([res.status, await res.text()]).toEqual([XLINK_ERRORS[name].status, expectedBody(name, 'string')]);
  });
});

describe('the default mapping', () => {
  test.each(mappingRows.map((row, index) => [row.title, row, index] as const))('%s, from an async route and a sync one', async (_title, row, index) => {
    for (const path of [`/rows/${index}`, `/sync/${index}`]) {
      const res = await fetchWire(served, path);
      expect([res.status, res.body]).toEqual([XLINK_ERRORS[row.expected as CatalogName].status, expectedBody(row.expected as CatalogName)]);
      expect(JSON.stringify(res)).not.toContain(secret);
    }
  });

  test.each(falsyRows.map((row, index) => [row.title, row, index] as const))('thrown %s (Hono rethrows non-errors past onError): 503', async (_title, _row, index) => {
    const res = await fetchWire(served, `/falsy/${index}`);
    expect([res.status, res.body, res.headers['cache-control']]).toEqual([503, expectedBody('SERVER_EXCEPTION'), 'no-store']);
  });

  test.each([
    [400, 'PARAM_VERIFICATION_FAILED'],
    [401, 'ACCESS_DENIED'],
    [403, 'ACCESS_DENIED'],
    [404, 'URL_NOT_FOUND'],
    [413, 'PARAM_VERIFICATION_FAILED'],
    [500, 'SERVER_EXCEPTION'],
    [503, 'SERVER_EXCEPTION'],
  ] as const)('HTTPException(%i) -> %s, whatever response it carries', async (status, expected) => {
    const app = appFor(quiet, (a) =>
      a.get('/http', () => {
        throw new HTTPException(status, { message: secret, res: new Response(secret, { status, headers: { 'X-Secret': secret, 'Content-Type': 'text/plain' } }) });
      }),
    );
    const res = await app.request('/http');
    const text = await res.text();
    expect([res.status, text, res.headers.get('content-type')]).toEqual([XLINK_ERRORS[expected].status, expectedBody(expected), 'application/json; charset=utf-8']);
    expect(JSON.stringify([...res.headers])).not.toContain(secret);
  });

  test('bad JSON read with c.req.json() is 400 4001001, however it is labelled; an empty body too', async () => {
    for (const init of [{ body: '{"a":' }, { body: '{"a":', headers: { 'Content-Type': 'application/json' } }, { body: '' }]) {
      const res = await fetchWire(served, '/json', { method: 'POST', ...init });
      expect([res.status, res.body]).toEqual([400, expectedBody('PARAM_VERIFICATION_FAILED')]);
    }
    expect((await fetchWire(served, '/json', { method: 'POST', body: '{"a":1}' })).body).toBe('{"body":{"a":1}}');
  });

  test("Hono's own validator's bad JSON (an HTTPException 400) is 400 4001001", async () => {
    const app = appFor(quiet, (a) => a.post('/hv', validator('json', (v) => v), (c) => c.json(c.req.valid('json'))));
    const res = await app.request('/hv', { method: 'POST', body: '{', headers: { 'Content-Type': 'application/json' } });
    expect([res.status, await res.text()]).toEqual([400, expectedBody('PARAM_VERIFICATION_FAILED')]);
  });

  test('a JSON.parse of something else than the body that fails stays a 503', async () => {
    const app = appFor(quiet, (a) => a.get('/parse', () => new Response(JSON.parse('{'))));
    expect((await app.request('/parse')).status).toBe(503);
  });

  test('an unknown route: 404 4041001, HEAD too', async () => {
    expect(await fetchWire(served, '/nowhere')).toMatchObject({ status: 404, body: expectedBody('URL_NOT_FOUND') });
    expect(await fetchWire(served, '/nowhere', { method: 'HEAD' })).toMatchObject({ status: 404, body: '', headers: { 'content-length': '48' } });
  });
});

describe('HEAD', () => {
  test.each(['/errors/DEVICE_NOT_FOUND', '/rows/0', '/falsy/0', '/errors/SERVER_EXCEPTION'])('%s: the same status and headers as GET, no body', async (path) => {
    const [get, head] = await Promise.all([fetchWire(served, path), fetchWire(served, path, { method: 'HEAD' })]);
    expect(head).toEqual({ ...get, body: '' });
  });
});

describe('headers', () => {
  const app = appFor(quiet, (a) => {
    a.use('/h/*', cors({ origin: 'https://console.example' }));
    a.get('/h/:key', (c) => {
      c.header('X-Request-Id', 'r1');
      setRouteHeaders(c);
      if (c.req.param('key') === 'nonerror') throw 'x';
      if (c.req.param('key') === 'foreign') throw Object.assign(new Error('no'), { status: 401, headers: { 'Retry-After': '99', 'WWW-Authenticate': 'Token', 'Set-Cookie': 'evil=1' } });
      throw xlinkError(c.req.param('key') as XlinkErrorName, c.req.param('key') === 'ACCESS_DENIED' ? { headers: { 'Retry-After': '30' } } : undefined);
    });
  });
  const get = async (key: string) => {
    const res = await app.request(`/h/${key}`, { headers: { Origin: 'https://console.example' } });
    return { res, headers: Object.fromEntries([...res.headers].filter(([name]) => name !== 'set-cookie')), cookies: res.headers.getSetCookie(), body: await res.text() };
  };

  test('what the app set before the throw stays (CORS, request ids, Vary, cookies); body headers go', async () => {
    const { res, headers, cookies, body } = await get('DEVICE_NOT_FOUND');
    expect([res.status, body]).toEqual([404, expectedBody('DEVICE_NOT_FOUND')]);
    expect(headers).toEqual({
      'access-control-allow-origin': 'https://console.example',
      'x-request-id': 'r1',
      vary: 'Origin',
      'cache-control': 'public, max-age=60',
      'retry-after': '5',
      'content-type': 'application/json; charset=utf-8',
      'content-length': '56',
    });
    expect(cookies).toEqual(['a=1', 'b=2']);
  });

  test('a 5xx is no-store, whatever the route set; a non-error too', async () => {
    for (const key of ['SERVER_EXCEPTION', 'nonerror']) {
      const { res, headers } = await get(key);
      expect([res.status, headers['cache-control'], headers['etag'], headers['x-request-id']]).toEqual([503, 'no-store', undefined, 'r1']);
    }
  });

  test("the error's own headers replace the app's; a foreign error's are allow-listed and yield to the app's", async () => {
    expect((await get('ACCESS_DENIED')).headers['retry-after']).toBe('30');
    const { res, headers, cookies } = await get('foreign');
    expect([res.status, headers['retry-after'], headers['www-authenticate'], cookies]).toEqual([403, '5', 'Token', ['a=1', 'b=2']]);
  });

  test('locale auto: Chinese for a Chinese client, Accept-Language added to Vary', async () => {
    const zh = appFor({ locale: 'auto', ...quiet }, (a) =>
      a.get('/zh', (c) => {
        c.header('Vary', 'Origin');
        throw xlinkError('DEVICE_NOT_FOUND');
      }),
    );
    const res = await zh.request('/zh', { headers: { 'Accept-Language': 'zh-CN,zh;q=0.9' } });
    expect([res.headers.get('vary'), await res.text()]).toEqual(['Origin, Accept-Language', '{"error":{"code":4041008,"msg":"设备不存在"}}']);
    const notFound = await zh.request('/nowhere', { headers: { 'Accept-Language': 'zh' } });
    expect([notFound.headers.get('vary'), await notFound.text()]).toEqual(['Accept-Language', '{"error":{"code":4041001,"msg":"URL找不到"}}']);
  });
});

describe('defined codes', () => {
  test('a defined 4xx by name and code, with its Chinese text; a defined 5xx sends its own message only', async () => {
    const app = appFor({ locale: 'auto', ...quiet }, (a) => {
      a.get('/expired', () => {
        throw xlinkError(4031021);
      });
      a.get('/db', () => {
        throw xlinkError('DATABASE_UNAVAILABLE', { msg: secret });
      });
    });
    const expired = await app.request('/expired', { headers: { 'Accept-Language': 'zh-CN' } });
    expect([expired.status, await expired.text()]).toEqual([403, '{"error":{"code":4031021,"msg":"Access-Token过期"}}']);
    const db = await app.request('/db');
    expect([db.status, db.statusText, db.headers.get('cache-control'), await db.text()]).toEqual([500, 'Internal Server Error', 'no-store', '{"error":{"code":5001001,"msg":"Database unavailable"}}']);
  });

  test('map returning a defined name', async () => {
    const app = appFor({ map: (err) => (err instanceof RangeError ? 'DEVICE_BUSY' : undefined), ...quiet }, (a) =>
      a.get('/busy', () => {
        throw new RangeError('busy');
      }),
    );
    const res = await app.request('/busy');
    expect([res.status, res.statusText, await res.text()]).toEqual([409, 'Conflict', '{"error":{"code":4091001,"msg":"Device is busy"}}']);
  });
});

describe('logging', () => {
  test("a 4xx is never printed by Hono's default error handler, a plain 4xx error included", async () => {
    const log = catchLog();
    try {
      const app = appFor({});
      for (const path of ['/errors/DEVICE_NOT_FOUND', `/rows/0`, '/rows/12', '/nowhere']) expect((await app.request(path)).status).toBeLessThan(500);
      expect(log).not.toHaveBeenCalled();
    } finally {
      log.mockRestore();
    }
  });

  test.each([
    ['an Error', '/rows/17'],
    ['a non-error', '/falsy/0'],
  ])('%s answered 503 is logged once, by the default onError', async (_title, path) => {
    const log = catchLog();
    try {
      const res = await appFor({}).request(path);
      expect(res.status).toBe(503);
      expect(log).toHaveBeenCalledTimes(1);
      expect(log.mock.calls[0]![0]).toBe('xlink-errors: 503 Server exception:');
    } finally {
      log.mockRestore();
    }
  });

  test('onError hears of every error, with the Context, once', async () => {
    const seen: [number, string][] = [];
    const app = appFor({ onError: (_err, x, c: Context) => void seen.push([x.code, c.req.path]) });
    await app.request('/errors/DEVICE_NOT_FOUND');
    await app.request('/falsy/1');
    await app.request('/nowhere');
    expect(seen).toEqual([
      [4041008, '/errors/DEVICE_NOT_FOUND'],
      [5031001, '/falsy/1'],
      [4041001, '/nowhere'],
    ]);
  });

  test('an onError that throws is reported and changes nothing on the wire', async () => {
    const log = catchLog();
    try {
      const app = appFor({
        onError: () => {
          throw new Error('hook broke');
        },
      });
      const res = await app.request('/errors/DEVICE_NOT_FOUND');
      expect([res.status, await res.text()]).toEqual([404, expectedBody('DEVICE_NOT_FOUND')]);
      expect(log.mock.calls.map((call) => call[0])).toEqual(['xlink-errors: onError hook threw:']);
    } finally {
      log.mockRestore();
    }
  });
});

describe('whatever app.onError the app has', () => {
  test("an app.onError of the app's own is not called: the handler answers, and the middleware between sees the error", async () => {
    const calls: string[] = [];
    const app = appFor(quiet, (a) =>
      a.use(async (_c, next) => {
        try {
          await next();
        } catch (err) {
          calls.push(`middleware saw ${(err as Error).name}`, `c.error is ${(_c.error as Error).name}`);
          throw err;
        }
      }),
    );
    app.onError((_err, c) => {
      calls.push('app.onError');
      return c.text('oops', 500, { ETag: '"e"' });
    });
    const res = await app.request('/errors/DEVICE_NOT_FOUND');
    expect([res.status, res.headers.get('etag'), await res.text()]).toEqual([404, null, expectedBody('DEVICE_NOT_FOUND')]);
    expect(calls).toEqual(['middleware saw XlinkError', 'c.error is XlinkError']);
  });

  test('a sub-app mounted with app.route, with an onError of its own', async () => {
    const sub = new Hono();
    sub.onError((_err, c) => c.text('sub', 500));
    sub.get('/d', () => {
      throw xlinkError('DEVICE_NOT_FOUND');
    });
    const app = appFor(quiet, (a) => a.route('/sub', sub));
    const res = await app.request('/sub/d');
    expect([res.status, await res.text()]).toEqual([404, expectedBody('DEVICE_NOT_FOUND')]);
  });

  test('a success passes through, its headers untouched', async () => {
    const app = appFor(quiet, (a) => a.get('/ok', (c) => c.json({ ok: true }, 200, { ETag: '"1"' })));
    const res = await app.request('/ok');
    expect([res.status, res.headers.get('etag'), await res.text()]).toEqual([200, '"1"', '{"ok":true}']);
  });
});

describe('xlinkValidator', () => {
  const login = {
    type: 'object',
    required: ['corp_id', 'password'],
    properties: { corp_id: { type: 'string' }, password: { type: 'string', minLength: 6 } },
  } as const;
  const app = appFor(quiet, (a) => {
    a.post('/login', xlinkValidator('json', login), async (c) => c.json({ valid: c.req.valid('json'), again: await c.req.json() }));
    a.get('/list', xlinkValidator('query', { type: 'object', properties: { limit: { type: 'integer', default: 20 } } }), (c) => c.json(c.req.valid('query')));
    a.get('/device/:id', xlinkValidator('param', { type: 'object', properties: { id: { type: 'integer' } } }), (c) => c.json(c.req.valid('param')));
    a.get('/me', xlinkValidator('header', { type: 'object', required: ['access-token'] }), (c) => c.json({ ok: c.req.valid('header')['access-token'] }));
    a.post('/form', xlinkValidator('form', { type: 'object', required: ['name'] }), (c) => c.json(c.req.valid('form')));
  });
  const post = (body: string, contentType?: string) => app.request('/login', { method: 'POST', body, headers: contentType === undefined ? {} : { 'Content-Type': contentType } });

  test("'json' reads JSON whatever the Content-Type says; c.req.json() still works after it", async () => {
    for (const type of [undefined, 'application/x-www-form-urlencoded', 'application/json']) {
      const res = await post('{"corp_id":"c","password":"secret1"}', type);
      expect(await res.json()).toEqual({ valid: { corp_id: 'c', password: 'secret1' }, again: { corp_id: 'c', password: 'secret1' } });
    }
  });

  test.each([
    ['a missing field', '{"corp_id":"c"}', 'PARAM_NULL'],
    ['a null field', '{"corp_id":"c","password":null}', 'PARAM_NULL'],
    ['no body', '', 'PARAM_NULL'],
    ['a short password', '{"corp_id":"c","password":"x"}', 'PARAM_VERIFICATION_FAILED'],
    ['bad JSON', '{"corp_id":', 'PARAM_VERIFICATION_FAILED'],
    ['JSON that is not an object', '[1]', 'PARAM_VERIFICATION_FAILED'],
  ] as const)('%s: %s', async (_title, body, expected) => {
    const res = await post(body);
    expect([res.status, await res.text()]).toEqual([XLINK_ERRORS[expected].status, expectedBody(expected)]);
  });

  test('err.validation names the part and the failing rules, never the submitted values', async () => {
    const seen: unknown[] = [];
    const spy = appFor({ onError: (err) => void seen.push(err) }, (a) => a.post('/login', xlinkValidator('json', login), (c) => c.text('ok')));
    await spy.request('/login', { method: 'POST', body: JSON.stringify({ corp_id: 'c', password: 'x' + secret.slice(0, 0) + 'y' }) });
    await spy.request('/login', { method: 'POST', body: JSON.stringify({ corp_id: 7, password: secret }) });
    expect(seen.map((err) => (err as { validation: { part: string } }).validation.part)).toEqual(['body', 'body']);
    expect(JSON.stringify(seen.map((err) => (err as { validation: unknown }).validation))).not.toContain(secret);
  });

  test('query, param and header: coerced to the schema, defaults applied', async () => {
    expect(await (await app.request('/list?limit=5')).json()).toEqual({ limit: 5 });
    expect(await (await app.request('/list')).json()).toEqual({ limit: 20 });
    expect((await app.request('/list?limit=x')).status).toBe(400);
    expect(await (await app.request('/device/42')).json()).toEqual({ id: 42 });
    expect(await (await app.request('/device/abc')).text()).toBe(expectedBody('PARAM_VERIFICATION_FAILED'));
    expect(await (await app.request('/me', { headers: { 'Access-Token': 't' } })).json()).toEqual({ ok: 't' });
    expect(await (await app.request('/me')).text()).toBe(expectedBody('PARAM_NULL'));
  });

  test("'form' reads url-encoded and multipart bodies", async () => {
    const form = new FormData();
    form.set('name', 'n');
    expect(await (await app.request('/form', { method: 'POST', body: form })).json()).toEqual({ name: 'n' });
    expect(await (await app.request('/form', { method: 'POST', body: 'name=n', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })).json()).toEqual({ name: 'n' });
    expect((await app.request('/form', { method: 'POST', body: 'other=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })).status).toBe(400);
  });

  test("'json' bodies over the limit: 400 4001001", async () => {
    const small = appFor(quiet, (a) => a.post('/s', xlinkValidator('json', {}, { limit: 8 }), (c) => c.text('ok')));
    expect(await (await small.request('/s', { method: 'POST', body: '{"a":"0123456789"}' })).text()).toBe(expectedBody('PARAM_VERIFICATION_FAILED'));
    expect(await (await small.request('/s', { method: 'POST', body: '{"a":1}' })).text()).toBe('ok');
  });

  test('a bad target or schema is refused when the route is made', () => {
    expect(() => xlinkValidator('body' as never, {})).toThrow(new TypeError(`xlinkValidator: unknown target "body"; expected 'json', 'form', 'query', 'param' or 'header'`));
    expect(() => xlinkValidator('json', { type: 'nope' } as never)).toThrow(/invalid body schema/);
    expect(() => xlinkValidator('json', {}, { limit: 1.5 })).toThrow(TypeError);
  });
});

describe('what a route needs, from this entry alone', () => {
  test('the same functions and registry as the root entry, not copies', () => {
    for (const name of ['xlinkError', 'XlinkError', 'isXlinkError', 'toXlinkError', 'defineXlinkErrors', 'XLINK_ERRORS'] as const) expect(honoEntry[name]).toBe(root[name]);
    expect(isXlinkError(root.xlinkError('DEVICE_NOT_FOUND'))).toBe(true);
  });

  test('bad handler options are TypeErrors, when the handler is made', () => {
    expect(() => xlinkErrorHandler({ codeFormat: 'text' as never })).toThrow(/codeFormat must be 'number' or 'string'/);
    expect(() => xlinkNotFound({ map: 1 as never })).toThrow(new TypeError('xlinkErrorHandler: map must be a function'));
  });
});

describe('app.onError(xlinkErrorHandler()): the same function as Hono’s error handler', () => {
  // Over a real socket, each mount beside the middleware's: the same wire, byte for byte.
  const servers: Partial<Record<Mode, Served>> = {};
  beforeAll(async () => {
    servers.onError = await serveFetch(appFor(quiet, undefined, 'onError').fetch);
    servers.both = await serveFetch(appFor(quiet, undefined, 'both').fetch);
  });
  afterAll(async () => {
    await Promise.all(Object.values(servers).map((s) => s.close()));
  });
  const mounts = ['onError', 'both'] as const;
  /** What each mount answers to a request, with the middleware's answer first. */
  const wires = (path: string, init?: RequestInit): Promise<[Wire, Wire, Wire]> => Promise.all([fetchWire(served, path, init), ...mounts.map((mode) => fetchWire(servers[mode]!, path, init))]) as Promise<[Wire, Wire, Wire]>;

  test.each(names)('%s: the same status line, headers and bytes as the middleware, GET and HEAD, lone route and compose() path', async (name) => {
    for (const path of [`/errors/${name}`, `/chain/errors/${name}`]) {
      for (const method of ['GET', 'HEAD']) {
        const [mw, ...others] = await wires(path, { method });
        expect(mw).toMatchObject({ status: XLINK_ERRORS[name].status, body: method === 'HEAD' ? '' : expectedBody(name) });
        for (const other of others) expect(other).toEqual(mw);
      }
    }
  });

  test.each(mappingRows.map((row, index) => [row.title, row, index] as const))('%s: an Error answered as by the middleware; a non-error is not Hono’s error handler’s to see', async (_title, row, index) => {
    const isError = row.thrown() instanceof Error;
    for (const path of [`/rows/${index}`, `/sync/${index}`, `/chain/rows/${index}`]) {
      const [mw, onError, both] = await wires(path);
      expect([mw.status, mw.body]).toEqual([XLINK_ERRORS[row.expected as CatalogName].status, expectedBody(row.expected as CatalogName)]);
      expect(both).toEqual(mw);
      if (isError) expect(onError).toEqual(mw);
      // Hono rethrows it past app.onError; @hono/node-server answers 500, not the envelope.
      else expect([onError.status, onError.body]).toEqual([500, '']);
      expect(JSON.stringify([onError, both])).not.toContain(secret);
    }
  });

  test.each(falsyRows.map((row, index) => [row.title, row, index] as const))('thrown %s: answered by the middleware when both are mounted', async (_title, _row, index) => {
    const [mw, onError, both] = await wires(`/falsy/${index}`);
    expect(both).toEqual(mw);
    expect(onError.status).toBe(500);
  });

  test('bad JSON read with c.req.json() is 400 4001001, lone route and compose() path; good JSON still reads', async () => {
    for (const path of ['/json', '/chain/json']) {
      for (const init of [{ body: '{"a":' }, { body: '{"a":', headers: { 'Content-Type': 'application/json' } }, { body: '' }]) {
        for (const res of await wires(path, { method: 'POST', ...init })) expect([res.status, res.body]).toEqual([400, expectedBody('PARAM_VERIFICATION_FAILED')]);
      }
      for (const res of await wires(path, { method: 'POST', body: '{"a":1}' })) expect(res.body).toBe('{"body":{"a":1}}');
    }
  });

  test.each(['use', 'onError', 'both'] as const)('%s: the body is told apart from any other JSON.parse that fails', async (mode) => {
    const app = appFor(quiet, (a) => {
      a.post('/text', async (c) => c.json(JSON.parse(await c.req.text()))); // the body, parsed by hand: 400
      a.post('/after-bytes', async (c) => (await c.req.arrayBuffer(), c.json(await c.req.json()))); // read again from the cached bytes
      a.post('/other', async (c) => (await c.req.json(), c.json(JSON.parse('{')))); // the body was good: 503
      a.get('/parse', () => new Response(JSON.parse('{')));
    }, mode);
    const post = (path: string, body: string) => app.request(path, { method: 'POST', body });
    expect([(await post('/text', '{')).status, (await post('/after-bytes', '{"a"')).status, (await post('/other', '{"a":1}')).status, (await app.request('/parse')).status]).toEqual([400, 400, 503, 503]);
    expect(await (await post('/after-bytes', '{"a":1}')).json()).toEqual({ a: 1 });
  });

  test('a thrown Proxy whose traps all throw (Hono\'s own `instanceof Error` throws the trap\'s Error): 503 with the middleware', async () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('trap'); }, getPrototypeOf: () => { throw new Error('trap'); }, has: () => { throw new Error('trap'); } });
    for (const mode of ['use', 'both'] as const) {
      const app = appFor(quiet, (a) => a.get('/hostile', () => { throw hostile; }), mode);
      const res = await app.request('/hostile');
      expect([res.status, await res.text()]).toEqual([503, expectedBody('SERVER_EXCEPTION')]);
    }
  });

  test('what the cause of a bad body says: nothing of the body', async () => {
    const seen: unknown[] = [];
    const app = appFor({ onError: (err) => void seen.push(err) }, undefined, 'onError');
    await app.request('/json', { method: 'POST', body: `{"password":"${secret}` });
    expect(seen).toHaveLength(1);
    expect(isXlinkError(seen[0]) && (seen[0] as Error).cause).toEqual(new SyntaxError('xlink-errors: request body is not valid JSON'));
  });

  test.each([401, 404, 413, 503] as const)('HTTPException(%i), whatever response it carries: as the middleware answers it', async (status) => {
    const setup = (a: Hono) =>
      a.get('/http', () => {
        throw new HTTPException(status, { message: secret, res: new Response(secret, { status, headers: { 'X-Secret': secret, 'Content-Type': 'text/plain' } }) });
      });
    const [mw, ...others] = await Promise.all((['use', 'onError', 'both'] as const).map(async (mode) => wireOf(await appFor(quiet, setup, mode).request('/http'))));
    for (const other of others) expect(other).toEqual(mw);
    expect(JSON.stringify(others)).not.toContain(secret);
  });

  describe('headers, by the header policy', () => {
    const setup = (a: Hono) => {
      a.use('/h/*', async (c, next) => {
        c.res.headers.set('X-Request-Id', 'r1'); // before next(), on a c.res Hono merges into what replaces it: kept
        await next();
      });
      a.get('/h/:key', (c) => {
        setRouteHeaders(c);
        if (c.req.param('key') === 'foreign') throw Object.assign(new Error('no'), { status: 401, headers: { 'Retry-After': '99', 'WWW-Authenticate': 'Token', 'Set-Cookie': 'evil=1' } });
        throw xlinkError(c.req.param('key') as XlinkErrorName, c.req.param('key') === 'ACCESS_DENIED' ? { headers: { 'Retry-After': '30' } } : undefined);
      });
      a.get('/lone', (c) => {
        c.header('X-Request-Id', 'r2');
        c.header('ETag', '"e"');
        throw xlinkError('DEVICE_NOT_FOUND');
      });
    };
    const apps = Object.fromEntries((['use', 'onError', 'both'] as const).map((mode) => [mode, appFor({ locale: 'auto', ...quiet }, setup, mode)]));
    const get = async (mode: Mode, path: string, headers?: Record<string, string>) => {
      const res = await apps[mode]!.request(path, { headers });
      return { ...(await wireOf(res)), cookies: res.headers.getSetCookie() };
    };

    test.each(['/h/DEVICE_NOT_FOUND', '/h/SERVER_EXCEPTION', '/h/ACCESS_DENIED', '/h/foreign', '/lone'])('%s: the same headers as the middleware sends, in English and in Chinese', async (path) => {
      for (const headers of [undefined, { 'Accept-Language': 'zh-CN' }]) {
        const mw = await get('use', path, headers);
        expect(await get('onError', path, headers)).toEqual(mw);
        expect(await get('both', path, headers)).toEqual(mw);
      }
      const { headers } = await get('onError', path);
      expect([headers['etag'], headers['content-disposition'], headers['vary']]).toEqual([undefined, undefined, path === '/lone' ? 'Accept-Language' : 'Origin, Accept-Language']);
    });

    test('the values: kept, removed, no-store on a 5xx, the error’s own', async () => {
      const { headers: { 'set-cookie': _joined, ...headers }, cookies } = await get('onError', '/h/DEVICE_NOT_FOUND');
      expect(headers).toEqual({ 'x-request-id': 'r1', vary: 'Origin, Accept-Language', 'cache-control': 'public, max-age=60', 'retry-after': '5', 'content-type': 'application/json; charset=utf-8', 'content-length': '56' });
      expect(cookies).toEqual(['a=1', 'b=2']);
      expect((await get('onError', '/h/SERVER_EXCEPTION')).headers['cache-control']).toBe('no-store');
      expect((await get('onError', '/h/ACCESS_DENIED')).headers['retry-after']).toBe('30');
      expect((await get('onError', '/h/foreign')).headers).toMatchObject({ 'retry-after': '5', 'www-authenticate': 'Token' });
    });

    test('middleware that acts after next() acts on the answer, as on any app.onError’s (cors appends its Vary)', async () => {
      const app = appFor(quiet, (a) => {
        a.use('/c/*', cors({ origin: 'https://console.example' }));
        a.get('/c/d', () => {
          throw xlinkError('DEVICE_NOT_FOUND');
        });
      }, 'onError');
      const res = await app.request('/c/d', { headers: { Origin: 'https://console.example' } });
      expect([res.status, res.headers.get('access-control-allow-origin'), res.headers.get('vary'), await res.text()]).toEqual([404, 'https://console.example', 'Origin', expectedBody('DEVICE_NOT_FOUND')]);
    });
  });

  test('defined codes, by name and code, in Chinese; map returning a defined name', async () => {
    for (const mode of ['onError', 'both'] as const) {
      const app = appFor({ locale: 'auto', map: (err) => (err instanceof RangeError ? 'DEVICE_BUSY' : undefined), ...quiet }, (a) => {
        a.get('/expired', () => {
          throw xlinkError(4031021);
        });
        a.get('/db', () => {
          throw xlinkError('DATABASE_UNAVAILABLE', { msg: secret });
        });
        a.get('/busy', () => {
          throw new RangeError('busy');
        });
      }, mode);
      const expired = await app.request('/expired', { headers: { 'Accept-Language': 'zh-CN' } });
      expect([expired.status, await expired.text()]).toEqual([403, '{"error":{"code":4031021,"msg":"Access-Token过期"}}']);
      const db = await app.request('/db');
      expect([db.status, db.statusText, db.headers.get('cache-control'), await db.text()]).toEqual([500, 'Internal Server Error', 'no-store', '{"error":{"code":5001001,"msg":"Database unavailable"}}']);
      const busy = await app.request('/busy');
      expect([busy.status, busy.statusText, await busy.text()]).toEqual([409, 'Conflict', '{"error":{"code":4091001,"msg":"Device is busy"}}']);
    }
  });

  describe('logging', () => {
    test.each(['onError', 'both'] as const)('%s: a 4xx is never printed', async (mode) => {
      const log = catchLog();
      try {
        const app = appFor({}, undefined, mode);
        for (const path of ['/errors/DEVICE_NOT_FOUND', '/rows/0', '/rows/12', '/chain/rows/12', '/nowhere']) expect((await app.request(path)).status).toBeLessThan(500);
        expect(log).not.toHaveBeenCalled();
      } finally {
        log.mockRestore();
      }
    });

    test.each([
      ['onError', '/rows/17'],
      ['onError', '/chain/rows/17'],
      ['both', '/rows/17'],
      ['both', '/falsy/0'],
    ] as const)('%s: a 503 (%s) is logged once', async (mode, path) => {
      const log = catchLog();
      try {
        expect((await appFor({}, undefined, mode).request(path)).status).toBe(503);
        expect(log).toHaveBeenCalledTimes(1);
        expect(log.mock.calls[0]![0]).toBe('xlink-errors: 503 Server exception:');
      } finally {
        log.mockRestore();
      }
    });

    test('both mounted, separate handlers too: onError hears of each failure once, with the Context', async () => {
      const seen: [string, number, string][] = [];
      const hook = (who: string) => ({ onError: (_err: unknown, x: { code: number }, c: Context) => void seen.push([who, x.code, c.req.path]) });
      const app = new Hono();
      app.use(xlinkErrorHandler(hook('use')));
      app.onError(xlinkErrorHandler(hook('onError')));
      app.get('/d', () => {
        throw xlinkError('DEVICE_NOT_FOUND');
      });
      app.get('/s', () => {
        throw 's';
      });
      await app.request('/d');
      await app.request('/s');
      expect(seen).toEqual([
        ['use', 4041008, '/d'],
        ['use', 5031001, '/s'],
      ]);
    });
  });

  test('a sub-app mounted with app.route and no onError of its own: answered by the app’s', async () => {
    const sub = new Hono();
    sub.get('/d', () => {
      throw xlinkError('DEVICE_NOT_FOUND');
    });
    const app = appFor(quiet, (a) => a.route('/sub', sub), 'onError');
    const res = await app.request('/sub/d');
    expect([res.status, await res.text()]).toEqual([404, expectedBody('DEVICE_NOT_FOUND')]);
  });

  test('called by hand, each way', async () => {
    const handler = xlinkErrorHandler(quiet);
    const app = new Hono();
    app.get('/by-hand', async (c) => {
      const answered = await handler(xlinkError('DEVICE_NOT_FOUND'), c);
      let fromMiddleware: Response | undefined;
      await handler(c, async () => {
        throw xlinkError('ACCESS_DENIED');
      });
      fromMiddleware = c.res;
      return c.json({ answered: [answered.status, await answered.text()], middleware: [fromMiddleware.status, await fromMiddleware.text()] });
    });
    expect(await (await app.request('/by-hand')).json()).toEqual({ answered: [404, expectedBody('DEVICE_NOT_FOUND')], middleware: [403, expectedBody('ACCESS_DENIED')] });
  });
});
