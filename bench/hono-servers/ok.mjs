// Hono's success path: the route answers 200; with XLINK=1, xlinkErrorHandler and xlinkNotFound are mounted.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { xlinkErrorHandler, xlinkNotFound } from 'xlink-errors/hono';

const app = new Hono();
if (process.env.XLINK === '1') app.use(xlinkErrorHandler());
app.get('/v2/device/:id', (c) => c.json({ id: c.req.param('id') }));
if (process.env.XLINK === '1') app.notFound(xlinkNotFound());
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, ({ port }) => process.send({ port }));
process.on('SIGINT', () => server.close(() => process.exit(0)));
