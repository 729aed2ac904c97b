// Koa with xlink-errors/koa: throw, and let the handler answer.
const Koa = require('koa');
const Router = require('@koa/router');
const { xlinkError } = require('xlink-errors');
const { xlinkErrorHandler } = require('xlink-errors/koa');
const app = new Koa();
app.use(xlinkErrorHandler());
const router = new Router();
router.get('/v2/device/:id', () => {
  throw xlinkError('DEVICE_NOT_FOUND');
});
app.use(router.routes());
const server = app.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('SIGINT', () => process.exit(0));
