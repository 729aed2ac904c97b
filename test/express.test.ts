import express5 from 'express';
import express4 from 'express4';
import request from 'supertest';
import { XLINK_ERRORS, xlinkError, xlinkErrorHandler, xlinkNotFound, type XlinkErrorName, type XlinkHandlerOptions } from 'xlink-errors';
import { expectXlinkError } from 'xlink-errors/testing';
import { expectedBody, names } from './helpers/expected';
import { falsyRows, mappingRows, secret } from './helpers/mapping-rows';

type Express = typeof express5;
const frameworks: [string, Express][] = [
  ['Express 5', express5],
  ['Express 4', express4 as unknown as Express],
];

describe.each(frameworks)('%s', (_label, express) => {
  /** An app whose route /throw passes `thrown()` to next(), then the package's middleware. */
  function appFor(thrown: () => unknown, options?: XlinkHandlerOptions<unknown>) {
    const app = express();
    app.use(express.json({ type: () => true }));
    app.all('/throw', (_req, _res, next) => next(thrown()));
    app.get('/sync', () => {
      throw thrown();
    });
    app.get('/errors/:key', (req) => {
      throw xlinkError(req.params.key as XlinkErrorName);
    });
    app.use(xlinkNotFound());
    app.use(xlinkErrorHandler(options));
    return app;
  }

  const quiet = { onError: () => {} }; // the catalog's own 503 would be logged
  const app = appFor(() => xlinkError('DEVICE_NOT_FOUND'), quiet);
  const stringApp = express();
  stringApp.get('/errors/:key', (req) => {
    throw xlinkError(req.params.key as XlinkErrorName);
  });
  stringApp.use(xlinkErrorHandler({ codeFormat: 'string', ...quiet }));

  describe('every catalog entry', () => {
    test.each(names)('%s: status, JSON type, length and exact body', async (name) => {
      const res = await request(app).get(`/errors/${name}`);
      expect(res.status).toBe(XLINK_ERRORS[name].status);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.text).toBe(expectedBody(name));
      expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.text)));
    });

    test.each(names)("%s with codeFormat: 'string'", async (name) => {
      const res = await request(stringApp).get(`/errors/${XLINK_ERRORS[name].code}`);
      expect(res.status).toBe(XLINK_ERRORS[name].status);
      expect(res.text).toBe(expectedBody(name, 'string'));
    });
  });

  describe('the default mapping', () => {
    test.each(mappingRows.map((r) => [r.title, r] as const))('%s', async (_title, row) => {
      const res = await request(appFor(row.thrown, { onError: () => {} })).get('/throw');
      expectXlinkError(res, row.expected);
      expect(JSON.stringify(res.headers)).not.toContain(secret);
    });

    test.each(mappingRows.map((r) => [r.title, r] as const))('%s, thrown synchronously', async (_title, row) => {
      const res = await request(appFor(row.thrown, { onError: () => {} })).get('/sync');
      expectXlinkError(res, row.expected);
    });

    test.each(falsyRows.map((r) => [r.title, r] as const))('%s is "no error" to Express: the request falls through to 4041001', async (_title, row) => {
      const res = await request(appFor(row.thrown)).get('/throw');
      expectXlinkError(res, 'URL_NOT_FOUND');
    });

    test('bad JSON from the body parser is 400 4001001', async () => {
      const res = await request(app).post('/nowhere').set('Content-Type', 'application/json').send('{"a":');
      expect(res.status).toBe(400);
      expect(res.text).toBe(expectedBody('PARAM_VERIFICATION_FAILED'));
    });

    test('a 503 leaks no message, stack or property of the thrown error', async () => {
      const thrown = Object.assign(new Error(secret), { headers: { 'X-Secret': secret }, detail: secret, expose: true });
      const res = await request(appFor(() => thrown, { onError: () => {} })).get('/throw');
      expect(res.status).toBe(503);
      expect(res.text).toBe('{"error":{"code":5031001,"msg":"Server exception"}}');
      expect(JSON.stringify(res.headers)).not.toContain(secret);
    });
  });

  test('an unmatched route is 404 4041001', async () => {
    const res = await request(app).get('/no/such/url');
    expect(res.status).toBe(404);
    expect(res.text).toBe(expectedBody('URL_NOT_FOUND'));
  });

  test('an async route that rejects is answered too', async () => {
    const asyncApp = express();
    asyncApp.get('/async', async (_req, _res, next) => {
      await Promise.resolve();
      next(xlinkError('USER_NOT_FOUND'));
    });
    asyncApp.use(xlinkErrorHandler());
    const res = await request(asyncApp).get('/async');
    expect(res.text).toBe(expectedBody('USER_NOT_FOUND'));
  });

  test('HEAD gets the same status and headers, and no body', async () => {
    const get = await request(app).get('/errors/DEVICE_NOT_FOUND');
    const head = await request(app).head('/errors/DEVICE_NOT_FOUND');
    expect(head.status).toBe(404);
    expect(head.headers['content-type']).toBe(get.headers['content-type']);
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
    expect(head.text).toBeUndefined();
  });

  test('a custom msg is sent, escaped, with the right Content-Length', async () => {
    const msg = 'Gerät "offline" \u0001 — 设备 \ud800';
    const res = await request(appFor(() => xlinkError('DEVICE_NOT_FOUND', { msg }))).get('/throw');
    expect(res.body).toEqual({ error: { code: 4041008, msg } });
    expect(res.text).toContain('\\u0001'); // control characters and lone surrogates travel escaped
    expect(res.text).toContain('\\ud800');
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(JSON.stringify({ error: { code: 4041008, msg } })));
  });

  test("the error's headers are sent; stale content headers go, others stay", async () => {
    const headerApp = express();
    headerApp.get('/', (_req, res) => {
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Content-Disposition', 'attachment; filename="report.csv"');
      throw xlinkError('ACCESS_TOKEN_INVALID', { headers: { 'WWW-Authenticate': 'Access-Token', 'Retry-After': 5 } });
    });
    headerApp.use(xlinkErrorHandler());
    const res = await request(headerApp).get('/');
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toBe('Access-Token');
    expect(res.headers['retry-after']).toBe('5');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['content-disposition']).toBeUndefined();
  });

  test('headers already sent: the error goes on to next(err), nothing is written twice', async () => {
    const passedOn: unknown[] = [];
    const thrown = xlinkError('DEVICE_NOT_FOUND');
    const streamingApp = express();
    streamingApp.get('/', (_req, res, next) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('partial');
      next(thrown);
    });
    streamingApp.use(xlinkErrorHandler());
    streamingApp.use((err: unknown, _req: unknown, res: { end(): void }, _next: unknown) => {
      passedOn.push(err);
      res.end();
    });
    const res = await request(streamingApp).get('/');
    expect(res.status).toBe(200);
    expect(res.text).toBe('partial');
    expect(passedOn).toEqual([thrown]);
  });

  test('headers already sent: a user onError still hears of the error; the default one leaves the log to Express', async () => {
    const seen: unknown[][] = [];
    const thrown = new Error('midway');
    const appWith = (options?: Parameters<typeof xlinkErrorHandler>[0]) => {
      const streamingApp = express();
      streamingApp.get('/', (_req, res, next) => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.write('partial');
        next(thrown);
      });
      streamingApp.use(xlinkErrorHandler(options));
      streamingApp.use((_err: unknown, _req: unknown, res: { end(): void }, _next: unknown) => res.end());
      return streamingApp;
    };
    await request(appWith({ onError: (...args: unknown[]) => seen.push(args) })).get('/');
    expect(seen).toHaveLength(1);
    expect(seen[0]![0]).toBe(thrown);
    expect(seen[0]![1]).toMatchObject({ code: 5031001 });
    const errorLog = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await request(appWith()).get('/');
      expect(errorLog).not.toHaveBeenCalled();
    } finally {
      errorLog.mockRestore();
    }
  });

  describe('options', () => {
    test('map turns a foreign error into a catalog entry', async () => {
      class NoDevice extends Error {}
      const res = await request(
        appFor(() => new NoDevice(), { map: (err) => (err instanceof NoDevice ? 'DEVICE_NOT_FOUND' : undefined) }),
      ).get('/throw');
      expect(res.text).toBe(expectedBody('DEVICE_NOT_FOUND'));
    });

    test('a map that throws gives a valid 503, and the failure is reported', async () => {
      const errorLog = jest.spyOn(console, 'error').mockImplementation(() => {});
      try {
        const res = await request(
          appFor(() => new Error('x'), {
            map: () => {
              throw new Error(secret);
            },
            onError: () => {},
          }),
        ).get('/throw');
        expect(res.text).toBe(expectedBody('SERVER_EXCEPTION'));
        expect(res.text).not.toContain(secret);
        expect(errorLog).toHaveBeenCalledTimes(1);
        expect(errorLog).toHaveBeenCalledWith('xlink-errors: map() failed, so the error is answered 503 Server exception:', expect.objectContaining({ message: secret }));
      } finally {
        errorLog.mockRestore();
      }
    });

    test('onError sees the thrown value, the XlinkError and the request', async () => {
      const seen: unknown[][] = [];
      const thrown = new Error('x');
      await request(appFor(() => thrown, { onError: (...args) => seen.push(args) })).get('/throw?x=1');
      expect(seen).toHaveLength(1);
      expect(seen[0]![0]).toBe(thrown);
      expect(seen[0]![1]).toMatchObject({ code: 5031001 });
      expect((seen[0]![2] as { url: string }).url).toBe('/throw?x=1');
    });

    test('an onError that throws changes nothing on the wire', async () => {
      const errorLog = jest.spyOn(console, 'error').mockImplementation(() => {});
      try {
        const res = await request(
          appFor(() => xlinkError('USER_NOT_FOUND'), {
            onError: () => {
              throw new Error('logger down');
            },
          }),
        ).get('/throw');
        expect(res.text).toBe(expectedBody('USER_NOT_FOUND'));
        expect(errorLog).toHaveBeenCalledWith('xlink-errors: onError hook threw:', expect.any(Error));
      } finally {
        errorLog.mockRestore();
      }
    });

    test('by default, 503s are logged to stderr with the original error and 4xx are not', async () => {
      const errorLog = jest.spyOn(console, 'error').mockImplementation(() => {});
      try {
        const thrown = new Error('db down');
        await request(appFor(() => thrown)).get('/throw');
        await request(appFor(() => xlinkError('USER_NOT_FOUND'))).get('/throw');
        expect(errorLog).toHaveBeenCalledTimes(1);
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
    ])('bad options %p are a TypeError when the handler is made', (options, message) => {
      expect(() => xlinkErrorHandler(options as never)).toThrow(message);
    });
  });
});
