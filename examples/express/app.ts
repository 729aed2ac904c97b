/** The Xlink example API on Express: the shared route table, wired with xlink-errors. */
import express from 'express';
import { xlinkErrorHandler, xlinkNotFound, xlinkValidate, type XlinkHandlerOptions } from 'xlink-errors';
import { readJsonBody } from '../domain/json-body';
import { clientAddress } from '../domain/client-address';
import { accessTokenOf, routesFor } from '../domain/routes';
import type { XlinkService } from '../domain/service';

export function createExpressApp(service: XlinkService, options?: XlinkHandlerOptions<express.Request>): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag'); // as on Koa: the two apps answer byte for byte alike
  // Xlink clients send JSON whatever their Content-Type says, or none at all: the shared reader.
  app.use((req, _res, next) => {
    readJsonBody(req).then((body) => {
      req.body = body;
      next();
    }, next);
  });

  for (const route of routesFor(service)) {
    const handlers: express.RequestHandler[] = [];
    if (route.auth) {
      handlers.push((req, res, next) => {
        res.locals.userId = service.authenticate(accessTokenOf(req.headers));
        next();
      });
    }
    if (route.schemas) handlers.push(xlinkValidate(route.schemas));
    handlers.push((req, res) => {
      const result = route.handle(service, { body: req.body, params: req.params, query: req.query, userId: res.locals.userId as number, client: clientAddress(req, service.trustedProxies) });
      if (result === undefined) res.status(200).end(); // the Xlink docs' "无": an empty body, no Content-Type
      else res.json(result);
    });
    app[route.method](route.path, ...handlers);
  }

  app.use(xlinkNotFound()); // unknown paths and methods (OPTIONS, PATCH...) alike: 404 4041001
  app.use(xlinkErrorHandler({ locale: 'auto', ...options }));
  return app;
}
