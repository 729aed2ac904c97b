import express from 'express';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import request from 'supertest';
import { Writable } from 'node:stream';
import { XLINK_ERRORS, defineXlinkErrors, isXlinkError, xlinkError, xlinkErrorHandler, type XlinkErrorName } from 'xlink-errors';
import xlinkErrors, { xlinkErrors as namedPlugin, xlinkFrameworkErrors, type XlinkFastifyOptions } from 'xlink-errors/fastify';
import { expectXlinkError } from 'xlink-errors/testing';
import { expectedBody, names, type CatalogName } from './helpers/expected';
import { falsyRows, mappingRows, secret } from './helpers/mapping-rows';

const quiet = { onError: () => {} }; // the catalog's own 503 would be logged

/** A Fastify app with the plugin; /errors/:key throws it, /throw throws `thrown()` from an async route, /sync from a sync one. */
async function appFor(thrown: () => unknown = () => xlinkError('DEVICE_NOT_FOUND'), options: XlinkFastifyOptions = quiet, setup?: (app: FastifyInstance) => void): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(xlinkErrors, options);
  app.get('/errors/:key', async (req) => {
    throw xlinkError((req.params as { key: XlinkErrorName }).key);
  });
  app.all('/throw', async () => {
    throw thrown();
  });
  app.get('/sync', () => {
    throw thrown();
  });
  setup?.(app);
  await app.ready();
  return app;
}

const loginSchema = {
  body: {
    type: 'object',
    required: ['corp_id', 'password'],
    properties: {
      corp_id: { type: 'string' },
      password: { type: 'string', minLength: 6, maxLength: 16 },
      profile: { type: 'object' },
    },
    additionalProperties: false,
  },
} as const;

test('the plugin is the default export and the named export xlinkErrors', () => {
  expect(namedPlugin).toBe(xlinkErrors);
  expect(typeof xlinkErrors).toBe('function');
});

describe('every catalog entry', () => {
  let app: FastifyInstance, strings: FastifyInstance;
  beforeAll(async () => {
    app = await appFor();
    strings = await appFor(undefined, { codeFormat: 'string', ...quiet });
  });

  test.each(names)('%s: status, JSON type, length and exact body', async (name) => {
    const res = await app.inject(`/errors/${name}`);
    expect(res.statusCode).toBe(XLINK_ERRORS[name].status);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.payload).toBe(expectedBody(name));
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.payload)));
  });

  test.each(names)("%s with codeFormat: 'string'", async (name) => {
    const res = await strings.inject(`/errors/${XLINK_ERRORS[name].code}`);
    expect(res.statusCode).toBe(XLINK_ERRORS[name].status);
    expect(res.payload).toBe(expectedBody(name, 'string'));
  });
});

describe('the default mapping, as Express and Koa', () => {
  test.each(mappingRows.map((r) => [r.title, r] as const))('%s, thrown from an async route', async (_title, row) => {
    const res = await request((await appFor(row.thrown)).server).get('/throw');
    expectXlinkError(res, row.expected);
    expect(JSON.stringify(res.headers)).not.toContain(secret);
  });

  test.each(mappingRows.map((r) => [r.title, r] as const))('%s, thrown synchronously', async (_title, row) => {
    const res = await (await appFor(row.thrown)).inject('/sync');
    expect([res.statusCode, res.payload]).toEqual([XLINK_ERRORS[row.expected as CatalogName].status, expectedBody(row.expected as CatalogName)]);
  });

  test.each(falsyRows.map((r) => [r.title, r] as const))('%s thrown is 503, as in Koa', async (_title, row) => {
    const res = await (await appFor(row.thrown)).inject('/throw');
    expect([res.statusCode, res.payload]).toEqual([503, expectedBody('SERVER_EXCEPTION')]);
  });

  test('a 503 leaks no message, stack or property of the thrown error', async () => {
    const thrown = Object.assign(new Error(secret), { headers: { 'X-Secret': secret }, detail: secret, expose: true, statusCode: 500 });
    const res = await (await appFor(() => thrown)).inject('/throw');
    expect(res.statusCode).toBe(503);
    expect(res.payload).toBe(expectedBody('SERVER_EXCEPTION'));
    expect(JSON.stringify(res.headers)).not.toContain(secret);
  });
});

describe("Fastify's own failures, by their codes", () => {
  let app: FastifyInstance;
  const seen: unknown[] = [];
  beforeAll(async () => {
    app = await appFor(undefined, { onError: (_err, xlinkErr) => void seen.push(xlinkErr) }, (a) => {
      a.post('/login', { schema: loginSchema }, async () => ({ ok: true }));
      a.get('/list', { schema: { querystring: { type: 'object', properties: { limit: { type: 'integer', maximum: 100 } } } } }, async (req) => req.query);
      a.get('/device/:id', { schema: { params: { type: 'object', properties: { id: { type: 'integer' } } } } }, async () => ({}));
      a.get('/token', { schema: { headers: { type: 'object', required: ['access-token'] } } }, async () => ({}));
    });
  });
  const post = (payload: string, contentType = 'application/json') => app.inject({ method: 'POST', url: '/login', payload, headers: { 'content-type': contentType } });
  const answer = async (res: { statusCode: number; payload: string }) => [res.statusCode, JSON.parse(res.payload).error.code];

  test.each([
    ['a missing required field', '{"corp_id":"c"}', 4001002],
    ['an empty object', '{}', 4001002],
    ['a null field of a non-scalar type', '{"corp_id":"c","password":"secret1","profile":null}', 4001002],
    ['a too long field', `{"corp_id":"c","password":"${'x'.repeat(17)}"}`, 4001001],
    ['a field of the wrong type', '{"corp_id":"c","password":"secret1","profile":[1]}', 4001001],
    ['an extra field (additionalProperties: false is removed by Fastify, so accepted)', '{"corp_id":"c","password":"secret1","extra":1}', 200],
  ])('body validation, %s', async (_title, payload, code) => {
    const res = await post(payload);
    expect(res.statusCode === 200 ? 200 : await answer(res)).toEqual(code === 200 ? 200 : [400, code]);
  });

  test('query, params and headers validation', async () => {
    expect(await answer(await app.inject('/list?limit=1000'))).toEqual([400, 4001001]);
    expect(JSON.parse((await app.inject('/list?limit=10')).payload)).toEqual({ limit: 10 });
    expect(await answer(await app.inject('/device/abc'))).toEqual([400, 4001001]);
    expect(await answer(await app.inject('/token'))).toEqual([400, 4001002]);
  });

  test('the error is the one xlinkValidate() throws: err.validation names the part and carries no request data', async () => {
    seen.length = 0;
    await post(`{"corp_id":"c","password":"${secret}"}`);
    await app.inject('/list?limit=1000');
    const [bodyErr, queryErr] = seen as (Error & { validation: { part: string; errors: unknown[] }; cause: { code: string } })[];
    expect(bodyErr).toMatchObject({ errorName: 'PARAM_VERIFICATION_FAILED', validation: { part: 'body', errors: [{ keyword: 'maxLength', instancePath: '/password' }] } });
    expect(bodyErr!.cause.code).toBe('FST_ERR_VALIDATION');
    expect(queryErr!.validation.part).toBe('query');
    expect(JSON.stringify(seen.map((e) => (e as { validation: unknown }).validation))).not.toContain(secret);
  });

  test('with a verbose ajv, the submitted value and the schema are still left out', async () => {
    const seenErrors: unknown[] = [];
    const verbose = Fastify({ ajv: { customOptions: { verbose: true } } });
    await verbose.register(xlinkErrors, { onError: (_e, x) => void seenErrors.push(x) });
    verbose.post('/login', { schema: loginSchema }, async () => ({}));
    const res = await verbose.inject({ method: 'POST', url: '/login', payload: { corp_id: 'c', password: secret.repeat(2) } });
    expect(res.statusCode).toBe(400);
    const { errors } = (seenErrors[0] as { validation: { errors: object[] } }).validation;
    expect(Object.keys(errors[0]!).sort()).toEqual(['instancePath', 'keyword', 'message', 'params', 'schemaPath']);
    expect(JSON.stringify(errors)).not.toContain(secret);
  });

  test.each([
    ['bad JSON (FST_ERR_CTP_INVALID_JSON_BODY)', () => post('{"corp_id":')],
    ['an empty JSON body (FST_ERR_CTP_EMPTY_JSON_BODY)', () => post('')],
    ['an unsupported media type (FST_ERR_CTP_INVALID_MEDIA_TYPE)', () => post('<a/>', 'application/xml')],
    ['a body larger than bodyLimit (FST_ERR_CTP_BODY_TOO_LARGE)', () => post(JSON.stringify({ corp_id: 'x'.repeat(1024 * 1024 + 1) }))],
  ])('%s is 400 4001001', async (_title, send) => {
    seen.length = 0;
    const res = await send();
    expect([res.statusCode, res.payload]).toEqual([400, expectedBody('PARAM_VERIFICATION_FAILED')]);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  test('an unknown route is 404 4041001', async () => {
    const res = await app.inject('/no/such/url');
    expect([res.statusCode, res.payload]).toEqual([404, expectedBody('URL_NOT_FOUND')]);
  });

  test('an unknown method on a known route is 404 4041001, as Fastify itself answers 404', async () => {
    const res = await app.inject({ method: 'DELETE', url: '/list' });
    expect([res.statusCode, res.payload]).toEqual([404, expectedBody('URL_NOT_FOUND')]);
  });
});

describe('on a listening server', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await appFor();
    await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => app.close());
  const base = () => `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

  test('a catalog entry, over a real socket', async () => {
    const res = await request(base()).get('/errors/ACCESS_TOKEN_INVALID');
    expectXlinkError(res, 'ACCESS_TOKEN_INVALID');
  });

  test('HEAD gets the same status and headers, and no body', async () => {
    const get = await request(base()).get('/errors/DEVICE_NOT_FOUND');
    const head = await request(base()).head('/errors/DEVICE_NOT_FOUND');
    expect(head.status).toBe(404);
    expect(head.headers['content-type']).toBe(get.headers['content-type']);
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
    expect(head.text).toBeUndefined();
  });

  test('HEAD of an unknown route: 404, the same headers, no body', async () => {
    const get = await request(base()).get('/no/such/url');
    const head = await request(base()).head('/no/such/url');
    expect([head.status, head.headers['content-type'], head.headers['content-length'], head.text]).toEqual([404, get.headers['content-type'], get.headers['content-length'], undefined]);
  });

  test('a broken JSON body over the socket', async () => {
    const res = await request(base()).post('/throw').set('Content-Type', 'application/json').send('{"a":');
    expectXlinkError(res, 'PARAM_VERIFICATION_FAILED');
  });
});

describe('headers', () => {
  test("the error's headers are sent; stale content headers go; CORS and others set before stay", async () => {
    const app = await appFor(() => xlinkError('ACCESS_TOKEN_INVALID', { headers: { 'WWW-Authenticate': 'Access-Token', 'Retry-After': 5 } }), quiet, (a) => {
      a.addHook('onRequest', async (_req, reply) => {
        reply.header('Access-Control-Allow-Origin', '*');
        reply.raw.setHeader('X-Request-Id', 'r-1');
      });
      a.addHook('preHandler', async (_req, reply) => {
        reply.header('Content-Disposition', 'attachment; filename="report.csv"');
        reply.header('ETag', '"abc"');
        reply.raw.setHeader('Content-Encoding', 'gzip');
      });
    });
    const res = await app.inject('/throw');
    expect(res.statusCode).toBe(403);
    expect(res.headers).toMatchObject({ 'www-authenticate': 'Access-Token', 'retry-after': '5', 'access-control-allow-origin': '*', 'x-request-id': 'r-1' });
    for (const stale of ['content-disposition', 'etag', 'content-encoding']) expect(res.headers[stale]).toBeUndefined();
    expect(res.payload).toBe(expectedBody('ACCESS_TOKEN_INVALID'));
  });

  test('onSend and onResponse hooks run on error responses', async () => {
    const finished: number[] = [];
    const app = await appFor(undefined, quiet, (a) => {
      a.addHook('onSend', async (_req, reply, payload) => {
        reply.header('X-Served-By', 'fastify');
        return payload;
      });
      a.addHook('onResponse', async (_req, reply) => void finished.push(reply.statusCode));
    });
    const res = await app.inject('/errors/DEVICE_NOT_FOUND');
    expect(res.headers['x-served-by']).toBe('fastify');
    expect(res.payload).toBe(expectedBody('DEVICE_NOT_FOUND'));
    expect(finished).toEqual([404]);
  });

  test('a route that set another status before throwing gets the error status', async () => {
    const app = await appFor(undefined, quiet, (a) =>
      a.get('/created', async (_req, reply) => {
        reply.code(201);
        throw xlinkError('USER_NOT_FOUND');
      }),
    );
    const res = await app.inject('/created');
    expect([res.statusCode, res.payload]).toEqual([404, expectedBody('USER_NOT_FOUND')]);
  });
});

describe('locale', () => {
  const headers = ['zh-CN,zh;q=0.9,en;q=0.8', 'zh', 'zh-TW', 'en-US,en;q=0.9', 'en;q=0.5,zh-CN;q=0.9', 'fr-FR', '*', '', ';;;,,q=x', 'zh-CN;q=0', 'en;q=0.9,zh;q=0.9', 'ZH-cn', 'x-klingon, zh-Hans;q=0.1'];

  test.each(headers)("locale: 'auto' with Accept-Language %p answers as Express does, with Vary", async (header) => {
    const app = await appFor(undefined, { locale: 'auto' });
    const expressApp = express();
    expressApp.get('/errors/:key', (req) => {
      throw xlinkError(req.params.key as XlinkErrorName);
    });
    expressApp.use(xlinkErrorHandler({ locale: 'auto' }));
    const fastifyRes = await app.inject({ url: '/errors/DEVICE_NOT_FOUND', headers: { 'accept-language': header } });
    const expressRes = await request(expressApp).get('/errors/DEVICE_NOT_FOUND').set('Accept-Language', header);
    expect(fastifyRes.payload).toBe(expressRes.text);
    expect(fastifyRes.headers.vary).toBe('Accept-Language');
  });

  test("locale: 'zh-CN' answers every entry and unknown routes in Chinese", async () => {
    const app = await appFor(undefined, { locale: 'zh-CN', ...quiet });
    for (const name of names) {
      const res = await app.inject(`/errors/${name}`);
      expectXlinkError({ status: res.statusCode, headers: res.headers, body: JSON.parse(res.payload) }, name, { locale: 'zh-CN' });
    }
    const missing = await app.inject('/nowhere');
    expect(JSON.parse(missing.payload).error.msg).toBe('URL找不到');
  });

  test('Vary keeps what the app set and gains Accept-Language once', async () => {
    const app = await appFor(undefined, { locale: 'auto' }, (a) =>
      a.addHook('onRequest', async (_req, reply) => {
        reply.header('Vary', 'Origin');
      }),
    );
    expect((await app.inject('/errors/DEVICE_NOT_FOUND')).headers.vary).toBe('Origin, Accept-Language');
  });
});

describe('a reply already sent', () => {
  test('headers out, body cut off: nothing written twice, the connection is ended, onError still hears of it', async () => {
    const heard: unknown[] = [];
    const thrown = new Error('stream failed');
    const app = await appFor(() => thrown, { onError: (err) => void heard.push(err) }, (a) =>
      a.get('/partial', async (_req, reply) => {
        reply.raw.writeHead(200, { 'Content-Type': 'text/plain' });
        reply.raw.write('partial');
        throw thrown;
      }),
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const res = await fetch(`http://127.0.0.1:${(app.server.address() as { port: number }).port}/partial`);
      expect(res.status).toBe(200);
      await expect(res.text()).rejects.toThrow(); // the connection was ended mid-body
      expect(heard).toEqual([thrown]);
    } finally {
      await app.close();
    }
  });

  test('a hijacked reply is left to its owner', async () => {
    const heard: unknown[] = [];
    const app = await appFor(undefined, { onError: (err) => void heard.push(err) }, (a) =>
      a.get('/hijacked', (_req, reply) => {
        reply.hijack();
        reply.raw.end('mine');
        throw new Error('after hijack');
      }),
    );
    const res = await app.inject('/hijacked');
    expect([res.statusCode, res.payload]).toEqual([200, 'mine']);
  });
});

describe('encapsulation', () => {
  test('registered in a child scope, it answers there and in its children, not in siblings', async () => {
    const app = Fastify();
    await app.register(async (child) => {
      await child.register(xlinkErrors, quiet);
      child.get('/errors', async () => {
        throw xlinkError('DEVICE_NOT_FOUND');
      });
      await child.register(async (grandchild) => {
        grandchild.get('/deeper', async () => {
          throw xlinkError('USER_NOT_FOUND');
        });
      });
    }, { prefix: '/v2' });
    await app.register(async (sibling) => {
      sibling.get('/errors', async () => {
        throw xlinkError('DEVICE_NOT_FOUND');
      });
    }, { prefix: '/v1' });
    expect((await app.inject('/v2/errors')).payload).toBe(expectedBody('DEVICE_NOT_FOUND'));
    expect((await app.inject('/v2/deeper')).payload).toBe(expectedBody('USER_NOT_FOUND'));
    expect((await app.inject('/v2/nowhere')).payload).toBe(expectedBody('URL_NOT_FOUND'));
    const sibling = JSON.parse((await app.inject('/v1/errors')).payload);
    expect(sibling).toMatchObject({ statusCode: 404, message: 'Device does not exist' }); // Fastify's own format
  });

  test('a child scope may set its own error handler, which wins there', async () => {
    const app = Fastify();
    await app.register(xlinkErrors, quiet);
    await app.register(async (child) => {
      child.setErrorHandler((_err, _req, reply) => reply.code(418).send('teapot'));
      child.get('/own', async () => {
        throw new Error('x');
      });
    });
    expect((await app.inject('/own')).statusCode).toBe(418);
  });
});

describe('options', () => {
  test('map turns a foreign error into a catalog entry', async () => {
    class NoDevice extends Error {}
    const res = await (await appFor(() => new NoDevice(), { map: (err) => (err instanceof NoDevice ? 'DEVICE_NOT_FOUND' : undefined) })).inject('/throw');
    expect(res.payload).toBe(expectedBody('DEVICE_NOT_FOUND'));
  });

  test('map sees validation failures as the XlinkError xlinkValidate() throws', async () => {
    const app = await appFor(undefined, { map: (err) => (isXlinkError(err) && err.errorName === 'PARAM_NULL' ? 'PASSWORD_WRONG' : undefined) }, (a) =>
      a.post('/login', { schema: loginSchema }, async () => ({})),
    );
    expect((await app.inject({ method: 'POST', url: '/login', payload: {} })).payload).toBe(expectedBody('PASSWORD_WRONG'));
  });

  test('onError sees the thrown value, the XlinkError and the Fastify request', async () => {
    const seen: unknown[][] = [];
    const thrown = new Error('x');
    await (await appFor(() => thrown, { onError: (...args) => void seen.push(args) })).inject('/throw?x=1');
    expect(seen).toHaveLength(1);
    expect(seen[0]![0]).toBe(thrown);
    expect(seen[0]![1]).toMatchObject({ code: 5031001 });
    expect((seen[0]![2] as FastifyRequest).url).toBe('/throw?x=1');
    expect(typeof (seen[0]![2] as FastifyRequest).log.error).toBe('function');
  });

  test('by default, 503s go to the app logger with the original error; 4xx are not logged', async () => {
    const lines: { level: number; msg: string; err?: { message: string } }[] = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        lines.push(JSON.parse(String(chunk)));
        cb();
      },
    });
    const app = Fastify({ logger: { level: 'error', stream } });
    await app.register(xlinkErrors);
    app.get('/down', async () => {
      throw new Error('db down');
    });
    app.get('/missing', async () => {
      throw xlinkError('USER_NOT_FOUND');
    });
    await app.inject('/down');
    await app.inject('/missing');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, msg: 'xlink-errors: 503 Server exception', err: { message: 'db down' } });
  });

  test('by default, with no logger on the app, 503s go to stderr as in Express', async () => {
    const errorLog = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const thrown = new Error('db down');
      const app = await appFor(() => thrown, {});
      await app.inject('/throw');
      expect(errorLog).toHaveBeenCalledWith('xlink-errors: 503 Server exception:', thrown);
    } finally {
      errorLog.mockRestore();
    }
  });

  test.each([
    [{ codeFormat: 'text' }, /codeFormat must be 'number' or 'string'/],
    [{ locale: 'fr' }, /locale must be 'en', 'zh-CN' or 'auto'/],
    [{ map: 'DEVICE_NOT_FOUND' }, /map must be a function/],
    [{ onError: true }, /onError must be a function/],
  ])('bad options %p are a TypeError at registration', async (options, message) => {
    const app = Fastify();
    await expect(app.register(xlinkErrors, options as never)).rejects.toThrow(message);
  });
});

test('registered twice under one prefix (two scopes, two locales): both apply, unknown routes keep the first 404 handler', async () => {
  const app = Fastify();
  await app.register(async (scope) => {
    await scope.register(xlinkErrors, { locale: 'zh-CN' });
    scope.get('/zh', async () => {
      throw xlinkError('DEVICE_NOT_FOUND');
    });
  });
  await app.register(async (scope) => {
    await scope.register(xlinkErrors);
    scope.get('/en', async () => {
      throw xlinkError('DEVICE_NOT_FOUND');
    });
  });
  expect(JSON.parse((await app.inject('/zh')).payload).error.msg).toBe('设备不存在');
  expect((await app.inject('/en')).payload).toBe(expectedBody('DEVICE_NOT_FOUND'));
  expect(JSON.parse((await app.inject('/nowhere')).payload).error.msg).toBe('URL找不到');
});

test("an app's own not-found handler, set before, is kept", async () => {
  const app = Fastify();
  app.setNotFoundHandler((_req, reply) => reply.code(404).send('custom'));
  await app.register(xlinkErrors);
  expect((await app.inject('/nowhere')).payload).toBe('custom');
});

describe('xlinkFrameworkErrors()', () => {
  test("a malformed URL, which Fastify answers before any handler, gets the envelope through frameworkErrors", async () => {
    const app = Fastify({ frameworkErrors: xlinkFrameworkErrors({ locale: 'zh-CN' }) });
    await app.register(xlinkErrors);
    app.get('/device/:id', async () => ({}));
    const res = await app.inject('/device/%');
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.payload)).toEqual({ error: { code: 4001001, msg: '请求数据字段验证不通过' } });
  });

  test('without it, Fastify answers a malformed URL in its own format', async () => {
    const app = Fastify();
    await app.register(xlinkErrors);
    app.get('/device/:id', async () => ({}));
    expect(JSON.parse((await app.inject('/device/%')).payload)).toMatchObject({ code: 'FST_ERR_BAD_URL' });
  });

  test('bad options are a TypeError at once', () => {
    expect(() => xlinkFrameworkErrors({ codeFormat: 'text' as never })).toThrow(TypeError);
  });
});

// Last: defining codes is process-wide (for this file's process).
test('codes defined with defineXlinkErrors: their own status and envelope, codeFormat and locale (Chinese falls back to msg)', async () => {
  defineXlinkErrors({
    ACCESS_TOKEN_EXPIRED: { code: 4031021, msg: 'Access-Token expired', msgZh: 'Access-Token过期' },
    DEVICE_BUSY: { code: 4091001, msg: 'Device is busy' },
  });
  const app = await appFor(undefined, { locale: 'auto', ...quiet });
  const busy = await app.inject('/errors/DEVICE_BUSY');
  expect([busy.statusCode, busy.payload]).toEqual([409, '{"error":{"code":4091001,"msg":"Device is busy"}}']);
  const zh = await app.inject({ url: '/errors/4031021', headers: { 'accept-language': 'zh-CN' } });
  expect([zh.statusCode, zh.payload]).toEqual([403, '{"error":{"code":4031021,"msg":"Access-Token过期"}}']);
  const busyZh = await app.inject({ url: '/errors/DEVICE_BUSY', headers: { 'accept-language': 'zh' } });
  expect(JSON.parse(busyZh.payload).error.msg).toBe('Device is busy');
  const strings = await appFor(undefined, { codeFormat: 'string', map: (err) => (err instanceof RangeError ? 'DEVICE_BUSY' : undefined), ...quiet }, (a) =>
    a.get('/mapped', async () => {
      throw new RangeError('x');
    }),
  );
  expect((await strings.inject('/mapped')).payload).toBe('{"error":{"code":"4091001","msg":"Device is busy"}}');
});
