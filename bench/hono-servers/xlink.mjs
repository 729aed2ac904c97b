// Hono on @hono/node-server with xlink-errors/hono: the route throws, the handler answers. Mounted
// as middleware (`app.use(xlinkErrorHandler())`), or with MOUNT=onError as Hono's error handler
// (`app.onError(xlinkErrorHandler())`).
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { xlinkError, xlinkErrorHandler, xlinkNotFound } from 'xlink-errors/hono';

const app = new Hono();
if (process.env.MOUNT === 'onError') app.onError(xlinkErrorHandler());
else app.use(xlinkErrorHandler());
app.get('/v2/device/:id', () => {
  throw xlinkError('DEVICE_NOT_FOUND');
});
app.notFound(xlinkNotFound());
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, ({ port }) => process.send({ port }));
process.on('SIGINT', () => server.close(() => process.exit(0)));
