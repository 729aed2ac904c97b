// Issue 21 item 8: query strings, params and headers coerce to `type: 'integer'` (and
// `'number'`) only when they are canonical decimals; anything else is 400 4001001. On Express
// and Koa alike, and through xlinkCheck.
import Router from '@koa/router';
import express from 'express';
import Koa from 'koa';
import request from 'supertest';
import type { RequestListener } from 'node:http';
import { xlinkCheck, xlinkErrorHandler, xlinkValidate, type XlinkValidateSchemas } from 'xlink-errors';
import { xlinkErrorHandler as koaErrorHandler, xlinkValidate as koaValidate } from 'xlink-errors/koa';
import { expectXlinkError } from 'xlink-errors/testing';

const schemas = {
  params: { type: 'object', properties: { user_id: { type: 'integer', minimum: 1 } }, required: ['user_id'] },
  query: {
    type: 'object',
    properties: {
      limit: { type: 'integer', minimum: -100, maximum: 1e20 },
      ratio: { type: 'number' },
      ids: { type: 'array', items: { type: 'integer' } },
      level: { type: 'integer', enum: [1, 2] },
      either: { anyOf: [{ type: 'integer' }, { type: 'string', const: 'all' }] },
    },
    additionalProperties: false,
  },
} as const satisfies XlinkValidateSchemas;

const servers: [string, () => RequestListener][] = [
  [
    'Express',
    () => {
      const app = express();
      app.get('/v2/user/:user_id', xlinkValidate(schemas), (req, res) => void res.json({ params: req.params, query: req.query }));
      app.use(xlinkErrorHandler());
      return app;
    },
  ],
  [
    'Koa',
    () => {
      const app = new Koa();
      app.use(koaErrorHandler());
      const router = new Router();
      router.get('/v2/user/:user_id', koaValidate(schemas), (ctx) => {
        ctx.body = { params: ctx.params, query: ctx.query };
      });
      app.use(router.routes());
      return app.callback();
    },
  ],
];

describe.each(servers)('%s', (_name, serve) => {
  const app = serve();

  test.each([
    ['0x3EA', 'hexadecimal'],
    ['%201002', 'a leading space'],
    ['1002%20', 'a trailing space'],
    ['+1002', 'a plus sign'],
    ['01002', 'a leading zero'],
    ['1e3', 'an exponent'],
    ['1002.0', 'a fraction'],
    ['99999999999999999999999', 'beyond Number.MAX_SAFE_INTEGER'],
    ['Infinity', 'Infinity'],
    ['1_002', 'a digit separator'],
  ])('the param %s (%s) is 400 4001001', async (id) => {
    expectXlinkError(await request(app).get(`/v2/user/${id}`), 'PARAM_VERIFICATION_FAILED');
  });

  test.each(['limit=0x10', 'limit=%2012', 'limit=+12', 'limit=1e2', 'limit=99999999999999999999999', 'limit=', 'limit=-0', 'limit=1&limit=2', 'ratio=1e2', 'ratio=.5', 'ratio=0x10', 'ratio=NaN', 'ids=1&ids=0x2', 'level=01', 'either=1e1'])(
    'the query %s is 400 4001001',
    async (query) => {
      expectXlinkError(await request(app).get(`/v2/user/1?${query}`), 'PARAM_VERIFICATION_FAILED');
    },
  );

  test('canonical decimals coerce: integers, negative ones, the largest safe one, fractions for numbers, arrays, enums, anyOf', async () => {
    const res = await request(app).get('/v2/user/1002?limit=-12&ratio=-0.25&ids=1&ids=20&level=2&either=7');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ params: { user_id: 1002 }, query: { limit: -12, ratio: -0.25, ids: [1, 20], level: 2, either: 7 } });
    const big = await request(app).get(`/v2/user/${Number.MAX_SAFE_INTEGER}?limit=0&either=all`);
    expect(big.body).toEqual({ params: { user_id: Number.MAX_SAFE_INTEGER }, query: { limit: 0, either: 'all' } });
  });

  test('the schema path still names `type`, as written', async () => {
    const errors: unknown[] = [];
    const app = express();
    app.get('/:id', xlinkValidate({ params: { type: 'object', properties: { id: { type: 'integer' } } } }), (_req, res) => void res.end());
    app.use(xlinkErrorHandler({ onError: (err) => errors.push(err) }));
    await request(app).get('/0x1');
    expect(errors[0]).toMatchObject({ validation: { part: 'params', errors: [{ keyword: 'type', instancePath: '/id', schemaPath: '#/properties/id/type', params: { type: 'integer' }, message: 'must be integer' }] } });
  });
});

describe('xlinkCheck', () => {
  const query = { type: 'object', properties: { limit: { type: 'integer' } } } as const;

  test('coerces canonical strings outside the body, and not in it', () => {
    expect(xlinkCheck(query, { limit: '12' }, 'query')).toEqual({ limit: 12 });
    expect(() => xlinkCheck(query, { limit: '0x3EA' }, 'query')).toThrow(expect.objectContaining({ code: 4001001 }));
    expect(() => xlinkCheck(query, { limit: '12' })).toThrow(expect.objectContaining({ code: 4001001 })); // a body is JSON: no coercion
    expect(xlinkCheck(query, { limit: 12 })).toEqual({ limit: 12 });
  });

  test('the user’s schema is not changed by the copy that checks it', () => {
    const schema = { type: 'object', properties: { n: { type: 'integer' } } };
    const before = JSON.stringify(schema);
    xlinkCheck(schema, { n: '1' }, 'params');
    expect(JSON.stringify(schema)).toBe(before);
  });
});
