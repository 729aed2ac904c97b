// Standard Schema validation (issue 24): zod 4, valibot 1 and arktype 2 given to xlinkValidate on
// Express 5 and 4 and Koa 3 and 2 (with @koa/router and a per-route @koa/bodyparser): 4001002
// when the input at an issue's path is missing or null, 4001001 otherwise; the schema's output
// (transforms, defaults, coercions) is what the route sees; async refinements; nested paths and
// arrays; err.validation and what onError logs carry no submitted value.
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import { type } from 'arktype';
import express, { type Express } from 'express';
import express4 from 'express4';
import Koa from 'koa';
import Koa2 from 'koa2';
import request from 'supertest';
import type { RequestListener } from 'node:http';
import { inspect } from 'node:util';
import * as v from 'valibot';
import { z } from 'zod';
import { xlinkErrorHandler, xlinkValidate, type XlinkValidateSchemas, type XlinkValidationError } from 'xlink-errors';
import { xlinkErrorHandler as koaErrorHandler, xlinkValidate as koaValidate } from 'xlink-errors/koa';
import { expectXlinkError } from 'xlink-errors/testing';

const SECRET = 'hunter2-S3CRET';

/** The same routes' schemas in each library; `async` is absent where the library has no async checks. */
interface Library {
  readonly login: XlinkValidateSchemas;
  readonly list: XlinkValidateSchemas;
  readonly nested: XlinkValidateSchemas;
  readonly async?: XlinkValidateSchemas;
}

const taken = async (password: string) => {
  await new Promise((resolve) => setImmediate(resolve));
  return password !== 'taken-password';
};

const libraries: [string, Library][] = [
  [
    'zod 4',
    {
      login: {
        body: z.strictObject({
          corp_id: z.string().min(1).transform((s) => s.toUpperCase()),
          email: z.email().optional(),
          phone_zone: z.string().default('+86'),
          password: z.string().min(6).max(16),
          role: z.enum(['user', 'admin']).optional(),
        }),
      },
      list: { query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }), params: z.object({ id: z.coerce.number().int() }) },
      nested: { body: z.object({ device: z.object({ name: z.string() }), tags: z.array(z.string()) }) },
      async: { body: z.object({ password: z.string().refine(taken, 'taken') }) },
    },
  ],
  [
    'valibot 1',
    {
      login: {
        body: v.strictObject({
          corp_id: v.pipe(v.string(), v.minLength(1), v.transform((s) => s.toUpperCase())),
          email: v.optional(v.pipe(v.string(), v.email())),
          phone_zone: v.optional(v.string(), '+86'),
          password: v.pipe(v.string(), v.minLength(6), v.maxLength(16)),
          role: v.optional(v.picklist(['user', 'admin'])),
        }),
      },
      list: {
        query: v.object({ limit: v.optional(v.pipe(v.string(), v.transform(Number), v.number(), v.integer(), v.minValue(1), v.maxValue(100)), '20') }),
        params: v.object({ id: v.pipe(v.string(), v.transform(Number), v.number(), v.integer()) }),
      },
      nested: { body: v.object({ device: v.object({ name: v.string() }), tags: v.array(v.string()) }) },
      async: { body: v.objectAsync({ password: v.pipeAsync(v.string(), v.checkAsync(taken, 'taken')) }) },
    },
  ],
  [
    'arktype 2',
    {
      login: {
        body: type({
          corp_id: type('string > 0').pipe((s) => s.toUpperCase()),
          'email?': 'string.email',
          phone_zone: 'string = "+86"',
          password: '6 <= string <= 16',
          'role?': "'user' | 'admin'",
          '+': 'reject',
        }),
      },
      list: { query: type({ limit: ['string.integer.parse', '=', '20'] }).pipe((q) => ({ limit: q.limit })), params: type({ id: 'string.integer.parse' }) },
      nested: { body: type({ device: { name: 'string' }, tags: 'string[]' }) },
    },
  ],
];

type Make = (lib: Library, seen: unknown[]) => RequestListener;

const expressApp =
  (make: () => Express, json: () => express.RequestHandler): Make =>
  (lib, seen) => {
    const app = make();
    app.post('/login', json(), xlinkValidate(lib.login), (req, res) => void res.json({ body: req.body }));
    app.get('/list/:id', xlinkValidate(lib.list), (req, res) => void res.json({ query: req.query, params: req.params }));
    app.post('/nested', json(), xlinkValidate(lib.nested), (req, res) => void res.json({ body: req.body }));
    if (lib.async) app.post('/async', json(), xlinkValidate(lib.async), (req, res) => void res.json({ body: req.body }));
    app.use(xlinkErrorHandler({ onError: (err) => void seen.push(err) }));
    return app;
  };

const koaApp =
  (make: () => Koa): Make =>
  (lib, seen) => {
    const app = make();
    app.use(koaErrorHandler({ onError: (err) => void seen.push(err) }));
    const router = new Router();
    router.post('/login', bodyParser(), koaValidate(lib.login), (ctx) => {
      ctx.body = { body: ctx.request.body };
    });
    router.get('/list/:id', koaValidate(lib.list), (ctx) => {
      ctx.body = { query: ctx.query, params: ctx.params };
    });
    router.post('/nested', bodyParser(), koaValidate(lib.nested), (ctx) => {
      ctx.body = { body: ctx.request.body };
    });
    if (lib.async) {
      router.post('/async', bodyParser(), koaValidate(lib.async), (ctx) => {
        ctx.body = { body: ctx.request.body };
      });
    }
    app.use(router.routes());
    return app.callback();
  };

const frameworks: [string, Make][] = [
  ['Express 5', expressApp(express, () => express.json())],
  ['Express 4', expressApp(express4 as unknown as () => Express, () => (express4 as unknown as typeof express).json())],
  ['Koa 3', koaApp(() => new Koa())],
  ['Koa 2', koaApp(() => new Koa2() as unknown as Koa)],
];

const good = { corp_id: 'corp-1', email: 'ada@example.com', password: 'secret123' };

describe.each(libraries)('%s', (_lib, lib) => {
  describe.each(frameworks)('on %s', (_fw, make) => {
    const seen: unknown[] = [];
    const app = make(lib, seen);
    const lastError = () => seen[seen.length - 1] as XlinkValidationError;

    test('a valid body passes; the route sees the output (transformed, defaults applied)', async () => {
      const res = await request(app).post('/login').send(good);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ body: { ...good, corp_id: 'CORP-1', phone_zone: '+86' } });
    });

    test.each([
      ['a required field missing', { corp_id: 'c', email: 'ada@example.com' }, ['password']],
      ['a required field null', { ...good, password: null }, ['password']],
      ['an optional field null', { ...good, role: null }, ['role']],
      ['no body at all', undefined, ['corp_id']],
    ])('%s is 400 4001002', async (_what, body, path) => {
      const req = request(app).post('/login');
      expectXlinkError(body === undefined ? await req : await req.send(body), 'PARAM_NULL');
      expect(lastError().validation.part).toBe('body');
      expect(lastError().validation.errors).toContainEqual({ path, message: expect.any(String) });
    });

    test.each([
      ['a bad email', { ...good, email: 'not-an-email' }],
      ['a password too short', { ...good, password: '123' }],
      ['a number where a string belongs', { ...good, corp_id: 100 }],
      ['a value not in the enum', { ...good, role: 'root' }],
      ['an extra property', { ...good, admin: true }],
      ['an array for the body', [good]],
    ])('%s is 400 4001001', async (_what, body) => {
      expectXlinkError(await request(app).post('/login').send(body as object), 'PARAM_VERIFICATION_FAILED');
    });

    test('query and params: the output (numbers, defaults) reaches the route; a bad one is 4001001', async () => {
      expect((await request(app).get('/list/7?limit=10')).body).toEqual({ query: { limit: 10 }, params: { id: 7 } });
      expect((await request(app).get('/list/7')).body).toEqual({ query: { limit: 20 }, params: { id: 7 } });
      expectXlinkError(await request(app).get('/list/7?limit=abc'), 'PARAM_VERIFICATION_FAILED');
      expect(lastError().validation).toEqual({ part: 'query', errors: [{ path: ['limit'], message: expect.any(String) }] });
      expectXlinkError(await request(app).get('/list/seven'), 'PARAM_VERIFICATION_FAILED');
      expect(lastError().validation.part).toBe('params');
    });

    test.each([
      ['a nested null', { device: { name: null }, tags: [] }, 'PARAM_NULL', ['device', 'name']],
      ['a nested object missing', { tags: [] }, 'PARAM_NULL', ['device']],
      ['a null array item', { device: { name: 'lamp' }, tags: ['a', null] }, 'PARAM_NULL', ['tags', 1]],
      ['a nested number', { device: { name: 5 }, tags: [] }, 'PARAM_VERIFICATION_FAILED', ['device', 'name']],
      ['a number array item', { device: { name: 'lamp' }, tags: ['a', 'b', 3] }, 'PARAM_VERIFICATION_FAILED', ['tags', 2]],
    ] as const)('nested paths and arrays: %s is %s at its path', async (_what, body, expected, path) => {
      expectXlinkError(await request(app).post('/nested').send(body), expected);
      expect(lastError().validation.errors).toEqual([{ path, message: expect.any(String) }]);
    });

    (lib.async ? test : test.skip)('an async refinement: its failure is 4001001, its success reaches the route', async () => {
      expectXlinkError(await request(app).post('/async').send({ password: 'taken-password' }), 'PARAM_VERIFICATION_FAILED');
      expect(lastError().validation.errors).toEqual([{ path: ['password'], message: 'taken' }]);
      expectXlinkError(await request(app).post('/async').send({}), 'PARAM_NULL');
      const res = await request(app).post('/async').send({ password: 'free-password' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ body: { password: 'free-password' } });
    });

    test('no submitted value in err.validation, in the error, or in what onError logs', async () => {
      const logged: string[] = [];
      const body = { corp_id: SECRET, email: SECRET, password: `${SECRET}-too-long`, role: SECRET };
      const listening = make(lib, []);
      // The same app, with an onError that logs the way loggers do.
      const logging = express();
      logging.use(express.json());
      logging.post('/login', xlinkValidate(lib.login), (_req, res) => void res.end());
      logging.use(xlinkErrorHandler({ onError: (err) => void logged.push(JSON.stringify(err), inspect(err, { depth: 10 }), String((err as Error).message)) }));
      expectXlinkError(await request(listening).post('/login').send(body), 'PARAM_VERIFICATION_FAILED');
      expectXlinkError(await request(logging).post('/login').send(body), 'PARAM_VERIFICATION_FAILED');
      expect(logged.length).toBe(3);
      for (const line of logged) expect(line).not.toContain('S3CRET');
      const issues = lastError().validation.errors;
      expect(issues.length).toBeGreaterThan(0);
      for (const issue of issues) expect(Object.keys(issue).sort()).toEqual(['message', 'path']);
      expect(JSON.stringify(lastError().validation)).not.toContain('S3CRET');
    });
  });
});

describe('library messages that quote the input lose the quote', () => {
  const cases: [string, XlinkValidateSchemas['body'], unknown, string][] = [
    ['valibot, received "..."', v.object({ role: v.picklist(['user', 'admin']) }), { role: SECRET }, 'Invalid type: Expected ("user" | "admin")'],
    ['valibot, received a number', v.object({ pin: v.pipe(v.number(), v.maxValue(10)) }), { pin: 123456 }, 'Invalid value: Expected <=10'],
    ['valibot, Received "..." of a format', v.object({ email: v.pipe(v.string(), v.email()) }), { email: SECRET }, 'Invalid email'],
    ['arktype, (was "...")', type({ role: "'user' | 'admin'" }), { role: SECRET }, 'role must be "admin" or "user"'],
    ['arktype, (was a number)', type({ pin: 'number <= 10' }), { pin: 123456 }, 'pin must be at most 10'],
    ['a custom message repeating the input', z.object({ name: z.string().refine((s) => s.length < 5, { error: (issue) => `${String(issue.input)} is taken` }) }), { name: SECRET }, '… is taken'],
  ];
  test.each(cases)('%s', async (_what, schema, body, message) => {
    const seen: unknown[] = [];
    const app = express();
    app.use(express.json());
    app.post('/', xlinkValidate({ body: schema! }), (_req, res) => void res.end());
    app.use(xlinkErrorHandler({ onError: (err) => void seen.push(err) }));
    expectXlinkError(await request(app).post('/').send(body as object), 'PARAM_VERIFICATION_FAILED');
    const { errors } = (seen[0] as XlinkValidationError).validation;
    expect(errors).toEqual([{ path: [Object.keys(body as object)[0]], message }]);
  });
});

describe('schemas that are broken, and input that is hostile', () => {
  const serve = (schema: XlinkValidateSchemas['body'], logs: unknown[][] = []) => {
    const app = express();
    app.use(express.json());
    app.post('/', xlinkValidate({ body: schema! }), (req, res) => void res.json(req.body));
    app.use(xlinkErrorHandler({ onError: (err, xlinkErr) => void logs.push([xlinkErr.code, err]) }));
    return app;
  };
  const standard = (validate: (value: unknown) => unknown) => ({ '~standard': { version: 1 as const, vendor: 'test', validate } }) as never;

  test.each([
    ['validate throws', () => {
      throw new Error(`db down ${SECRET}`);
    }],
    ['validate returns nothing', () => undefined],
    ['validate rejects', () => Promise.reject(new Error(SECRET))],
    ['validate resolves to null', () => Promise.resolve(null)],
  ])('%s: 503, and the message does not leak', async (_what, validate) => {
    const logs: unknown[][] = [];
    const res = await request(serve(standard(validate), logs)).post('/').send({ a: 1 });
    expectXlinkError(res, 'SERVER_EXCEPTION');
    expect(res.text).not.toContain('S3CRET');
    expect(logs).toEqual([[5031001, expect.any(Error)]]); // the user's onError heard of it (the default would log it)
  });

  test('a transform that throws an XlinkError answers with it', async () => {
    const schema = z.object({ id: z.number().transform(() => {
      throw Object.assign(new Error('not found'), { status: 404 });
    }) });
    expectXlinkError(await request(serve(schema)).post('/').send({ id: 1 }), 'URL_NOT_FOUND');
  });

  test('an object with a "~standard" that is not version 1 is a TypeError at setup', () => {
    expect(() => xlinkValidate({ body: { '~standard': { version: 2, validate: () => ({ value: 1 }) } } })).toThrow(
      new TypeError('xlinkValidate: the body schema has a "~standard" property but is not a Standard Schema v1 (version 1 and a validate function)'),
    );
    expect(() => koaValidate({ query: { '~standard': null } })).toThrow(TypeError);
  });

  test('hostile bodies never crash and never leak: deep nesting, __proto__ keys, huge arrays', async () => {
    const app = serve(z.strictObject({ a: z.array(z.string()).max(3) }));
    let deep = '1';
    for (let i = 0; i < 2000; i++) deep = `[${deep}]`;
    for (const body of [`{"a":${deep}}`, '{"__proto__":{"polluted":1},"a":[]}', `{"a":[${'"x",'.repeat(5000)}"x"]}`, '{"a":[],"constructor":{"prototype":{"x":1}}}']) {
      const res = await request(app).post('/').set('Content-Type', 'application/json').send(body);
      expectXlinkError(res, 'PARAM_VERIFICATION_FAILED');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
