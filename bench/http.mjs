// HTTP benchmark: each server variant in its own process on 127.0.0.1, driven by autocannon,
// variants alternated over several rounds; prints medians and ratios measured in this one run.
// On a shared machine throughput drifts by tens of percent within a minute, so each round
// measures every variant back to back (order alternating) and the ratios reported are the
// medians of the per-round ratios: the drift hits both sides of a ratio alike.
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
];

/** Starts a server in its own process; resolves with its port and a stop function. */
function start(file) {
  const child = fork(fileURLToPath(new URL(`./servers/${file}`, import.meta.url)), [], {
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', ({ port }) => resolve({ port, stop: () => child.kill() }));
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
}

async function measure(port) {
  const result = await autocannon({ url: `http://127.0.0.1:${port}/v2/device/42`, connections, duration, pipelining: 1 });
  const wrong = result.non2xx - result['4xx'] + result.errors + result.timeouts; // every answer must be a 404
  if (wrong > 0 || result['4xx'] === 0) throw new Error(`unexpected answers: ${JSON.stringify({ non2xx: result.non2xx, '4xx': result['4xx'], errors: result.errors })}`);
  return result.requests.average;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const servers = [];
try {
  for (const [, file] of variants) servers.push(await start(file));
  // Warm-up: one short run each, not counted.
  for (const { port } of servers) await autocannon({ url: `http://127.0.0.1:${port}/v2/device/42`, connections, duration: 1 });
  const samples = variants.map(() => []);
  for (let round = 0; round < rounds; round++) {
    // Alternate the order each round so that drift on a shared machine hits every variant alike.
    const order = variants.map((_, i) => i);
    if (round % 2) order.reverse();
    for (const i of order) samples[i].push(await measure(servers[i].port));
    process.stderr.write(`round ${round + 1}/${rounds} done\n`);
  }
  const medians = samples.map(median);
  console.log(`\nNode ${process.version}, ${rounds} rounds x ${duration} s, ${connections} connections, GET answered 404 4041008\n`);
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
} finally {
  for (const server of servers) server.stop();
}
