// A soak server: Express or Koa (argv[2]); GET /case/:i throws case i of cases.cjs, half of
// them from an async step. Reports its memory on request over IPC.
'use strict';
const { cases } = require('./cases.cjs');
const kind = process.argv[2];
const delay = () => new Promise((resolve) => setImmediate(resolve));
const quiet = { onError() {} }; // the 503s are expected here; logging them would measure stderr

function memory() {
  global.gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
}
process.on('message', (msg) => {
  if (msg === 'memory') process.send({ memory: memory() });
});

let server;
if (kind === 'express') {
  const express = require('express');
  const { xlinkErrorHandler, xlinkNotFound } = require('xlink-errors');
  const app = express();
  app.get('/case/:i', async (req, res, next) => {
    const i = Number(req.params.i);
    if (i % 2) await delay();
    next(cases[i][0]());
  });
  app.use(xlinkNotFound());
  app.use(xlinkErrorHandler(quiet));
  server = app.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
} else {
  const Koa = require('koa');
  const Router = require('@koa/router');
  const { xlinkErrorHandler } = require('xlink-errors/koa');
  const app = new Koa();
  app.silent = true;
  app.use(xlinkErrorHandler(quiet));
  const router = new Router();
  router.get('/case/:i', async (ctx) => {
    const i = Number(ctx.params.i);
    if (i % 2) await delay();
    throw cases[i][0]();
  });
  app.use(router.routes());
  server = app.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
}
