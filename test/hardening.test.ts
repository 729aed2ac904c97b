/**
 * Hostile input, failing hooks, odd text and transport faults: whatever reaches the handlers,
 * the answer is a valid envelope on one of the four Xlink statuses, nothing of a 5xx leaks, and
 * the server keeps serving.
 */
import Router from '@koa/router';
import express from 'express';
import createError from 'http-errors';
import fc from 'fast-check';
import Koa from 'koa';
import Koa2 from 'koa2';
import request from 'supertest';
import { Readable } from 'node:stream';
import { createServer, request as httpRequest, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { XLINK_ERRORS, isXlinkError, toXlinkError, validateXlinkEnvelope, xlinkError, xlinkErrorHandler, xlinkNotFound, type XlinkHandlerOptions } from 'xlink-errors';
import { xlinkErrorHandler as xlinkKoaErrorHandler } from 'xlink-errors/koa';
import { expectXlinkError } from 'xlink-errors/testing';
import { bodyOf } from '../src/core/wire.js';

const SECRET = 'S3CRET-d8f1';

/**
 * Values a route can throw, hostile ones included; many carry SECRET in what a 503 must not
 * leak. Each comes as a thunk that makes it, so that fast-check itself never has to touch a
 * Proxy whose traps throw (it would, to clone or print it).
 */
function hostile(): fc.Arbitrary<() => unknown> {
  return hostileValues().map((make) => make);
}

function hostileValues(): fc.Arbitrary<() => unknown> {
  const status = fc.oneof(
    fc.integer({ min: -1000, max: 1000 }),
    fc.constantFrom(400, 401, 403, 404, 405, 413, 422, 429, 499, 500, 502, 503, 599, 600, NaN, Infinity, -0, 404.5),
    fc.constantFrom('404', '500', null, undefined, true, {}, [], 10n),
  );
  const headers = fc.oneof(
    fc.constant(undefined),
    fc.dictionary(fc.string({ maxLength: 12 }), fc.oneof(fc.string({ maxLength: 12 }), fc.constant(`x\r\nSet-Cookie: ${SECRET}`), fc.constant(SECRET), fc.integer(), fc.constant(null))),
    fc.constant('not-an-object'),
  );
  const errorWithProps = fc
    .record({ status, statusCode: status, expose: fc.oneof(fc.boolean(), fc.constant(SECRET)), headers, code: fc.oneof(fc.constant(4041008), fc.string()) }, { requiredKeys: [] })
    .chain((props) =>
      fc.constantFrom<() => Error>(
        () => new Error(SECRET),
        () => new TypeError(SECRET),
        () => new RangeError(SECRET),
        () => new AggregateError([new Error(SECRET)], SECRET),
        () => createError(500, SECRET),
      ).map((make) => Object.assign(make(), props, { detail: SECRET })),
    );
  const throwingGetters = fc.constantFrom('message', 'status', 'statusCode', 'headers', 'stack', 'expose', 'name', 'toJSON').map((key) => {
    const err = new Error(SECRET);
    Object.defineProperty(err, key, { get: () => { throw new Error(SECRET); } });
    return err;
  });
  const proxy = fc.constantFrom(
    () => new Proxy({}, trapsThatThrow()),
    () => new Proxy(new Error(SECRET), trapsThatThrow()),
    () => new Proxy(() => {}, trapsThatThrow()),
  );
  const circular = fc.constant(null).map(() => {
    const err: Error & { self?: unknown; status?: number } = new Error(SECRET);
    err.self = err;
    err.status = 404;
    return err;
  });
  const badJson = fc.constant(null).map(() => Object.assign(new Error(SECRET), { toJSON: () => { throw new Error(SECRET); } }));
  const forgedXlink = fc.record({ errorName: fc.oneof(fc.constant('DEVICE_NOT_FOUND'), fc.string()), code: fc.oneof(fc.constant(5031001), fc.integer()), message: fc.oneof(fc.string(), fc.integer()), headers }).map(
    (fields) => Object.assign(Object.create({ [Symbol.for('xlink-errors.XlinkError')]: true }), fields),
  );
  const mutatedXlink = fc.record({ status: status, errorName: fc.string(), headers }, { requiredKeys: [] }).map((fields) => Object.assign(xlinkError('USER_NOT_FOUND'), fields));
  const value = <T>(arb: fc.Arbitrary<T>) => arb.map((v) => () => v);
  return fc.oneof(
    value(fc.anything({ withBigInt: true, withMap: true, withSet: true, withTypedArray: true, withDate: true, withNullPrototype: true, withBoxedValues: true })),
    value(fc.constantFrom(Symbol(SECRET), 10n, undefined, null, NaN, SECRET)),
    value(errorWithProps),
    value(throwingGetters),
    proxy,
    value(circular),
    value(badJson),
    value(forgedXlink),
    value(mutatedXlink),
    value(fc.constantFrom(...(Object.keys(XLINK_ERRORS) as (keyof typeof XLINK_ERRORS)[])).map((name) => xlinkError(name))),
  );
}

function trapsThatThrow(): ProxyHandler<object> {
  const fail = () => {
    throw new Error(SECRET);
  };
  return { get: fail, has: fail, ownKeys: fail, getPrototypeOf: fail, getOwnPropertyDescriptor: fail, apply: fail, construct: fail, set: fail, defineProperty: fail, deleteProperty: fail, isExtensible: fail, preventExtensions: fail, setPrototypeOf: fail };
}

/** The invariants of one response, whatever was thrown. */
function checkAnswer(status: number, headers: Record<string, unknown>, text: string): void {
  expect([400, 403, 404, 503]).toContain(status);
  expect(headers['content-type']).toBe('application/json; charset=utf-8');
  expect(Number(headers['content-length'])).toBe(Buffer.byteLength(text));
  const body = JSON.parse(text) as { error: { code: number } };
  expect(validateXlinkEnvelope(body)).toBe(true);
  expect(String(body.error.code).slice(0, 3)).toBe(String(status));
  if (status === 503) {
    expect(text).toBe('{"error":{"code":5031001,"msg":"Server exception"}}');
    expect(JSON.stringify(headers)).not.toContain(SECRET);
  }
}

describe('the core, with anything thrown', () => {
  test('toXlinkError never throws and always gives a catalog error whose body is a valid envelope', () => {
    fc.assert(
      fc.property(hostile(), (make) => {
        const err = toXlinkError(make());
        expect(isXlinkError(err)).toBe(true);
        const body = bodyOf(err, 'number', 'en').bytes.toString();
        checkAnswer(err.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...err.headers }, body);
      }),
      { numRuns: 2000 },
    );
  });

  test('a map that throws or returns garbage gives a 503; one that returns a key is used', () => {
    fc.assert(
      fc.property(hostile(), fc.anything(), (make, returned) => {
        const thrown = make();
        const err = toXlinkError(thrown, { map: () => returned as never });
        expect(isXlinkError(err)).toBe(true);
        if (returned !== undefined && !isXlinkError(returned)) {
          const record = Object.values(XLINK_ERRORS).find((e) => e.code === returned || String(e.code) === returned);
          const named = typeof returned === 'string' && Object.hasOwn(XLINK_ERRORS, returned);
          expect(err.code).toBe(named ? XLINK_ERRORS[returned as keyof typeof XLINK_ERRORS].code : (record?.code ?? 5031001));
        }
        expect(toXlinkError(thrown, { map: () => { throw new Error(SECRET); } }).code).toBe(5031001);
      }),
      { numRuns: 500 },
    );
  });

  test('an XlinkError changed by hand is answered as its catalog entry says, with checked headers', () => {
    const err = xlinkError('USER_NOT_FOUND');
    Object.assign(err, { status: 200, headers: { 'X-Bad': 'a\r\nb', 'X-Good': 'ok' } });
    const answered = toXlinkError(err);
    expect([answered.status, answered.code, answered.headers]).toEqual([404, 4041011, { 'X-Good': 'ok' }]);
    Object.assign(err, { errorName: 'NOPE', code: 42 });
    expect(toXlinkError(err).code).toBe(5031001);
  });

  test('a 503 from another copy of the package carries none of its headers', () => {
    const other = Object.assign(Object.create({ [Symbol.for('xlink-errors.XlinkError')]: true }), { errorName: 'NOPE', code: 5031001, headers: { 'X-Internal': SECRET } });
    const answered = toXlinkError(other);
    expect([answered.code, answered.headers]).toEqual([5031001, undefined]);
  });
});

describe('hostile options are a TypeError when the error is made', () => {
  const forbidden = fc.constantFrom('\r', '\n', '\u0000', '\u0001', '\u007f', '\r\n');
  test('header values with CR, LF or other control characters', () => {
    fc.assert(
      fc.property(fc.string(), forbidden, fc.string(), (before, bad, after) => {
        expect(() => xlinkError('DEVICE_NOT_FOUND', { headers: { 'X-Value': before + bad + after } })).toThrow(TypeError);
      }),
    );
  });

  test('header names that are not HTTP tokens', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(' ', ':', '\r', '\n', '(', '"', '\u00e9'), (name, bad) => {
        expect(() => xlinkError('DEVICE_NOT_FOUND', { headers: { [name + bad]: 'v' } })).toThrow(TypeError);
      }),
    );
  });

  test('headers that would override the framing, type or encoding of the body, or the connection', () => {
    const refused = ['Content-Type', 'Content-Length', 'Content-Encoding', 'Transfer-Encoding', 'Trailer', 'Connection', 'Keep-Alive', 'Upgrade', 'TE'];
    for (const name of [...refused, ...refused.map((n) => n.toLowerCase()), ...refused.map((n) => n.toUpperCase())]) {
      expect(() => xlinkError('DEVICE_NOT_FOUND', { headers: { [name]: '1' } })).toThrow(TypeError);
    }
  });

  test('a msg that is not a string', () => {
    fc.assert(
      fc.property(fc.anything().filter((v) => typeof v !== 'string' && v !== undefined), (msg) => {
        expect(() => xlinkError('DEVICE_NOT_FOUND', { msg: msg as never })).toThrow(TypeError);
      }),
    );
  });
});

type Framework = [string, (thrownFor: (id: string) => unknown, options?: XlinkHandlerOptions<never>) => RequestListener];

const frameworks: Framework[] = [
  [
    'Express',
    (thrownFor, options) => {
      const app = express();
      app.get('/health', (_req, res) => void res.send('ok'));
      app.get('/throw/:id', (req, _res, next) => next(thrownFor(req.params.id)));
      app.get('/msg/:id', (req) => {
        throw xlinkError('DEVICE_NOT_FOUND', { msg: thrownFor(req.params.id) as string });
      });
      app.use(xlinkNotFound());
      app.use(xlinkErrorHandler({ onError: () => {}, ...(options as object) }));
      return app;
    },
  ],
  [
    'Koa',
    (thrownFor, options) => {
      const app = new Koa();
      app.silent = true;
      app.use(xlinkKoaErrorHandler(options as never));
      const router = new Router();
      router.get('/health', (ctx) => void (ctx.body = 'ok'));
      router.get('/throw/:id', (ctx) => {
        throw thrownFor(ctx.params.id!);
      });
      router.get('/msg/:id', (ctx) => {
        throw xlinkError('DEVICE_NOT_FOUND', { msg: thrownFor(ctx.params.id!) as string });
      });
      app.use(router.routes());
      return app.callback();
    },
  ],
];

describe.each(frameworks)('%s, with anything thrown', (_label, makeApp) => {
  test('every answer is a valid envelope on an Xlink status, nothing of a 503 leaks, and the server keeps serving', async () => {
    const pending = new Map<string, () => unknown>();
    let next = 0;
    const server = createServer(makeApp((id) => pending.get(id)?.())).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const agent = request(server);
    try {
      await fc.assert(
        fc.asyncProperty(hostile(), async (make) => {
          const id = String(next++);
          pending.set(id, make);
          const res = await agent.get(`/throw/${id}`);
          pending.delete(id);
          checkAnswer(res.status, res.headers, res.text);
        }),
        { numRuns: 400 },
      );
      expect((await agent.get('/health')).text).toBe('ok');
    } finally {
      server.close();
    }
  }, 60_000);

  test('hooks that fail: a map that throws or returns garbage, an onError that throws', async () => {
    const errorLog = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const garbage = [() => { throw new Error(SECRET); }, () => ({ code: 4041008 }), () => 'NOPE', () => Symbol(SECRET), () => new Proxy({}, trapsThatThrow())];
      for (const map of garbage) {
        const app = makeApp(() => new Error(SECRET), { map: map as never, onError: () => { throw new Error(SECRET); } });
        const res = await request(app).get('/throw/1');
        checkAnswer(res.status, res.headers, res.text);
        expect(res.status).toBe(503);
      }
    } finally {
      errorLog.mockRestore();
    }
  });

  test('odd legal text in a custom msg: valid JSON and an exact Content-Length', async () => {
    const texts = new Map<string, string>();
    const app = makeApp((id) => texts.get(id));
    const samples = ['', 'Gerät offline', '设备不存在', 'tab\there', '\u0000\u0001\u001f', '\ud800 lone', 'end \udfff', '"quoted" \\ back', '\u2028\u2029', 'x'.repeat(200 * 1024)];
    const more = fc.sample(fc.string({ unit: 'binary', maxLength: 50 }), 40);
    let i = 0;
    for (const msg of [...samples, ...more]) {
      const id = String(i++);
      texts.set(id, msg);
      const res = await request(app).get(`/msg/${id}`);
      checkAnswer(res.status, res.headers, res.text);
      expect(JSON.parse(res.text)).toEqual({ error: { code: 4041008, msg } });
    }
  });

  test('a client that aborts while the error is being made: no crash, and the server keeps serving', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = makeApp(() => undefined);
    const server = createServer(async (req, res) => {
      if (req.url === '/slow') {
        await gate; // the client is gone by now
        (req as { url: string }).url = '/throw/x';
      }
      slow(req, res);
    }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await new Promise<void>((resolve) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: '/slow' });
        req.on('error', () => resolve());
        req.end();
        setTimeout(() => {
          req.destroy();
          setTimeout(() => {
            release();
            resolve();
          }, 20);
        }, 50);
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await request(server).get('/health')).text).toBe('ok');
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      server.close();
    }
  });
});

/** The header names a foreign error may put on the wire, and what Node, Express and the envelope add. */
const FOREIGN_ALLOWED = ['www-authenticate', 'proxy-authenticate', 'allow', 'retry-after', 'access-control-allow-origin', 'access-control-expose-headers'];
const ALWAYS_THERE = ['content-type', 'content-length', 'date', 'connection', 'keep-alive', 'x-powered-by', 'cache-control'];

/** Header maps as foreign errors carry them: hostile names, values, casing and shapes. */
function foreignHeaderMaps(): fc.Arbitrary<Record<string, unknown>> {
  const dangerous = ['Trailer', 'Content-Encoding', 'Transfer-Encoding', 'Content-Length', 'Content-Type', 'Connection', 'Keep-Alive', 'Upgrade', 'TE', 'Set-Cookie', 'Location', 'ETag', 'Last-Modified', 'Content-Range', 'Content-Disposition', 'Content-Language', 'Cache-Control', 'Vary', 'X-Internal-Trace', '__proto__', 'constructor'];
  const allowed = ['WWW-Authenticate', 'Proxy-Authenticate', 'Allow', 'Retry-After', 'Access-Control-Allow-Origin', 'Access-Control-Expose-Headers'];
  const name = fc.oneof(
    fc.constantFrom(...dangerous, ...allowed),
    fc.constantFrom(...dangerous, ...allowed).chain((n) => fc.constantFrom(n.toLowerCase(), n.toUpperCase())),
    fc.string({ maxLength: 16 }),
  );
  const value = fc.oneof(
    fc.string({ maxLength: 16 }),
    fc.constantFrom(SECRET, `x\r\nSet-Cookie: ${SECRET}`, 'gzip', 'chunked', 'Expires', '', '\u0000'),
    fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.constant(SECRET)), { maxLength: 3 }),
    fc.integer(),
    fc.constantFrom(null, undefined, NaN, Infinity, {}, true),
  );
  return fc.dictionary(name, value, { maxKeys: 8 });
}

/** Foreign errors carrying such headers, as thunks: http-errors, undici-like, plain ones. */
function foreignErrorsWithHeaders(): fc.Arbitrary<() => unknown> {
  const status = fc.constantFrom(400, 401, 403, 404, 405, 409, 413, 429, 500, 502, 503);
  return fc.tuple(status, foreignHeaderMaps(), fc.constantFrom('http-errors', 'undici', 'plain')).map(([code, headers, kind]) => () => {
    if (kind === 'http-errors') return Object.assign(createError(code, SECRET), { headers });
    if (kind === 'undici') return Object.assign(new Error(SECRET), { name: 'ResponseStatusCodeError', code: 'UND_ERR_RESPONSE_STATUS_CODE', status: code, statusCode: code, headers, body: SECRET });
    return Object.assign(new Error(SECRET), { statusCode: code, headers });
  });
}

describe.each(frameworks)('%s, with foreign errors carrying any headers', (_label, makeApp) => {
  test('never a crash, a hang or a header off the allow-list on the wire', async () => {
    const pending = new Map<string, () => unknown>();
    let next = 0;
    const faults: unknown[] = [];
    const onFault = (reason: unknown) => faults.push(reason);
    process.on('unhandledRejection', onFault);
    process.on('uncaughtException', onFault);
    const server = createServer(makeApp((id) => pending.get(id)?.())).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const agent = request(server);
    try {
      await fc.assert(
        fc.asyncProperty(foreignErrorsWithHeaders(), async (make) => {
          const id = String(next++);
          pending.set(id, make);
          const res = await agent.get(`/throw/${id}`).timeout(5000);
          pending.delete(id);
          checkAnswer(res.status, res.headers, res.text);
          for (const [name, value] of Object.entries(res.headers)) {
            expect([...FOREIGN_ALLOWED, ...ALWAYS_THERE]).toContain(name);
            if (!FOREIGN_ALLOWED.includes(name)) expect(String(value)).not.toContain(SECRET); // what Node and the envelope wrote
          }
          if (res.status === 503) expect(res.headers['cache-control']).toBe('no-store');
          else expect(res.headers['cache-control']).toBeUndefined();
        }),
        { numRuns: 300 },
      );
      expect((await agent.get('/health')).text).toBe('ok');
      expect(faults).toEqual([]);
    } finally {
      process.off('unhandledRejection', onFault);
      process.off('uncaughtException', onFault);
      server.close();
    }
  }, 60_000);
});

describe('headers already sent, and a hostile value thrown', () => {
  const hostileValues: [string, () => unknown][] = [
    ['a Proxy whose traps throw', () => new Proxy({}, trapsThatThrow())],
    ['a Proxy of an Error', () => new Proxy(new Error(SECRET), trapsThatThrow())],
    ['an Error whose message getter throws', () => Object.defineProperty(new Error(SECRET), 'message', { get: () => { throw new Error(SECRET); } })],
    ['a BigInt', () => 10n],
    ['a Symbol', () => Symbol(SECRET)],
  ];

  test.each(hostileValues)('Express: %s goes on as an error finalhandler can read; the server keeps serving', async (_what, make) => {
    const passedOn: unknown[] = [];
    const app = express();
    app.get('/health', (_req, res) => void res.send('ok'));
    app.get('/', (_req, res, next) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('partial');
      next(make());
    });
    app.use(xlinkErrorHandler({ onError: () => {} }));
    app.use((err: unknown, _req: express.Request, _res: express.Response, next: express.NextFunction) => {
      passedOn.push(err);
      next(err); // on to Express's own finalhandler, which reads status, headers and stack
    });
    const errorLog = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      await request(app).get('/').catch(() => undefined);
      expect(isXlinkError(passedOn[0])).toBe(true);
      expect((await request(app).get('/health')).text).toBe('ok');
    } finally {
      errorLog.mockRestore();
    }
  });

  test.each(hostileValues)('Koa: %s is reported without an unhandled rejection; the server keeps serving', async (_what, make) => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const emitted: unknown[] = [];
    const app = new Koa();
    app.on('error', (err) => emitted.push(err));
    app.use(xlinkKoaErrorHandler());
    app.use((ctx) => {
      if (ctx.path === '/health') return void (ctx.body = 'ok');
      ctx.res.writeHead(200, { 'Content-Type': 'text/plain' });
      ctx.res.write('partial');
      throw make();
    });
    const server = app.callback();
    try {
      await request(server).get('/').catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
      expect(emitted).toHaveLength(1);
      expect(isXlinkError(emitted[0])).toBe(true);
      expect((await request(server).get('/health')).text).toBe('ok');
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('streaming responses that fail midway', () => {
  function failingStream(chunksBeforeFailure: number): Readable {
    let sent = 0;
    return new Readable({
      read() {
        if (sent < chunksBeforeFailure) {
          sent++;
          this.push('partial ');
        } else this.destroy(new Error(SECRET));
      },
    });
  }

  test('Express: the error after the headers goes to next(err) and the connection is cut, nothing written twice', async () => {
    const app = express();
    app.get('/stream', (_req, res, next) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      failingStream(2).on('error', next).pipe(res);
    });
    app.use(xlinkErrorHandler({ onError: () => {} }));
    const outcome = await request(app).get('/stream').then((res) => res.text, (err: Error) => err.message);
    expect(outcome).not.toContain('error');
    expect(outcome).not.toContain(SECRET);
  });

  // Koa 3 pipes with stream.pipeline, which destroys the response when the stream fails: the
  // connection is cut either way. Koa 2 pipes by hand: before any byte the handler still
  // answers with the envelope; after, it cuts the connection (Koa 2 alone would leave it open).
  const koas = { 'Koa 3': Koa, 'Koa 2': Koa2 as unknown as typeof Koa };
  test.each([
    ['Koa 3', 'before any byte', 0],
    ['Koa 3', 'after some bytes', 2],
    ['Koa 2', 'before any byte', 0],
    ['Koa 2', 'after some bytes', 2],
  ] as const)('%s, a stream body that fails %s: an envelope or a cut connection, never a hang or a leak', async (label, _what, chunks) => {
    const emitted: unknown[] = [];
    const app = new koas[label]();
    app.on('error', (err) => emitted.push(err));
    app.use(xlinkKoaErrorHandler({ onError: () => {} }));
    app.use((ctx) => {
      ctx.type = 'text/plain';
      ctx.body = failingStream(chunks);
    });
    const outcome = await request(app.callback())
      .get('/')
      .timeout(5000)
      .then((res) => res, (err: Error) => err);
    if (typeof (outcome as { status?: unknown }).status !== 'number') {
      expect((outcome as Error).message).not.toMatch(/timeout/i); // cut, not left hanging
    } else if (chunks === 0) {
      expectXlinkError(outcome as request.Response, 'SERVER_EXCEPTION');
    } else {
      expect(String((outcome as request.Response).text)).not.toContain(SECRET);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(emitted).toHaveLength(1);
  });
});
