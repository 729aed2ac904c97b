// Express with xlink-errors: throw, and let the handler answer.
const express = require(process.env.BENCH_EXPRESS || 'express');
const { xlinkError, xlinkErrorHandler, xlinkNotFound } = require('xlink-errors');
const app = express();
app.get('/v2/device/:id', () => {
  throw xlinkError('DEVICE_NOT_FOUND');
});
app.use(xlinkNotFound());
app.use(xlinkErrorHandler());
const server = app.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('SIGINT', () => process.exit(0));
