// The upstream of bench/client.mjs: node:http answering /ok with a small JSON resource and
// /missing with the 404 4041008 envelope, as an Xlink server does. Tells its parent its port.
const { createServer } = require('node:http');

const ok = Buffer.from(JSON.stringify({ id: 3001, mac: 'AABBCCDDEEFF', name: 'Lamp', is_online: true, firmware_version: 3 }));
const missing = Buffer.from('{"error":{"code":4041008,"msg":"Device does not exist"}}');
const server = createServer((req, res) => {
  const body = req.url === '/ok' ? ok : missing;
  res.writeHead(req.url === '/ok' ? 200 : 404, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('disconnect', () => process.exit(0));
