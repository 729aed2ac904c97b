// Express, written by hand: res.status(404).json(...).
const express = require(process.env.BENCH_EXPRESS || 'express');
const app = express();
app.get('/v2/device/:id', (req, res) => {
  res.status(404).json({ error: { code: 4041008, msg: 'Device does not exist' } });
});
const server = app.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('SIGINT', () => process.exit(0));
