// Koa, the limit of a thrown error: the route throws xlinkError() and catches it itself, writing
// the envelope by hand (no rejection travels through koa-compose). Compare with koa-hand-mw.cjs.
const Koa = require('koa');
const Router = require('@koa/router');
const { xlinkError } = require('xlink-errors');
const app = new Koa();
const router = new Router();
router.get('/v2/device/:id', (ctx) => {
  try {
    throw xlinkError('DEVICE_NOT_FOUND');
  } catch (err) {
    ctx.status = err.status;
    ctx.body = { error: { code: err.code, msg: err.message } };
  }
});
app.use(router.routes());
const server = app.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('SIGINT', () => process.exit(0));
