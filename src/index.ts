/**
 * xlink-errors: the Xlink IoT platform's REST error contract for Node servers.
 * This entry holds the framework-free core and the Express adapter; Koa is `xlink-errors/koa`,
 * the test helpers are `xlink-errors/testing`.
 */
export * from './core/index.js';
export {
  xlinkErrorHandler,
  xlinkNotFound,
  xlinkValidate,
  type ExpressLikeRequest,
  type XlinkExpressErrorHandler,
  type XlinkExpressMiddleware,
  type XlinkExpressRequest,
  type XlinkValidateMiddleware,
} from './express/index.js';
