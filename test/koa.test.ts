import Router from '@koa/router';
import Koa from 'koa';
import Koa2 from 'koa2';
import request from 'supertest';
import { XLINK_ERRORS, xlinkError, type XlinkErrorName } from 'xlink-errors';
import { xlinkErrorHandler, type KoaLikeContext, type XlinkKoaMiddleware } from 'xlink-errors/koa';
import type { XlinkHandlerOptions } from 'xlink-errors';
import { expectXlinkError } from 'xlink-errors/testing';
import { expectedBody, names } from './helpers/expected';
import { falsyRows, mappingRows, secret } from './helpers/mapping-rows';

const frameworks: [string, typeof Koa][] = [
  ['Koa 3', Koa],
  ['Koa 2', Koa2 as unknown as typeof Koa],
];

describe.each(frameworks)('%s', (_label, KoaApp) => {
  /** An app with the handler first, then routes: /throw throws `thrown()`. */
  function appFor(thrown: () => unknown = () => xlinkError('DEVICE_NOT_FOUND'), options?: XlinkHandlerOptions<KoaLikeContext>, setup?: (router: Router) => void) {
    const app = new KoaApp();
    app.silent = true;
    app.use(xlinkErrorHandler(options) as Koa.Middleware);
    const router = new Router();
    router.get('/throw', async () => {
      await Promise.resolve();
      throw thrown();
    });
    router.get('/errors/:key', (ctx) => {
      throw xlinkError(ctx.params.key as XlinkErrorName);
    });
    setup?.(router);
    app.use(router.routes());
    app.use(router.allowedMethods());
    return app;
  }
  const server = (app: Koa) => app.callback();

  const app = appFor();
  const stringApp = appFor(undefined, { codeFormat: 'string' });

  describe('every catalog entry', () => {
    test.each(names)('%s: status, JSON type, length and exact body', async (name) => {
      const res = await request(server(app)).get(`/errors/${name}`);
      expect(res.status).toBe(XLINK_ERRORS[name].status);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.text).toBe(expectedBody(name));
      expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.text)));
    });

    test.each(names)("%s with codeFormat: 'string'", async (name) => {
      const res = await request(server(stringApp)).get(`/errors/${XLINK_ERRORS[name].code}`);
      expect(res.text).toBe(expectedBody(name, 'string'));
    });
  });

  describe('the default mapping, as Express', () => {
    test.each([...mappingRows, ...falsyRows].map((r) => [r.title, r] as const))('%s', async (_title, row) => {
      const res = await request(server(appFor(row.thrown))).get('/throw');
      expectXlinkError(res, row.expected);
      expect(JSON.stringify(res.headers)).not.toContain(secret);
    });
  });

  test.each([
    ['ctx.throw(404)', (ctx: Koa.Context) => ctx.throw(404), 'URL_NOT_FOUND'],
    ["ctx.throw(400, 'name is required')", (ctx: Koa.Context) => ctx.throw(400, 'name is required'), 'PARAM_VERIFICATION_FAILED'],
    ['ctx.throw(401)', (ctx: Koa.Context) => ctx.throw(401), 'ACCESS_DENIED'],
    ['ctx.assert(false, 403)', (ctx: Koa.Context) => ctx.assert(false, 403, 'no'), 'ACCESS_DENIED'],
    ['ctx.throw(500, secret)', (ctx: Koa.Context) => ctx.throw(500, secret), 'SERVER_EXCEPTION'],
    ["ctx.throw(xlinkError('USER_NOT_FOUND'))", (ctx: Koa.Context) => ctx.throw(xlinkError('USER_NOT_FOUND')), 'USER_NOT_FOUND'],
  ] as const)('%s', async (_title, route, expected) => {
    const res = await request(server(appFor(undefined, undefined, (r) => r.get('/ctx', route)))).get('/ctx');
    expectXlinkError(res, expected);
  });

  test('a request no middleware answered is 404 4041001', async () => {
    const res = await request(server(app)).get('/no/such/url');
    expect(res.status).toBe(404);
    expect(res.text).toBe(expectedBody('URL_NOT_FOUND'));
  });

  test('an error status set without a body gets the envelope too', async () => {
    const res = await request(
      server(
        appFor(undefined, undefined, (r) =>
          r.get('/status', (ctx) => {
            ctx.status = 401;
          }),
        ),
      ),
    ).get('/status');
    expect(res.status).toBe(403);
    expect(res.text).toBe(expectedBody('ACCESS_DENIED'));
  });

  test('an explicit body is left alone, even with status 404', async () => {
    const res = await request(
      server(
        appFor(undefined, undefined, (r) =>
          r.get('/own', (ctx) => {
            ctx.status = 404;
            ctx.body = { mine: true };
          }),
        ),
      ),
    ).get('/own');
    expect(res.body).toEqual({ mine: true });
  });

  test("405 from the router's allowedMethods() is 400 4001001 with its Allow header", async () => {
    const res = await request(server(app)).post('/throw');
    expect(res.status).toBe(400);
    expect(res.headers.allow).toBe('HEAD, GET');
    expect(res.text).toBe(expectedBody('PARAM_VERIFICATION_FAILED'));
  });

  test('HEAD gets the same status and headers, and no body', async () => {
    const get = await request(server(app)).get('/errors/DEVICE_NOT_FOUND');
    const head = await request(server(app)).head('/errors/DEVICE_NOT_FOUND');
    expect(head.status).toBe(404);
    expect(head.headers['content-type']).toBe(get.headers['content-type']);
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
    expect(head.text).toBeUndefined();
  });

  test("the error's headers travel; headers the failed downstream set are cleared, as Koa does", async () => {
    const res = await request(
      server(
        appFor(undefined, undefined, (r) =>
          r.get('/h', (ctx) => {
            ctx.set('X-Partial', 'yes');
            ctx.set('Content-Disposition', 'attachment');
            throw xlinkError('ACCESS_TOKEN_INVALID', { headers: { 'WWW-Authenticate': 'Access-Token' } });
          }),
        ),
      ),
    ).get('/h');
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toBe('Access-Token');
    expect(res.headers['x-partial']).toBeUndefined();
    expect(res.headers['content-disposition']).toBeUndefined();
  });

  test("503s are emitted on app.on('error') with the original error; 4xx are not", async () => {
    const emitted: unknown[] = [];
    const thrown = new Error(secret);
    const errorApp = appFor(() => thrown, { onError: () => {} });
    errorApp.on('error', (err) => emitted.push(err));
    await request(server(errorApp)).get('/throw');
    await request(server(errorApp)).get('/errors/DEVICE_NOT_FOUND');
    await request(server(errorApp)).get('/nowhere');
    expect(emitted).toEqual([thrown]);
  });

  test("a non-error thrown is emitted as the 503 XlinkError that carries it", async () => {
    const emitted: unknown[] = [];
    const errorApp = appFor(() => 'a string', { onError: () => {} });
    errorApp.on('error', (err) => emitted.push(err));
    await request(server(errorApp)).get('/throw');
    expect(emitted).toHaveLength(1);
    expect(emitted[0]).toMatchObject({ code: 5031001, cause: 'a string' });
  });

  test('an error listener that throws changes nothing on the wire', async () => {
    const errorLog = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const errorApp = appFor(() => new Error('x'));
      errorApp.on('error', () => {
        throw new Error('listener broke');
      });
      const res = await request(server(errorApp)).get('/throw');
      expect(res.text).toBe(expectedBody('SERVER_EXCEPTION'));
    } finally {
      errorLog.mockRestore();
    }
  });

  test("Koa's default listener is the 503 log: printed once, with the stack", async () => {
    const errorLog = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const loudApp = appFor(() => new Error('db down'));
      loudApp.silent = false;
      await request(server(loudApp)).get('/throw');
      await request(server(loudApp)).get('/errors/USER_NOT_FOUND');
      expect(errorLog).toHaveBeenCalledTimes(1);
      expect(String(errorLog.mock.calls[0]![0])).toContain('Error: db down');
    } finally {
      errorLog.mockRestore();
    }
  });

  test('with error listeners of its own, the app gets the 503 logged to stderr by the default onError', async () => {
    const errorLog = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const thrown = new Error('db down');
      const listened = appFor(() => thrown);
      listened.on('error', () => {});
      await request(server(listened)).get('/throw');
      await request(server(listened)).get('/errors/USER_NOT_FOUND');
      expect(errorLog).toHaveBeenCalledTimes(1);
      expect(errorLog).toHaveBeenCalledWith('xlink-errors: 503 Server exception:', thrown);
    } finally {
      errorLog.mockRestore();
    }
  });

  test('headers already sent: nothing written twice, the connection is ended, Koa reports it', async () => {
    const emitted: unknown[] = [];
    const streamingApp = appFor(undefined, undefined, (r) =>
      r.get('/stream', (ctx) => {
        ctx.res.writeHead(200, { 'Content-Type': 'text/plain' });
        ctx.res.write('partial');
        throw new Error('midway');
      }),
    );
    streamingApp.on('error', (err) => emitted.push(err));
    const res = await request(server(streamingApp))
      .get('/stream')
      .catch((err: Error) => err);
    // The client sees a cut-off response (or the cut itself), never a second response.
    if (!(res instanceof Error)) expect([undefined, '', 'partial']).toContain(res.text);
    expect(emitted).toHaveLength(1);
    expect((emitted[0] as { headerSent?: boolean }).headerSent).toBe(true);
  });

  test('headers already sent: a user onError still hears of the error, once', async () => {
    const seen: unknown[][] = [];
    const thrown = new Error('midway');
    const streamingApp = appFor(undefined, { onError: (...args: unknown[]) => seen.push(args) }, (r) =>
      r.get('/stream', (ctx) => {
        ctx.res.writeHead(200, { 'Content-Type': 'text/plain' });
        ctx.res.write('partial');
        throw thrown;
      }),
    );
    streamingApp.on('error', () => undefined);
    await request(server(streamingApp)).get('/stream').catch((err: Error) => err);
    expect(seen).toHaveLength(1);
    expect(seen[0]![0]).toBe(thrown);
    expect(seen[0]![1]).toMatchObject({ code: 5031001 });
    expect((seen[0]![2] as Koa.Context).path).toBe('/stream');
  });

  test('onError sees the thrown value, the XlinkError and the context', async () => {
    const seen: unknown[][] = [];
    const thrown = new Error('x');
    await request(server(appFor(() => thrown, { onError: (...args: unknown[]) => seen.push(args) }))).get('/throw');
    expect(seen).toHaveLength(1);
    expect(seen[0]![0]).toBe(thrown);
    expect(seen[0]![1]).toMatchObject({ code: 5031001 });
    expect((seen[0]![2] as Koa.Context).path).toBe('/throw');
  });

  test('map turns a foreign error into a catalog entry', async () => {
    const res = await request(server(appFor(() => new RangeError('x'), { map: (err) => (err instanceof RangeError ? 'PARAM_NULL' : undefined) }))).get('/throw');
    expect(res.text).toBe(expectedBody('PARAM_NULL'));
  });

  test('the handler type fits app.use() of a typed Koa app', () => {
    const handler: XlinkKoaMiddleware = xlinkErrorHandler();
    new KoaApp().use(handler);
  });
});
