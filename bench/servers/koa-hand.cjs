// Koa, written by hand: ctx.status = 404; ctx.body = {...}.
const Koa = require('koa');
const Router = require('@koa/router');
const app = new Koa();
const router = new Router();
router.get('/v2/device/:id', (ctx) => {
  ctx.status = 404;
  ctx.body = { error: { code: 4041008, msg: 'Device does not exist' } };
});
app.use(router.routes());
const server = app.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('SIGINT', () => process.exit(0));
