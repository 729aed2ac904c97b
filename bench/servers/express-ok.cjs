// Express, success path, no error handler: the route answers 200 normally (baseline for express-ok-xlink.cjs).
const express = require(process.env.BENCH_EXPRESS || 'express');
const app = express();
app.get('/v2/device/:id', (req, res) => {
  res.json({ id: req.params.id, online: true });
});
const server = app.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('SIGINT', () => process.exit(0));
