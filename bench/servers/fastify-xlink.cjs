// Fastify with xlink-errors/fastify: throw, and let the plugin answer.
const fastify = require('fastify')({ logger: false });
const { xlinkError } = require('xlink-errors');
fastify.register(require('xlink-errors/fastify'));
fastify.get('/v2/device/:id', async () => {
  throw xlinkError('DEVICE_NOT_FOUND');
});
fastify.listen({ port: 0, host: '127.0.0.1' }).then(() => process.send({ port: fastify.server.address().port }));
process.on('SIGINT', () => process.exit(0));
