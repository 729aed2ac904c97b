// Type tests: Koa's xlinkValidate() with @koa/router and a per-route @koa/bodyparser (issue 21
// item 7), with JSON Schemas and Standard Schemas (zod, valibot, arktype), handlers inline.
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import { type } from 'arktype';
import Koa from 'koa';
import * as v from 'valibot';
import { z } from 'zod';
import { xlinkValidate } from 'xlink-errors/koa';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | void {}

const router = new Router();
router.post(
  '/v2/user_auth',
  bodyParser(),
  xlinkValidate({ body: { type: 'object', properties: { password: { type: 'string' } }, required: ['password'], additionalProperties: false } }),
  (ctx) => {
    assertType<Equal<typeof ctx.request.body.password, string>>();
    // @ts-expect-error the schema has no such property
    void ctx.request.body.email;
    ctx.body = { ok: true };
  },
);
router.post('/v2/zod', bodyParser(), xlinkValidate({ body: z.object({ corp_id: z.string(), age: z.coerce.number().default(0) }) }), (ctx) => {
  assertType<Equal<typeof ctx.request.body, { corp_id: string; age: number }>>();
  // @ts-expect-error the schema has no such property
  void ctx.request.body.email;
  ctx.body = { corp: ctx.request.body.corp_id.toUpperCase(), path: ctx.path };
});
router.get(
  '/v2/valibot/:id',
  xlinkValidate({ query: v.object({ limit: v.optional(v.pipe(v.string(), v.transform(Number)), '20') }), params: v.object({ id: v.string() }) }),
  (ctx) => {
    assertType<Equal<typeof ctx.query.limit, number>>();
    assertType<Equal<typeof ctx.params.id, string>>();
    ctx.body = { limit: ctx.query.limit };
  },
);
router.post('/v2/arktype', bodyParser(), xlinkValidate({ body: type({ name: 'string', 'tags?': 'string[]' }) }), (ctx) => {
  assertType<Equal<typeof ctx.request.body.name, string>>();
  assertType<Equal<typeof ctx.request.body.tags, string[] | undefined>>();
  // @ts-expect-error the schema has no such property
  void ctx.request.body.email;
  ctx.body = {};
});
new Koa().use(bodyParser()).use(router.routes());
