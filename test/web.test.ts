import createError from 'http-errors';
import express from 'express';
import * as root from 'xlink-errors';
import { xlinkErrorHandler as expressHandler, xlinkNotFound as expressNotFound } from 'xlink-errors';
import * as web from 'xlink-errors/web';
import { XLINK_ERRORS, xlinkError, xlinkFetchHandler, xlinkRequestJson, xlinkResponse, type XlinkErrorName } from 'xlink-errors/web';
import { appErrors } from './helpers/app-errors';
import { expectedBody, names } from './helpers/expected';
import { falsyRows, mappingRows, secret } from './helpers/mapping-rows';
import { fetchWire, serveFetch, serveNode, type Served, wireOf } from './web-serve';

const quiet = { onError: () => {} }; // the catalog's own 503 would be logged
void appErrors; // registers the helper's defined codes

/** The Express app answering the same throws, the reference for "same bytes as the Express handler". */
function expressApp() {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ type: () => true }));
  app.all('/rows/:index', (req) => {
    throw mappingRows[Number(req.params.index)]!.thrown();
  });
  app.all('/falsy/:index', (req, _res, next) => next(falsyRows[Number(req.params.index)]!.thrown()));
  app.all('/errors/:key', (req) => {
    throw xlinkError(req.params.key as XlinkErrorName);
  });
  app.use(expressNotFound());
  app.use(expressHandler(quiet));
  return app;
}

/** The same routes as a plain fetch handler. */
const handler = xlinkFetchHandler(async (request: Request) => {
  const [, kind, key] = new URL(request.url).pathname.split('/') as [string, string, string];
  if (kind === 'rows') throw mappingRows[Number(key)]!.thrown();
  if (kind === 'falsy') throw falsyRows[Number(key)]!.thrown();
  if (kind === 'errors') throw xlinkError(decodeURIComponent(key) as XlinkErrorName);
  if (kind === 'json') return Response.json({ body: (await xlinkRequestJson(request, key === 'small' ? { limit: 10 } : undefined)) ?? null });
  throw xlinkError('URL_NOT_FOUND');
}, quiet);

let served: Served, reference: Served;
beforeAll(async () => {
  [served, reference] = await Promise.all([serveFetch(handler), serveNode(expressApp())]);
});
afterAll(() => Promise.all([served.close(), reference.close()]));

describe('every catalog entry over a socket', () => {
  test.each(names)('%s: status line, JSON type, length and exact body', async (name) => {
    const res = await fetchWire(served, `/errors/${name}`);
    expect(res.status).toBe(XLINK_ERRORS[name].status);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toBe(expectedBody(name));
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.body)));
    expect(res).toEqual(await fetchWire(reference, `/errors/${name}`));
  });

  test.each(names)("%s with codeFormat: 'string', by its code", (name) => {
    const res = xlinkResponse(xlinkError(XLINK_ERRORS[name].code), { codeFormat: 'string', ...quiet });
    return expect(res.text()).resolves.toBe(expectedBody(name, 'string'));
  });
});

describe('the default mapping, byte for byte as the Express handler', () => {
  test.each(mappingRows.map((row, index) => [row.title, row, index] as const))('%s', async (_title, row, index) => {
    const res = await fetchWire(served, `/rows/${index}`);
    expect([res.status, res.body]).toEqual([XLINK_ERRORS[row.expected as keyof typeof XLINK_ERRORS].status, expectedBody(row.expected as never)]);
    expect(JSON.stringify(res)).not.toContain(secret);
    expect(res).toEqual(await fetchWire(reference, `/rows/${index}`));
  });

  test.each(falsyRows.map((row, index) => [row.title, row, index] as const))('thrown %s: 503 (Express never sees it as an error)', async (_title, _row, index) => {
    const res = await fetchWire(served, `/falsy/${index}`);
    expect([res.status, res.body, res.headers['cache-control']]).toEqual([503, expectedBody('SERVER_EXCEPTION'), 'no-store']);
  });

  test('a rejected promise of a non-error is answered too', async () => {
    const rejecting = xlinkFetchHandler(() => Promise.reject('x'), quiet);
    const res = await wireOf(await rejecting(new Request('http://x/')));
    expect([res.status, res.body]).toEqual([503, expectedBody('SERVER_EXCEPTION')]);
  });

  test('a success passes through untouched, its headers included', async () => {
    const ok = xlinkFetchHandler(() => new Response('fine', { headers: { ETag: '"1"' } }));
    const res = await ok(new Request('http://x/'));
    expect([res.status, res.headers.get('etag'), await res.text()]).toEqual([200, '"1"', 'fine']);
  });
});

describe('HEAD', () => {
  test.each(['/errors/DEVICE_NOT_FOUND', '/rows/0', '/errors/SERVER_EXCEPTION'])('%s: same status and headers as GET, no body, as Express', async (path) => {
    const [get, head] = await Promise.all([fetchWire(served, path), fetchWire(served, path, { method: 'HEAD' })]);
    expect(head).toEqual({ ...get, body: '' });
    expect(head).toEqual(await fetchWire(reference, path, { method: 'HEAD' }));
  });
});

describe('xlinkResponse', () => {
  test('locale auto negotiates from the request, with Vary', async () => {
    const request = new Request('http://x/', { headers: { 'Accept-Language': 'zh-CN,zh;q=0.9,en;q=0.8' } });
    const res = xlinkResponse(xlinkError('DEVICE_NOT_FOUND'), { request, locale: 'auto' });
    expect(res.headers.get('vary')).toBe('Accept-Language');
    expect(await res.json()).toEqual({ error: { code: 4041008, msg: '设备不存在' } });
  });

  test('locale auto without a request is English, with Vary', async () => {
    const res = xlinkResponse(xlinkError('DEVICE_NOT_FOUND'), { locale: 'auto' });
    expect([res.headers.get('vary'), await res.text()]).toEqual(['Accept-Language', expectedBody('DEVICE_NOT_FOUND')]);
  });

  test("locale 'zh-CN' and a HEAD request", async () => {
    const res = xlinkResponse(xlinkError('DEVICE_NOT_FOUND'), { locale: 'zh-CN', request: new Request('http://x/', { method: 'HEAD' }) });
    expect(res.body).toBeNull();
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(JSON.stringify({ error: { code: 4041008, msg: '设备不存在' } }))));
  });

  test('defined codes: a 4xx with its message and Chinese text, a defined 5xx with its own message only', async () => {
    const zh = { locale: 'zh-CN' } as const;
    expect(await xlinkResponse(web.xlinkError('ACCESS_TOKEN_EXPIRED'), zh).text()).toBe('{"error":{"code":4031021,"msg":"Access-Token过期"}}');
    const res = xlinkResponse(web.toXlinkError(new Error(secret), { map: () => 'DATABASE_UNAVAILABLE' }), quiet);
    expect([res.status, res.statusText, res.headers.get('cache-control'), await res.text()]).toEqual([500, 'Internal Server Error', 'no-store', '{"error":{"code":5001001,"msg":"Database unavailable"}}']);
    expect(xlinkResponse(xlinkError('DEVICE_BUSY')).statusText).toBe('Conflict');
  });

  test("an error's own headers are sent; a foreign error's are allow-listed", () => {
    const own = xlinkResponse(xlinkError('ACCESS_DENIED', { headers: { 'Retry-After': 30, 'X-Why': 'offline' } }));
    expect([own.headers.get('retry-after'), own.headers.get('x-why')]).toEqual(['30', 'offline']);
    const foreign = xlinkResponse(createError(401, { headers: { 'WWW-Authenticate': 'Token', 'Set-Cookie': 'a=1', 'Content-Encoding': 'gzip' } }));
    expect([foreign.status, foreign.headers.get('www-authenticate'), foreign.headers.get('set-cookie'), foreign.headers.get('content-encoding')]).toEqual([403, 'Token', null, null]);
  });

  test('a 503 never carries the thrown message, stack or properties', async () => {
    const res = xlinkResponse(Object.assign(new Error(secret), { status: 500, headers: { 'X-Secret': secret }, expose: true }), quiet);
    expect(JSON.stringify([...res.headers]) + (await res.text())).not.toContain(secret);
  });

  test('map and onError as the other handlers have them; onError gets the request', async () => {
    const request = new Request('http://x/device');
    const seen: unknown[] = [];
    const res = xlinkResponse(new RangeError('nope'), { request, map: (err) => (err instanceof RangeError ? 'DEVICE_NOT_FOUND' : undefined), onError: (_err, x, req) => void seen.push(x.code, req) });
    expect([res.status, seen]).toEqual([404, [4041008, request]]);
  });

  test('the default onError logs a 503 once, and is silent for a 4xx', () => {
    const log = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      xlinkResponse(xlinkError('DEVICE_NOT_FOUND'));
      expect(log).not.toHaveBeenCalled();
      xlinkResponse(new Error('db down'));
      expect(log).toHaveBeenCalledTimes(1);
      expect(log.mock.calls[0]![0]).toBe('xlink-errors: 503 Server exception:');
      expect((log.mock.calls[0]![1] as Error).message).toBe('db down');
    } finally {
      log.mockRestore();
    }
  });

  test('an onError that throws is reported and changes nothing on the wire', async () => {
    const log = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const res = xlinkResponse(xlinkError('DEVICE_NOT_FOUND'), {
        onError: () => {
          throw new Error('hook broke');
        },
      });
      expect([res.status, await res.text()]).toEqual([404, expectedBody('DEVICE_NOT_FOUND')]);
      expect(log.mock.calls.map((call) => call[0])).toEqual(['xlink-errors: onError hook threw:']);
    } finally {
      log.mockRestore();
    }
  });

  test('bad options and requests are TypeErrors that say what is wrong', () => {
    expect(() => xlinkResponse(1, 5 as never)).toThrow(new TypeError('xlinkResponse: options must be an object, got a number'));
    expect(() => xlinkResponse(1, { codeFormat: 'text' as never })).toThrow(/codeFormat must be 'number' or 'string'/);
    expect(() => xlinkResponse(1, { request: {} as Request, ...quiet })).toThrow(new TypeError('xlinkResponse: request must be a web Request, got an object'));
    expect(() => xlinkFetchHandler('app' as never)).toThrow(new TypeError('xlinkFetchHandler: handler must be a function (request) => Response, got a string'));
    expect(() => xlinkFetchHandler(() => new Response(), { locale: 'fr' as never })).toThrow(/locale must be 'en', 'zh-CN' or 'auto'/);
  });
});

describe('xlinkRequestJson', () => {
  const post = (body: RequestInit['body'], headers: Record<string, string> = {}, path = '/json/') => fetchWire(served, path, { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
  const bad = { status: 400, body: expectedBody('PARAM_VERIFICATION_FAILED') };

  test('JSON whatever the Content-Type says, or none', async () => {
    expect((await post('{"a":1}', { 'Content-Type': 'application/x-www-form-urlencoded' })).body).toBe('{"body":{"a":1}}');
    expect((await post('{"a":1}', { 'Content-Type': 'text/plain;charset=UTF-8' })).body).toBe('{"body":{"a":1}}');
    expect((await post(new Uint8Array(Buffer.from('{"a":"中"}')))).body).toBe('{"body":{"a":"中"}}');
    expect((await post('\uFEFF[1]', { 'Content-Type': 'application/json; charset="utf-8"' })).body).toBe('{"body":[1]}');
  });

  test('no body is undefined', async () => {
    expect((await fetchWire(served, '/json/')).body).toBe('{"body":null}');
    expect((await post(''))).toMatchObject({ status: 200, body: '{"body":null}' });
    await expect(xlinkRequestJson(new Request('http://x/'))).resolves.toBeUndefined();
  });

  test.each([
    ['bad JSON', '{"a":', {}],
    ['not JSON at all', 'corp_id=1&password=2', { 'Content-Type': 'application/x-www-form-urlencoded' }],
    ['a charset other than UTF-8', '{"a":1}', { 'Content-Type': 'application/json; charset=latin1' }],
    ['UTF-16', '{"a":1}', { 'Content-Type': 'application/json; charset=utf-16' }],
  ] as const)('%s: 400 4001001', async (_title, body, headers) => {
    expect(await post(body, headers)).toMatchObject(bad);
  });

  test('bytes that are not UTF-8: 400 4001001', async () => {
    expect(await post(new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]))).toMatchObject(bad);
  });

  test('more than the limit: 400 4001001, by Content-Length or as streamed', async () => {
    expect(await post(JSON.stringify({ a: 'x'.repeat(102_400) }))).toMatchObject(bad);
    expect((await post(JSON.stringify({ a: 'x'.repeat(102_380) }))).status).toBe(200);
    expect(await post('{"a":"0123456789"}', {}, '/json/small')).toMatchObject(bad);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 3; i++) controller.enqueue(new TextEncoder().encode('["0123456789"]'.slice(i * 5, i * 5 + 5)));
        controller.close();
      },
    });
    await expect(xlinkRequestJson(new Request('http://x/', { method: 'POST', body: stream, duplex: 'half' } as RequestInit), { limit: 10 })).rejects.toMatchObject({ code: 4001001 });
  });

  test('a body that breaks off while read (a client gone) is the client\'s fault: 400 4001001, nothing logged', async () => {
    const log = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const broken = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"a":'));
          controller.error(new TypeError('terminated'));
        },
      });
      const request = new Request('http://x/', { method: 'POST', body: broken, duplex: 'half' } as RequestInit);
      const res = await xlinkFetchHandler(async (r: Request) => Response.json(await xlinkRequestJson(r)))(request);
      expect([res.status, await res.text()]).toEqual([400, expectedBody('PARAM_VERIFICATION_FAILED')]);
      expect(log).not.toHaveBeenCalled();
    } finally {
      log.mockRestore();
    }
  });

  test("the error's cause says why, and never quotes the body", async () => {
    const err = await xlinkRequestJson(new Request('http://x/', { method: 'POST', body: `{"password":"${secret}"` })).catch((e: unknown) => e);
    expect(web.isXlinkError(err)).toBe(true);
    expect(String((err as Error).cause)).toBe('SyntaxError: xlink-errors: request body is not valid JSON');
    expect(JSON.stringify(err) + String((err as Error).cause) + (err as Error).message).not.toContain(secret);
  });

  test('bad options are TypeErrors', async () => {
    await expect(xlinkRequestJson(new Request('http://x/'), { limit: '100kb' as never })).rejects.toThrow(new TypeError('xlinkRequestJson: options.limit must be a whole number of bytes (0 or more), got string'));
    await expect(xlinkRequestJson(new Request('http://x/'), { limit: -1 })).rejects.toThrow(TypeError);
    await expect(xlinkRequestJson('http://x/' as never)).rejects.toThrow(new TypeError('xlinkRequestJson: request must be a web Request, got a string'));
  });
});

describe('what a route needs, from this entry alone', () => {
  test('the same functions and registry as the root entry, not copies', () => {
    for (const name of ['xlinkError', 'XlinkError', 'isXlinkError', 'toXlinkError', 'defineXlinkErrors', 'XLINK_ERRORS'] as const) expect(web[name]).toBe(root[name]);
  });

  test('an XlinkError is still an http-errors HttpError on Node', () => {
    const err = web.xlinkError('DEVICE_NOT_FOUND');
    expect(createError.isHttpError(err)).toBe(true);
    expect(err).toBeInstanceOf(createError.HttpError);
  });
});
