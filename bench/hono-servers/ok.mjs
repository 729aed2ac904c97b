// Hono's success path: the route answers 200; with XLINK=1, xlinkErrorHandler (as middleware) and
// xlinkNotFound are mounted; with XLINK=onError, xlinkErrorHandler as app.onError and xlinkNotFound.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { xlinkErrorHandler, xlinkNotFound } from 'xlink-errors/hono';

const app = new Hono();
if (process.env.XLINK === '1') app.use(xlinkErrorHandler());
if (process.env.XLINK === 'onError') app.onError(xlinkErrorHandler());
app.get('/v2/device/:id', (c) => c.json({ id: c.req.param('id') }));
if (process.env.XLINK) app.notFound(xlinkNotFound());
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, ({ port }) => process.send({ port }));
process.on('SIGINT', () => server.close(() => process.exit(0)));
