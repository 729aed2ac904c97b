// Koa, a hand-written error middleware (the usual idiom): the route throws xlinkError(), the
// rejection travels through koa-compose and the router, `try { await next() } catch` writes the envelope.
const Koa = require('koa');
const Router = require('@koa/router');
const { xlinkError } = require('xlink-errors');
const app = new Koa();
app.use(async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    ctx.status = err.status;
    ctx.body = { error: { code: err.code, msg: err.message } };
  }
});
const router = new Router();
router.get('/v2/device/:id', () => {
  throw xlinkError('DEVICE_NOT_FOUND');
});
app.use(router.routes());
const server = app.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('SIGINT', () => process.exit(0));
