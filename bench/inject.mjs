// CPU per request without sockets: the same apps as bench/http.mjs, driven in-process by
// light-my-request, one request at a time, alternated over rounds. Far less noisy than a
// load test on a shared machine (no network, no second process), so it shows the handlers'
// own cost; the load test shows what a client sees.
// Usage: npm run bench:inject [-- --rounds 7 --requests 5000]
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

process.env.NODE_ENV = 'production'; // as the servers of the load test run
const require = createRequire(import.meta.url);
const inject = require('light-my-request');
const express = require('express');
const Koa = require('koa');
const Router = require('@koa/router');
const { xlinkError, xlinkErrorHandler, xlinkNotFound } = require('xlink-errors');
const { xlinkErrorHandler: xlinkKoaErrorHandler } = require('xlink-errors/koa');
const Fastify = require('fastify');
const xlinkFastify = require('xlink-errors/fastify');

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '7' }, requests: { type: 'string', default: '5000' } } });
const rounds = Number(values.rounds);
const requests = Number(values.requests);
const envelope = () => ({ error: { code: 4041008, msg: 'Device does not exist' } });

const expressHand = express();
expressHand.get('/v2/device/:id', (req, res) => void res.status(404).json(envelope()));
const expressXlink = express();
expressXlink.get('/v2/device/:id', () => {
  throw xlinkError('DEVICE_NOT_FOUND');
});
expressXlink.use(xlinkNotFound());
expressXlink.use(xlinkErrorHandler());
const koaApp = (setup) => {
  const app = new Koa();
  const router = new Router();
  setup(app, router);
  app.use(router.routes());
  return app.callback();
};
const koaHand = koaApp((app, router) =>
  router.get('/v2/device/:id', (ctx) => {
    ctx.status = 404;
    ctx.body = envelope();
  }),
);
const koaXlink = koaApp((app, router) => {
  app.use(xlinkKoaErrorHandler());
  router.get('/v2/device/:id', () => {
    throw xlinkError('DEVICE_NOT_FOUND');
  });
});
// Fastify injects through its own light-my-request: both Fastify variants pay the same for it.
const fastifyApp = async (setup) => {
  const app = Fastify({ logger: false });
  await setup(app);
  await app.ready();
  return { inject: (opts) => app.inject(opts) };
};
const fastifyHand = await fastifyApp((app) => app.get('/v2/device/:id', async (req, reply) => reply.code(404).send(envelope())));
const fastifyXlink = await fastifyApp(async (app) => {
  await app.register(xlinkFastify);
  app.get('/v2/device/:id', async () => {
    throw xlinkError('DEVICE_NOT_FOUND');
  });
});
const apps = {
  'Express 5, hand-written': expressHand,
  'Express 5 + xlinkErrorHandler': expressXlink,
  'Koa 3, hand-written': koaHand,
  'Koa 3 + xlink-errors/koa': koaXlink,
  'Fastify 5, hand-written': fastifyHand,
  'Fastify 5 + xlink-errors/fastify': fastifyXlink,
};

async function run(dispatch, n) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const res = dispatch.inject ? await dispatch.inject({ url: '/v2/device/42' }) : await inject(dispatch, { url: '/v2/device/42' });
    if (res.statusCode !== 404 || res.payload !== '{"error":{"code":4041008,"msg":"Device does not exist"}}') throw new Error(`wrong answer: ${res.statusCode} ${res.payload}`);
  }
  return Number(process.hrtime.bigint() - start) / n / 1000;
}

const names = Object.keys(apps);
const samples = Object.fromEntries(names.map((n) => [n, []]));
for (const name of names) await run(apps[name], 1000); // warm-up
for (let round = 0; round < rounds; round++) {
  for (const name of round % 2 ? [...names].reverse() : names) samples[name].push(await run(apps[name], requests));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const perRound = (a, b) => median(samples[a].map((x, r) => x / samples[b][r])).toFixed(2);
console.log(`\nNode ${process.version}, in-process (light-my-request), ${rounds} rounds x ${requests} requests\n`);
console.log('| variant | median µs per request (incl. light-my-request) |');
console.log('| --- | ---: |');
for (const name of names) console.log(`| ${name} | ${median(samples[name]).toFixed(1)} |`);
console.log('\n| speed ratio (hand-written time / package time, median of per-round ratios) | value |');
console.log('| --- | ---: |');
console.log(`| Express | ${perRound('Express 5, hand-written', 'Express 5 + xlinkErrorHandler')} |`);
console.log(`| Koa | ${perRound('Koa 3, hand-written', 'Koa 3 + xlink-errors/koa')} |`);
console.log(`| Fastify | ${perRound('Fastify 5, hand-written', 'Fastify 5 + xlink-errors/fastify')} |`);
