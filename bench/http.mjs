// HTTP benchmark: each server variant in its own process on 127.0.0.1, driven by autocannon,
// variants alternated over several rounds; prints medians and ratios measured in this one run.
// On a shared machine throughput drifts by tens of percent within a minute, so each round
// measures every variant back to back (order alternating) and the ratios reported are the
// medians of the per-round ratios: the drift hits both sides of a ratio alike.
// Beside requests per second it reports the server's own CPU time per request (process.cpuUsage()
// in the server, read over IPC before and after each measurement, divided by the answers
// counted): far less sensitive to other load on the machine than req/s.
// Usage: npm run bench:http [-- --rounds 9 --duration 2 --connections 50]
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '9' },
    duration: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
  },
});
const rounds = Number(values.rounds);
const duration = Number(values.duration);
const connections = Number(values.connections);

const variants = [
  ['raw node:http, precomputed buffer (the limit)', 'raw.cjs'],
  ['Express 5, hand-written res.status(404).json()', 'express-hand.cjs'],
  ['Express 5 + xlinkErrorHandler', 'express-xlink.cjs'],
  ['Koa 3, hand-written ctx.body', 'koa-hand.cjs'],
  ['Koa 3 + xlink-errors/koa', 'koa-xlink.cjs'],
  ['Fastify 5, hand-written reply.code(404).send()', 'fastify-hand.cjs'],
  ['Fastify 5 + xlink-errors/fastify', 'fastify-xlink.cjs'],
  ['Fastify 5 + @fastify/error (reference)', 'fastify.cjs'],
  ['Fastify 5, route throws xlinkError(), hand-written setErrorHandler (the throw limit)', 'fastify-hand-handler.cjs'],
  // The error path's limit on Koa: a thrown error caught in the route itself, and by a hand-written middleware.
  ['Koa 3, route throws and catches itself, ctx.body by hand', 'koa-hand-catch.cjs'],
  ['Koa 3, hand-written try/await next()/catch middleware', 'koa-hand-mw.cjs'],
  // The success path: the same route answering 200, without and with the handler mounted.
  ['Express 5, 200, no error handler', 'express-ok.cjs', 200],
  ['Express 5, 200, xlinkNotFound + xlinkErrorHandler mounted', 'express-ok-xlink.cjs', 200],
  ['Koa 3, 200, no error handler', 'koa-ok.cjs', 200],
  ['Koa 3, 200, xlink-errors/koa mounted', 'koa-ok-xlink.cjs', 200],
];

/** Starts a server in its own process; resolves with its port and a stop function. */
function start(file) {
  const child = fork(fileURLToPath(new URL(`./servers/${file}`, import.meta.url)), [], {
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    execArgv: [...process.execArgv, '--require', fileURLToPath(new URL('./servers/_cpu-probe.cjs', import.meta.url))],
  });
  return new Promise((resolve, reject) => {
    // cpu(): the server's CPU time so far (µs), from bench/servers/_cpu-probe.cjs.
    const cpu = () => new Promise((done) => (child.once('message', (m) => done(m.cpu)), child.send('cpu')));
    child.once('message', ({ port }) => resolve({ port, cpu, stop: () => child.kill() }));
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
}

/** One measurement: req/s, and the server's CPU µs per answer. `status`: what every answer must be (404 unless the variant says 200). */
async function measure({ port, cpu }, status = 404) {
  const before = await cpu();
  const result = await autocannon({ url: `http://127.0.0.1:${port}/v2/device/42`, connections, duration, pipelining: 1 });
  const cpuPerRequest = ((await cpu()) - before) / (result['2xx'] + result.non2xx);
  const expected = status === 200 ? result['2xx'] : result['4xx'];
  const wrong = result['2xx'] + result.non2xx - expected + result.errors + result.timeouts; // every answer must be the expected status
  if (wrong > 0 || expected === 0) throw new Error(`unexpected answers: ${JSON.stringify({ '2xx': result['2xx'], non2xx: result.non2xx, '4xx': result['4xx'], errors: result.errors })}`);
  samplesCpu.get(port).push(cpuPerRequest);
  return result.requests.average;
}
const samplesCpu = new Map(); // port -> CPU µs per request, one per round

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const servers = [];
try {
  for (const [, file] of variants) servers.push(await start(file));
  for (const { port } of servers) samplesCpu.set(port, []);
  // Warm-up: one short run each, not counted.
  for (const { port } of servers) await autocannon({ url: `http://127.0.0.1:${port}/v2/device/42`, connections, duration: 1 });
  const samples = variants.map(() => []);
  for (let round = 0; round < rounds; round++) {
    // Alternate the order each round so that drift on a shared machine hits every variant alike.
    const order = variants.map((_, i) => i);
    if (round % 2) order.reverse();
    for (const i of order) samples[i].push(await measure(servers[i], variants[i][2]));
    process.stderr.write(`round ${round + 1}/${rounds} done\n`);
  }
  const medians = samples.map(median);
  console.log(`\nNode ${process.version}, ${rounds} rounds x ${duration} s, ${connections} connections, GET answered 404 4041008 (200 where the variant says so)\n`);
  console.log('| variant | median req/s | samples |');
  console.log('| --- | ---: | --- |');
  variants.forEach(([name], i) => console.log(`| ${name} | ${Math.round(medians[i])} | ${samples[i].map(Math.round).join(', ')} |`));
  const index = Object.fromEntries(variants.map(([, file], i) => [file, i]));
  // The median of the per-round ratios, with its range.
  const ratio = (a, b) => {
    const perRound = samples[index[a]].map((x, r) => x / samples[index[b]][r]);
    return `${median(perRound).toFixed(2)} (rounds: ${Math.min(...perRound).toFixed(2)} to ${Math.max(...perRound).toFixed(2)})`;
  };
  console.log('\n| ratio (median of per-round ratios, this run) | value |');
  console.log('| --- | ---: |');
  console.log(`| Express: xlinkErrorHandler / hand-written | ${ratio('express-xlink.cjs', 'express-hand.cjs')} |`);
  console.log(`| Koa: xlink-errors/koa / hand-written | ${ratio('koa-xlink.cjs', 'koa-hand.cjs')} |`);
  console.log(`| Fastify: xlink-errors/fastify / hand-written | ${ratio('fastify-xlink.cjs', 'fastify-hand.cjs')} |`);
  console.log(`| Express + xlink / raw node:http | ${ratio('express-xlink.cjs', 'raw.cjs')} |`);
  console.log(`| Koa + xlink / raw node:http | ${ratio('koa-xlink.cjs', 'raw.cjs')} |`);
  console.log(`| Fastify + @fastify/error / raw node:http | ${ratio('fastify.cjs', 'raw.cjs')} |`);
  console.log(`| Fastify, limit: hand-written setErrorHandler / hand-written reply | ${ratio('fastify-hand-handler.cjs', 'fastify-hand.cjs')} |`);
  console.log(`| Fastify: xlink-errors/fastify / hand-written setErrorHandler | ${ratio('fastify-xlink.cjs', 'fastify-hand-handler.cjs')} |`);
  console.log(`| Koa, limit: route catching its own throw / hand-written ctx.body | ${ratio('koa-hand-catch.cjs', 'koa-hand.cjs')} |`);
  console.log(`| Koa, limit: hand-written catch middleware / hand-written ctx.body | ${ratio('koa-hand-mw.cjs', 'koa-hand.cjs')} |`);
  console.log(`| Koa: xlink-errors/koa / hand-written catch middleware | ${ratio('koa-xlink.cjs', 'koa-hand-mw.cjs')} |`);
  console.log(`| Express success path: handler mounted / none | ${ratio('express-ok-xlink.cjs', 'express-ok.cjs')} |`);
  console.log(`| Koa success path: handler mounted / none | ${ratio('koa-ok-xlink.cjs', 'koa-ok.cjs')} |`);
  // The same, from the server's CPU time per request: hand-written (or no handler) CPU / package CPU.
  const cpuSamples = servers.map(({ port }) => samplesCpu.get(port));
  console.log('\n| variant | median server CPU µs per request | samples |');
  console.log('| --- | ---: | --- |');
  variants.forEach(([name], i) => console.log(`| ${name} | ${median(cpuSamples[i]).toFixed(1)} | ${cpuSamples[i].map((x) => x.toFixed(1)).join(', ')} |`));
  const cpuRatio = (a, b) => {
    const perRound = cpuSamples[index[b]].map((x, r) => x / cpuSamples[index[a]][r]);
    return `${median(perRound).toFixed(3)} (rounds: ${Math.min(...perRound).toFixed(2)} to ${Math.max(...perRound).toFixed(2)})`;
  };
  console.log('\n| speed ratio from server CPU per request (baseline CPU / variant CPU, median of per-round ratios, this run) | value |');
  console.log('| --- | ---: |');
  console.log(`| Express error path: hand-written / xlinkErrorHandler | ${cpuRatio('express-xlink.cjs', 'express-hand.cjs')} |`);
  console.log(`| Koa error path: hand-written ctx.body / xlink-errors/koa | ${cpuRatio('koa-xlink.cjs', 'koa-hand.cjs')} |`);
  console.log(`| Fastify error path: hand-written / xlink-errors/fastify | ${cpuRatio('fastify-xlink.cjs', 'fastify-hand.cjs')} |`);
  console.log(`| Fastify limit: hand-written reply / hand-written setErrorHandler | ${cpuRatio('fastify-hand-handler.cjs', 'fastify-hand.cjs')} |`);
  console.log(`| Fastify error path: hand-written setErrorHandler / xlink-errors/fastify | ${cpuRatio('fastify-xlink.cjs', 'fastify-hand-handler.cjs')} |`);
  console.log(`| Koa error path: hand-written catch middleware / xlink-errors/koa | ${cpuRatio('koa-xlink.cjs', 'koa-hand-mw.cjs')} |`);
  console.log(`| Koa limit: hand-written ctx.body / route catching its own throw | ${cpuRatio('koa-hand-catch.cjs', 'koa-hand.cjs')} |`);
  console.log(`| Koa limit: hand-written ctx.body / hand-written catch middleware | ${cpuRatio('koa-hand-mw.cjs', 'koa-hand.cjs')} |`);
  console.log(`| Express success path: no handler / handler mounted | ${cpuRatio('express-ok-xlink.cjs', 'express-ok.cjs')} |`);
  console.log(`| Koa success path: no handler / handler mounted | ${cpuRatio('koa-ok-xlink.cjs', 'koa-ok.cjs')} |`);
} finally {
  for (const server of servers) server.stop();
}
