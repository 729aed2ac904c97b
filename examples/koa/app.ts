/** The Xlink example API on Koa: the same route table as the Express one, wired with xlink-errors/koa. */
import Router from '@koa/router';
import Koa from 'koa';
import { xlinkErrorHandler, xlinkValidate, type KoaLikeContext } from 'xlink-errors/koa';
import type { XlinkHandlerOptions } from 'xlink-errors';
import { accessTokenOf, routes } from '../domain/routes';
import type { XlinkService } from '../domain/service';
import { jsonBody } from './json-body';

export function createKoaApp(service: XlinkService, options?: XlinkHandlerOptions<KoaLikeContext>): Koa {
  const app = new Koa();
  app.use(xlinkErrorHandler({ locale: 'auto', ...options })); // first: it answers for everything after it
  app.use(jsonBody());

  const router = new Router();
  for (const route of routes) {
    const handlers: Koa.Middleware[] = [];
    if (route.auth) {
      handlers.push(async (ctx, next) => {
        ctx.state.userId = service.authenticate(accessTokenOf(ctx.headers));
        await next();
      });
    }
    if (route.schemas) handlers.push(xlinkValidate(route.schemas) as Koa.Middleware);
    handlers.push((ctx) => {
      const result = route.handle(service, { body: (ctx.request as { body?: unknown }).body, params: ctx.params, userId: ctx.state.userId as number });
      ctx.status = 200;
      if (result !== undefined) ctx.body = result;
    });
    router[route.method](route.path, ...handlers);
  }
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
