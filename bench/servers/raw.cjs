// The limit: node:http writing a precomputed buffer, nothing else.
const http = require('node:http');
const body = Buffer.from('{"error":{"code":4041008,"msg":"Device does not exist"}}');
http
  .createServer((req, res) => {
    res.writeHead(404, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length });
    res.end(body);
  })
  .listen(0, '127.0.0.1', function () {
    process.send({ port: this.address().port });
  });
