// Koa, success path, no error handler: the route answers 200 normally (baseline for koa-ok-xlink.cjs).
const Koa = require('koa');
const Router = require('@koa/router');
const app = new Koa();
const router = new Router();
router.get('/v2/device/:id', (ctx) => {
  ctx.body = { id: ctx.params.id, online: true };
});
app.use(router.routes());
const server = app.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('SIGINT', () => process.exit(0));
