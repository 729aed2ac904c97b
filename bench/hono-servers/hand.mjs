// Hono on @hono/node-server, the same throw answered by a hand-written app.onError that sends the
// same envelope (the bytes, the JSON type with its charset; no header policy, no locale, no log).
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { xlinkError } from 'xlink-errors/hono';

const app = new Hono();
app.get('/v2/device/:id', () => {
  throw xlinkError('DEVICE_NOT_FOUND');
});
app.onError((err, c) => c.newResponse(JSON.stringify({ error: { code: err.code, msg: err.message } }), err.status ?? 503, { 'Content-Type': 'application/json; charset=utf-8' }));
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, ({ port }) => process.send({ port }));
process.on('SIGINT', () => server.close(() => process.exit(0)));
