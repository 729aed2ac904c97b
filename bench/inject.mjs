// CPU per request without sockets: the same apps as bench/http.mjs, driven in-process by
// light-my-request, one request at a time, alternated over rounds. Far less noisy than a
// load test on a shared machine (no network, no second process), so it shows the handlers'
// own cost; the load test shows what a client sees. Each round is timed by the process's CPU
// time (process.cpuUsage(): what other load on the machine disturbs least) as well as by the clock.
// --slices N cuts each round into N alternated slices (requests/N per variant each); on
// our machine short slices made one variant slower for its neighbours' sake (the JIT re-adapting
// the shared Node and light-my-request code at each switch), so the default is 1.
// Usage: npm run bench:inject [-- --rounds 7 --requests 5000 --slices 1]
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

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '7' }, requests: { type: 'string', default: '5000' }, slices: { type: 'string', default: '1' } } });
const slices = Number(values.slices);
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

// The error path's limit on Koa: the route catches its own throw (no rejection through
// koa-compose), or a hand-written `try { await next() } catch` middleware catches it.
const catchByHand = (ctx, err) => {
  ctx.status = err.status;
  ctx.body = { error: { code: err.code, msg: err.message } };
};
apps['Koa 3, route catches its own throw'] = koaApp((app, router) =>
  router.get('/v2/device/:id', (ctx) => {
    try {
      throw xlinkError('DEVICE_NOT_FOUND');
    } catch (err) {
      catchByHand(ctx, err);
    }
  }),
);
apps['Koa 3, hand-written catch middleware'] = koaApp((app, router) => {
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      catchByHand(ctx, err);
    }
  });
  router.get('/v2/device/:id', () => {
    throw xlinkError('DEVICE_NOT_FOUND');
  });
});
// The success path: the same route answering 200, without and with the handler mounted.
const OK_BODY = '{"id":"42","online":true}';
const expressOk = (mount) => {
  const app = express();
  app.get('/v2/device/:id', (req, res) => void res.json({ id: req.params.id, online: true }));
  if (mount) app.use(xlinkNotFound(), xlinkErrorHandler());
  return app;
};
const koaOk = (mount) =>
  koaApp((app, router) => {
    if (mount) app.use(xlinkKoaErrorHandler());
    router.get('/v2/device/:id', (ctx) => {
      ctx.body = { id: ctx.params.id, online: true };
    });
  });
apps['Express 5, 200, no handler'] = expressOk(false);
apps['Express 5, 200, handler mounted'] = expressOk(true);
apps['Koa 3, 200, no handler'] = koaOk(false);
apps['Koa 3, 200, handler mounted'] = koaOk(true);
const answers200 = new Set(['Express 5, 200, no handler', 'Express 5, 200, handler mounted', 'Koa 3, 200, no handler', 'Koa 3, 200, handler mounted']);

async function run(dispatch, n, name, warmUp = false) {
  const [status, payload] = answers200.has(name) ? [200, OK_BODY] : [404, '{"error":{"code":4041008,"msg":"Device does not exist"}}'];
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const res = dispatch.inject ? await dispatch.inject({ url: '/v2/device/42' }) : await inject(dispatch, { url: '/v2/device/42' });
    if (res.statusCode !== status || res.payload !== payload) throw new Error(`wrong answer: ${res.statusCode} ${res.payload}`);
    // Let the event loop turn now and then: what requests leave to setImmediate would pile up
    // otherwise (gigabytes over a run: the process ran out of memory).
    if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
  }
  const { user, system } = process.cpuUsage(cpuStart);
  if (!warmUp) samplesCpu[name].push((user + system) / n);
  return Number(process.hrtime.bigint() - start) / n / 1000;
}

const names = Object.keys(apps);
const samples = Object.fromEntries(names.map((n) => [n, []]));
const samplesCpu = Object.fromEntries(names.map((n) => [n, []]));
for (const name of names) await run(apps[name], 1000, name, true); // warm-up
for (let round = 0; round < rounds; round++) {
  const wall = Object.fromEntries(names.map((n) => [n, 0]));
  const cpu = Object.fromEntries(names.map((n) => [n, 0]));
  for (let slice = 0; slice < slices; slice++) {
    for (const name of (round * slices + slice) % 2 ? [...names].reverse() : names) {
      wall[name] += await run(apps[name], requests / slices, name);
      cpu[name] += samplesCpu[name].pop();
    }
  }
  for (const name of names) {
    samples[name].push(wall[name] / slices);
    samplesCpu[name].push(cpu[name] / slices);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const perRound = (a, b) => median(samples[a].map((x, r) => x / samples[b][r])).toFixed(2);
console.log(`\nNode ${process.version}, in-process (light-my-request), ${rounds} rounds x ${requests} requests (in ${slices} alternated slices)\n`);
console.log('| variant | median µs per request (incl. light-my-request) |');
console.log('| --- | ---: |');
for (const name of names) console.log(`| ${name} | ${median(samples[name]).toFixed(1)} |`);
console.log('\n| speed ratio (hand-written time / package time, median of per-round ratios) | value |');
console.log('| --- | ---: |');
console.log(`| Express | ${perRound('Express 5, hand-written', 'Express 5 + xlinkErrorHandler')} |`);
console.log(`| Koa | ${perRound('Koa 3, hand-written', 'Koa 3 + xlink-errors/koa')} |`);
console.log(`| Fastify | ${perRound('Fastify 5, hand-written', 'Fastify 5 + xlink-errors/fastify')} |`);
console.log(`| Koa, hand-written catch middleware / xlink-errors/koa | ${perRound('Koa 3, hand-written catch middleware', 'Koa 3 + xlink-errors/koa')} |`);
console.log(`| Koa limit: hand-written ctx.body / route catching its own throw | ${perRound('Koa 3, hand-written', 'Koa 3, route catches its own throw')} |`);
console.log(`| Koa limit: hand-written ctx.body / hand-written catch middleware | ${perRound('Koa 3, hand-written', 'Koa 3, hand-written catch middleware')} |`);
console.log(`| Express success path: no handler / handler mounted | ${perRound('Express 5, 200, no handler', 'Express 5, 200, handler mounted')} |`);
console.log(`| Koa success path: no handler / handler mounted | ${perRound('Koa 3, 200, no handler', 'Koa 3, 200, handler mounted')} |`);
// The same from CPU time (process.cpuUsage()), which other load on the machine disturbs least.
const perRoundCpu = (a, b) => median(samplesCpu[a].map((x, r) => x / samplesCpu[b][r])).toFixed(3);
console.log('\n| variant | median CPU µs per request (incl. light-my-request) |');
console.log('| --- | ---: |');
for (const name of names) console.log(`| ${name} | ${median(samplesCpu[name]).toFixed(1)} |`);
console.log('\n| speed ratio from CPU time (baseline CPU / variant CPU, median of per-round ratios) | value |');
console.log('| --- | ---: |');
console.log(`| Express error path: hand-written / xlinkErrorHandler | ${perRoundCpu('Express 5, hand-written', 'Express 5 + xlinkErrorHandler')} |`);
console.log(`| Koa error path: hand-written ctx.body / xlink-errors/koa | ${perRoundCpu('Koa 3, hand-written', 'Koa 3 + xlink-errors/koa')} |`);
console.log(`| Koa error path: hand-written catch middleware / xlink-errors/koa | ${perRoundCpu('Koa 3, hand-written catch middleware', 'Koa 3 + xlink-errors/koa')} |`);
console.log(`| Koa limit: hand-written ctx.body / route catching its own throw | ${perRoundCpu('Koa 3, hand-written', 'Koa 3, route catches its own throw')} |`);
console.log(`| Koa limit: hand-written ctx.body / hand-written catch middleware | ${perRoundCpu('Koa 3, hand-written', 'Koa 3, hand-written catch middleware')} |`);
console.log(`| Express success path: no handler / handler mounted | ${perRoundCpu('Express 5, 200, no handler', 'Express 5, 200, handler mounted')} |`);
console.log(`| Koa success path: no handler / handler mounted | ${perRoundCpu('Koa 3, 200, no handler', 'Koa 3, 200, handler mounted')} |`);
