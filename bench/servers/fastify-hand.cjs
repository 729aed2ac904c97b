// Fastify, written by hand: reply.code(404).send({...}).
const fastify = require('fastify')({ logger: false });
fastify.get('/v2/device/:id', async (req, reply) => {
  return reply.code(404).send({ error: { code: 4041008, msg: 'Device does not exist' } });
});
fastify.listen({ port: 0, host: '127.0.0.1' }).then(() => process.send({ port: fastify.server.address().port }));
process.on('SIGINT', () => process.exit(0));
