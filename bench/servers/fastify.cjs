// For reference: Fastify 5 with @fastify/error and an error handler writing the same envelope.
const fastify = require('fastify')({ logger: false });
const createError = require('@fastify/error');
const DeviceNotFound = createError('DEVICE_NOT_FOUND', 'Device does not exist', 404);
fastify.get('/v2/device/:id', async () => {
  throw new DeviceNotFound();
});
fastify.setErrorHandler((err, req, reply) => {
  reply.status(err.statusCode).send({ error: { code: 4041008, msg: err.message } });
});
fastify.listen({ port: 0, host: '127.0.0.1' }).then(() => process.send({ port: fastify.server.address().port }));
