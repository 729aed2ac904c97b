// Type tests: Koa's xlinkValidate() with @koa/router, handlers written inline.
import Koa from 'koa';
import Router from '@koa/router';
import { xlinkValidate } from 'xlink-errors/koa';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | void {}

const router = new Router();
router.post(
  '/v2/user_auth/:corp',
  xlinkValidate({ body: { type: 'object', properties: { password: { type: 'string' } }, required: ['password'], additionalProperties: false } }),
  (ctx) => {
    assertType<Equal<typeof ctx.request.body.password, string>>();
    // @ts-expect-error the schema has no such property
    void ctx.request.body.email;
    const corp: string | undefined = ctx.params.corp; // no params schema: the router's own
    ctx.body = { corp, path: ctx.path };
  },
);
router.get('/v2/share/device/list', xlinkValidate({ query: { type: 'object', properties: { limit: { type: 'integer', default: 20 } } } }), (ctx) => {
  assertType<Equal<typeof ctx.query.limit, number>>();
  ctx.body = { limit: ctx.query.limit };
});
new Koa().use(router.routes()).use(xlinkValidate({ headers: { type: 'object' } }));
