// Koa, success path, with xlink-errors/koa mounted: the same route as koa-ok.cjs, answering 200.
const Koa = require('koa');
const Router = require('@koa/router');
const { xlinkErrorHandler } = require('xlink-errors/koa');
const app = new Koa();
app.use(xlinkErrorHandler());
const router = new Router();
router.get('/v2/device/:id', (ctx) => {
  ctx.body = { id: ctx.params.id, online: true };
});
app.use(router.routes());
const server = app.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('SIGINT', () => process.exit(0));
