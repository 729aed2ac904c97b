import Router from '@koa/router';
import express from 'express';
import Koa from 'koa';
import request from 'supertest';
import type { RequestListener } from 'node:http';
import { xlinkErrorHandler, xlinkNotFound, xlinkValidate, type XlinkValidateOptions, type XlinkValidateSchemas, type XlinkValidationError } from 'xlink-errors';
import { xlinkErrorHandler as xlinkKoaErrorHandler, xlinkValidate as xlinkKoaValidate } from 'xlink-errors/koa';
import { expectXlinkError } from 'xlink-errors/testing';

/** POST /v2/user_auth as Xlink documents it (user identity API, login). */
const login = {
  body: {
    type: 'object',
    required: ['corp_id', 'password'],
    properties: {
      corp_id: { type: 'string', minLength: 1, maxLength: 64 },
      email: { type: 'string', format: 'email' },
      phone: { type: 'string', pattern: '^[0-9]{5,20}$' },
      phone_zone: { type: 'string', default: '+86' },
      password: { type: 'string', minLength: 6, maxLength: 16 },
      resource: { type: 'string', maxLength: 16 },
    },
    oneOf: [{ required: ['email'] }, { required: ['phone'] }],
    additionalProperties: false,
  },
} as const satisfies XlinkValidateSchemas;

const list = {
  query: {
    type: 'object',
    properties: { limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 }, offset: { type: 'integer', minimum: 0 } },
    additionalProperties: false,
  },
  params: { type: 'object', properties: { user_id: { type: 'integer' } } },
  headers: { type: 'object', required: ['access-token'], properties: { 'access-token': { type: 'string', minLength: 8 } } },
} as const satisfies XlinkValidateSchemas;

type Seen = { body?: unknown; query?: unknown; params?: unknown };

/** The same two routes on Express and Koa; each answers with what it saw after validation. */
const servers: [string, (options?: XlinkValidateOptions, errors?: unknown[]) => RequestListener][] = [
  [
    'Express',
    (options, errors) => {
      const app = express();
      app.use(express.json({ type: () => true }));
      app.post('/v2/user_auth', xlinkValidate(login, options), (req, res) => void res.json({ body: req.body } satisfies Seen));
      app.get('/v2/user/:user_id/list', xlinkValidate(list, options), (req, res) => void res.json({ query: req.query, params: req.params } satisfies Seen));
      app.use(xlinkNotFound());
      app.use(xlinkErrorHandler({ onError: (err) => errors?.push(err) }));
      return app;
    },
  ],
  [
    'Koa',
    (options, errors) => {
      const app = new Koa();
      app.use(xlinkKoaErrorHandler({ onError: (err) => errors?.push(err) }));
      app.use(async (ctx, next) => {
        // A minimal JSON body reader for the test (the examples have a complete one).
        let raw = '';
        for await (const chunk of ctx.req) raw += chunk;
        if (raw !== '') (ctx.request as { body?: unknown }).body = JSON.parse(raw);
        await next();
      });
      const router = new Router();
      router.post('/v2/user_auth', xlinkKoaValidate(login, options), (ctx) => {
        ctx.body = { body: (ctx.request as { body?: unknown }).body } satisfies Seen;
      });
      router.get('/v2/user/:user_id/list', xlinkKoaValidate(list, options), (ctx) => {
        ctx.body = { query: { ...ctx.query }, params: ctx.params } satisfies Seen;
      });
      app.use(router.routes());
      return app.callback();
    },
  ],
];

const good = { corp_id: '100fa2b6', email: 'ada@example.com', password: 'secret123' };

describe.each(servers)('%s', (_label, serve) => {
  const app = serve();

  test('a valid body passes, with defaults applied', async () => {
    const res = await request(app).post('/v2/user_auth').send(good);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ body: { ...good, phone_zone: '+86' } });
  });

  test.each([
    ['a required field missing', { corp_id: '100fa2b6', email: 'ada@example.com' }],
    ['a required field null', { ...good, password: null }],
    ['an optional field null', { ...good, resource: null }],
    ['no body at all', undefined],
  ])('%s is 400 4001002 PARAM_NULL', async (_what, body) => {
    const req = request(app).post('/v2/user_auth');
    const res = body === undefined ? await req : await req.send(body);
    expectXlinkError(res, 'PARAM_NULL');
  });

  test.each([
    ['a bad email format', { ...good, email: 'not-an-email' }],
    ['a password too short', { ...good, password: '123' }],
    ['a password too long', { ...good, password: 'x'.repeat(17) }],
    ['a number where a string belongs', { ...good, corp_id: 100 }],
    ['a numeric string is not coerced in a body', { ...good, password: 12345678 }],
    ['an extra property', { ...good, admin: true }],
    ['both email and phone (oneOf)', { ...good, phone: '13800000000' }],
    ['an array for the body', [good]],
  ])('%s is 400 4001001 PARAM_VERIFICATION_FAILED', async (_what, body) => {
    expectXlinkError(await request(app).post('/v2/user_auth').send(body as object), 'PARAM_VERIFICATION_FAILED');
  });

  test('?limit=10 reaches the route as the integer 10; params are coerced too; defaults apply', async () => {
    const res = await request(app).get('/v2/user/42/list?limit=10').set('Access-Token', 'abcdefgh12');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ query: { limit: 10 }, params: { user_id: 42 } });
    const defaults = await request(app).get('/v2/user/42/list').set('Access-Token', 'abcdefgh12');
    expect(defaults.body.query).toEqual({ limit: 20 });
  });

  test.each([
    ['?limit=abc', 'abcdefgh12', 'PARAM_VERIFICATION_FAILED'],
    ['?limit=1000', 'abcdefgh12', 'PARAM_VERIFICATION_FAILED'],
    ['?limit=10&debug=1', 'abcdefgh12', 'PARAM_VERIFICATION_FAILED'],
    ['?limit=10', undefined, 'PARAM_NULL'],
    ['?limit=10', 'short', 'PARAM_VERIFICATION_FAILED'],
  ] as const)('query %s with Access-Token %p is %s', async (query, token, expected) => {
    const req = request(app).get(`/v2/user/42/list${query}`);
    expectXlinkError(token === undefined ? await req : await req.set('Access-Token', token), expected);
  });

  test('a param of the wrong type is 400 4001001', async () => {
    expectXlinkError(await request(app).get('/v2/user/abc/list').set('Access-Token', 'abcdefgh12'), 'PARAM_VERIFICATION_FAILED');
  });

  test('the ajv errors travel on the thrown XlinkError', async () => {
    const errors: unknown[] = [];
    await request(serve(undefined, errors)).post('/v2/user_auth').send({ ...good, password: '1' });
    const err = errors[0] as XlinkValidationError;
    expect(err.code).toBe(4001001);
    expect(err.validation.part).toBe('body');
    expect(err.validation.errors[0]).toMatchObject({ keyword: 'minLength', instancePath: '/password' });
  });

  test.each([
    ['one violation', {}, { ...good, password: 'Pa55-S3CRET-word!' }],
    ['every violation (allErrors)', { allErrors: true }, { corp_id: 'S3CRET-corp', email: 'S3CRET-mail', password: 'S3CRET-too-long-password' }],
  ])('err.validation carries no submitted value and no schema (%s): safe to log', async (_what, options, body) => {
    const errors: unknown[] = [];
    await request(serve(options, errors)).post('/v2/user_auth').send(body);
    const { validation } = errors[0] as XlinkValidationError;
    expect(validation.errors.length).toBeGreaterThan(0);
    for (const issue of validation.errors) {
      expect(Object.keys(issue).sort()).toEqual(['instancePath', 'keyword', 'message', 'params', 'schemaPath']);
    }
    expect(JSON.stringify(validation)).not.toContain('S3CRET');
    expect(JSON.stringify(validation)).not.toContain('maxLength":16'); // no schema either
  });

  test('fieldInMsg names the offending field', async () => {
    const named = serve({ fieldInMsg: true });
    expectXlinkError(await request(named).post('/v2/user_auth').send({ ...good, password: null }), 'PARAM_NULL', { msg: 'Requested variable null. (body.password)' });
    expectXlinkError(await request(named).post('/v2/user_auth').send({ corp_id: 'x', email: 'a@b.co' }), 'PARAM_NULL', { msg: 'Requested variable null. (body.password)' });
    expectXlinkError(await request(named).post('/v2/user_auth').send({ ...good, email: 'nope' }), 'PARAM_VERIFICATION_FAILED', {
      msg: 'Requested variable verification failed (body.email)',
    });
  });

  test('fieldInMsg never reflects user input: odd property names are not named', async () => {
    const named = serve({ fieldInMsg: true, allErrors: false });
    const res = await request(named).post('/v2/user_auth').send({ ...good, '<script>alert(1)</script>': 1 });
    expectXlinkError(res, 'PARAM_VERIFICATION_FAILED', { msg: 'Requested variable verification failed (body)' });
  });

  test('allErrors collects every violation', async () => {
    const errors: unknown[] = [];
    await request(serve({ allErrors: true }, errors)).post('/v2/user_auth').send({ corp_id: 1, email: 'x', password: '1' });
    expect((errors[0] as XlinkValidationError).validation.errors.length).toBeGreaterThan(2);
  });
});

describe('null or not, without ajv copying the data into its errors', () => {
  const schemas = {
    body: {
      type: 'object',
      properties: {
        device: { type: 'object', properties: { name: { type: 'string' }, 'a/b~c': { type: 'string' } } },
        tags: { type: 'array', items: { type: 'string' } },
      },
    },
  } as const satisfies XlinkValidateSchemas;
  const app = express();
  app.use(express.json());
  app.post('/', xlinkValidate(schemas), (_req, res) => void res.end());
  app.use(xlinkErrorHandler());

  test.each([
    ['a nested null', '{"device":{"name":null}}', 'PARAM_NULL'],
    ['a null array item', '{"tags":["a",null]}', 'PARAM_NULL'],
    ['a null under an escaped name', '{"device":{"a/b~c":null}}', 'PARAM_NULL'],
    ['a nested number', '{"device":{"name":5}}', 'PARAM_VERIFICATION_FAILED'],
    ['a number array item', '{"tags":[1]}', 'PARAM_VERIFICATION_FAILED'],
    ['a null object', '{"device":null}', 'PARAM_NULL'],
  ])('%s', async (_what, body, expected) => {
    expectXlinkError(await request(app).post('/').set('Content-Type', 'application/json').send(body), expected as 'PARAM_NULL');
  });
});

describe('setup', () => {
  test('an invalid schema throws when the middleware is made, with ajv’s message', () => {
    expect(() => xlinkValidate({ body: { type: 'object', properties: { a: { type: 'strng' } } } })).toThrow(/xlinkValidate: invalid body schema: .*type/);
    expect(() => xlinkKoaValidate({ query: { type: 'object', requird: ['a'] } })).toThrow(/xlinkValidate: invalid query schema: strict mode: unknown keyword: "requird"/);
  });

  test('unknown parts and non-schemas are a TypeError', () => {
    expect(() => xlinkValidate({ bdy: {} } as never)).toThrow(new TypeError('xlinkValidate: unknown request part "bdy"; expected body, query, params or headers'));
    expect(() => xlinkValidate({ body: 'object' } as never)).toThrow(/the body schema must be a JSON Schema object or a Standard Schema, got a string/);
  });

  test('remote references are not fetched and $data is off', () => {
    expect(() => xlinkValidate({ body: { $ref: 'https://example.com/schema.json' } })).toThrow(/can't resolve reference/);
    expect(() => xlinkValidate({ body: { type: 'object', properties: { a: { const: { $data: '1/b' } } } } })).not.toThrow();
  });

  test('schemas compile once, at setup, not per request', async () => {
    const { Ajv } = jest.requireActual<typeof import('ajv')>('ajv');
    const compile = jest.spyOn(Ajv.prototype, 'compile');
    try {
      const app = express();
      app.use(express.json());
      app.post('/', xlinkValidate(login), (_req, res) => void res.end());
      app.use(xlinkErrorHandler());
      const compiledAtSetup = compile.mock.calls.length;
      for (let i = 0; i < 3; i++) await request(app).post('/').send(good);
      expect(compile.mock.calls.length).toBe(compiledAtSetup);
    } finally {
      compile.mockRestore();
    }
  });
});
