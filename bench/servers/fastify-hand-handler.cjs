// Fastify's throw limit: the same route throwing xlinkError() (no stack in production), answered
// by a hand-written setErrorHandler: what any thrown error costs in Fastify, without the plugin.
const fastify = require('fastify')({ logger: false });
const { xlinkError } = require('xlink-errors');
fastify.get('/v2/device/:id', async () => {
  throw xlinkError('DEVICE_NOT_FOUND');
});
fastify.setErrorHandler((err, req, reply) => {
  reply.code(err.status).send({ error: { code: err.code, msg: err.message } });
});
fastify.listen({ port: 0, host: '127.0.0.1' }).then(() => process.send({ port: fastify.server.address().port }));
process.on('SIGINT', () => process.exit(0));
