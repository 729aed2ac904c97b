/** The Xlink example API on Koa: the same route table as the Express one, wired with xlink-errors/koa. */
import Router from '@koa/router';
import Koa from 'koa';
import { xlinkErrorHandler, xlinkValidate, type KoaLikeContext } from 'xlink-errors/koa';
import type { XlinkHandlerOptions } from 'xlink-errors';
import { readJsonBody } from '../domain/json-body';
import { clientAddress } from '../domain/client-address';
import { accessTokenOf, routesFor } from '../domain/routes';
import type { XlinkService } from '../domain/service';

export function createKoaApp(service: XlinkService, options?: XlinkHandlerOptions<KoaLikeContext>): Koa {
  const app = new Koa();
  app.use(xlinkErrorHandler({ locale: 'auto', ...options })); // first: it answers for everything after it
  // Xlink clients send JSON whatever their Content-Type says, or none at all: the shared reader.
  app.use(async (ctx, next) => {
    (ctx.request as { body?: unknown }).body = await readJsonBody(ctx.req);
    await next();
  });

  const router = new Router();
  for (const route of routesFor(service)) {
    const handlers: Koa.Middleware[] = [];
    if (route.auth) {
      handlers.push(async (ctx, next) => {
        ctx.state.userId = service.authenticate(accessTokenOf(ctx.headers));
        await next();
      });
    }
    if (route.schemas) handlers.push(xlinkValidate(route.schemas));
    handlers.push((ctx) => {
      const result = route.handle(service, { body: (ctx.request as { body?: unknown }).body, params: ctx.params, query: ctx.query, userId: ctx.state.userId as number, client: clientAddress(ctx.req, service.trustedProxies) });
      ctx.status = 200;
      if (result === undefined) {
        // The Xlink docs' "无": an empty body, no Content-Type (Koa would send text/plain "OK").
        ctx.body = '';
        ctx.remove('Content-Type');
      } else {
        // Serialised here, as Express's res.json does, so a value that cannot be is the error
        // handler's (503, as on Express), not Koa's own 500 text/plain after the middleware.
        ctx.body = JSON.stringify(result);
        ctx.type = 'application/json; charset=utf-8';
      }
    });
    router[route.method](route.path, ...handlers);
  }
  // No router.allowedMethods(): OPTIONS and unknown methods are 404 4041001, as on Express.
  app.use(router.routes());
  return app;
}
