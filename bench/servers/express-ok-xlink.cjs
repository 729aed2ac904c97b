// Express, success path, with xlinkNotFound() and xlinkErrorHandler() mounted: the same route as express-ok.cjs, answering 200.
const express = require(process.env.BENCH_EXPRESS || 'express');
const { xlinkErrorHandler, xlinkNotFound } = require('xlink-errors');
const app = express();
app.get('/v2/device/:id', (req, res) => {
  res.json({ id: req.params.id, online: true });
});
app.use(xlinkNotFound());
app.use(xlinkErrorHandler());
const server = app.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('SIGINT', () => process.exit(0));
