/** The Xlink example API on Express: the shared route table, wired with xlink-errors. */
import express from 'express';
import { xlinkErrorHandler, xlinkNotFound, xlinkValidate, type XlinkHandlerOptions } from 'xlink-errors';
import { accessTokenOf, routes } from '../domain/routes';
import type { XlinkService } from '../domain/service';

export function createExpressApp(service: XlinkService, options?: XlinkHandlerOptions<express.Request>): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Xlink clients send JSON whatever their Content-Type says, or none at all.
  app.use(express.json({ type: () => true, limit: '100kb' }));

  for (const route of routes) {
    const handlers: express.RequestHandler[] = [];
    if (route.auth) {
      handlers.push((req, res, next) => {
        res.locals.userId = service.authenticate(accessTokenOf(req.headers));
        next();
      });
    }
    if (route.schemas) handlers.push(xlinkValidate(route.schemas));
    handlers.push((req, res) => {
      const result = route.handle(service, { body: req.body, params: req.params, userId: res.locals.userId as number });
      if (result === undefined) res.status(200).end();
      else res.json(result);
    });
    app[route.method](route.path, ...handlers);
  }

  app.use(xlinkNotFound());
  app.use(xlinkErrorHandler({ locale: 'auto', ...options }));
  return app;
}
