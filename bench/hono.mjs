// Hono and the web path. Two parts, each alternating its variants over rounds and reporting the
// medians of per-round ratios measured in this one run (see bench/http.mjs for why):
// 1. over HTTP on @hono/node-server (127.0.0.1, autocannon): the error path with
//    xlink-errors/hono, mounted as app.onError(xlinkErrorHandler()) and as app.use(...), against
//    a hand-written app.onError sending the same envelope, and the success path with the handler
//    mounted (each way) against none; req/s and the server's CPU per request.
// 2. in-process: xlinkResponse(err) against new Response(JSON.stringify(envelope), ...).
// Usage: node bench/hono.mjs [--rounds 9 --duration 2 --connections 50 --iterations 20000]
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '9' },
    duration: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    iterations: { type: 'string', default: '20000' },
  },
});
const rounds = Number(values.rounds);
const duration = Number(values.duration);
const connections = Number(values.connections);
const iterations = Number(values.iterations);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const spread = (xs) => `${median(xs).toFixed(2)} (rounds: ${Math.min(...xs).toFixed(2)} to ${Math.max(...xs).toFixed(2)})`;

// 1. Over HTTP.
const variants = [
  { name: 'Hono 4, hand-written app.onError, same envelope', file: 'hand.mjs', status: 404 },
  { name: 'Hono 4 + xlink-errors/hono (app.use(xlinkErrorHandler()))', file: 'xlink.mjs', status: 404 },
  { name: 'Hono 4, 200, no error handler', file: 'ok.mjs', status: 200 },
  { name: 'Hono 4, 200, app.use(xlinkErrorHandler()) + xlinkNotFound mounted', file: 'ok.mjs', status: 200, env: { XLINK: '1' } },
  { name: 'Hono 4 + xlink-errors/hono (app.onError(xlinkErrorHandler()))', file: 'xlink.mjs', status: 404, env: { MOUNT: 'onError' } },
  { name: 'Hono 4, 200, app.onError(xlinkErrorHandler()) + xlinkNotFound mounted', file: 'ok.mjs', status: 200, env: { XLINK: 'onError' } },
];

function start({ file, env }) {
  const child = fork(fileURLToPath(new URL(`./hono-servers/${file}`, import.meta.url)), [], {
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    execArgv: ['--require', fileURLToPath(new URL('./servers/_cpu-probe.cjs', import.meta.url))],
  });
  return new Promise((resolve, reject) => {
    const cpu = () => new Promise((done) => (child.once('message', (m) => done(m.cpu)), child.send('cpu')));
    child.once('message', ({ port }) => resolve({ port, cpu, stop: () => child.kill() }));
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
}

/** One measurement: req/s and server CPU µs per answer; every answer must have the variant's status. */
async function measure({ port, cpu }, status) {
  const before = await cpu();
  const result = await autocannon({ url: `http://127.0.0.1:${port}/v2/device/42`, connections, duration, pipelining: 1 });
  const answers = result['2xx'] + result.non2xx;
  const expected = status === 200 ? result['2xx'] : result['4xx'];
  if (answers !== expected || expected === 0 || result.errors + result.timeouts > 0) throw new Error(`unexpected answers: ${JSON.stringify({ '2xx': result['2xx'], '4xx': result['4xx'], non2xx: result.non2xx, errors: result.errors })}`);
  return { rps: result.requests.average, cpu: ((await cpu()) - before) / answers };
}

const servers = [];
const http = variants.map(() => []);
try {
  for (const variant of variants) servers.push(await start(variant));
  for (const { port } of servers) await autocannon({ url: `http://127.0.0.1:${port}/v2/device/42`, connections, duration: 1 }); // warm-up
  for (let round = 0; round < rounds; round++) {
    const order = variants.map((_, i) => i);
    if (round % 2) order.reverse();
    for (const i of order) http[i].push(await measure(servers[i], variants[i].status));
    process.stderr.write(`HTTP round ${round + 1}/${rounds} done\n`);
  }
} finally {
  for (const server of servers) server.stop();
}

// 2. In-process: the Response itself.
const require = createRequire(import.meta.url);
const { xlinkError, xlinkResponse } = require('xlink-errors/web');
const err = xlinkError('DEVICE_NOT_FOUND', { stack: false });
let sink = 0;
const cases = {
  'new Response(JSON.stringify(envelope), { status, headers })': () => {
    const res = new Response(JSON.stringify({ error: { code: err.code, msg: err.message } }), { status: err.status, headers: { 'Content-Type': 'application/json; charset=utf-8' } });
    sink += res.status;
  },
  'xlinkResponse(err)': () => {
    sink += xlinkResponse(err).status;
  },
};
const time = (fn) => {
  const t = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  return Number(process.hrtime.bigint() - t) / iterations;
};
const names = Object.keys(cases);
for (const name of names) time(cases[name]); // warm-up
const inProcess = Object.fromEntries(names.map((n) => [n, []]));
for (let round = 0; round < rounds; round++) {
  for (const name of round % 2 ? [...names].reverse() : names) inProcess[name].push(time(cases[name]));
}

console.log(`\nNode ${process.version}, hono ${JSON.parse(readFileSync(new URL('../node_modules/hono/package.json', import.meta.url), 'utf8')).version}, ${rounds} rounds; HTTP: ${duration} s x ${connections} connections, GET answered 404 4041008 (200 where the variant says so); in-process: ${iterations} Responses per round\n`);
console.log('| variant | median req/s | median server CPU µs per request |');
console.log('| --- | ---: | ---: |');
variants.forEach(({ name }, i) => console.log(`| ${name} | ${Math.round(median(http[i].map((s) => s.rps)))} | ${median(http[i].map((s) => s.cpu)).toFixed(1)} |`));
const rpsRatio = (a, b) => spread(http[a].map((s, r) => s.rps / http[b][r].rps));
const cpuRatio = (a, b) => spread(http[a].map((s, r) => http[b][r].cpu / s.cpu)); // baseline CPU / variant CPU
console.log('\n| ratio (median of per-round ratios, this run; >= 1.00: the package is as fast) | value |');
console.log('| --- | ---: |');
console.log(`| Hono error path, req/s: app.onError(xlinkErrorHandler()) / hand-written onError | ${rpsRatio(4, 0)} |`);
console.log(`| Hono error path, server CPU: hand-written onError / app.onError(xlinkErrorHandler()) | ${cpuRatio(4, 0)} |`);
console.log(`| Hono success path, req/s: app.onError(xlinkErrorHandler()) mounted / none | ${rpsRatio(5, 2)} |`);
console.log(`| Hono success path, server CPU: none / app.onError(xlinkErrorHandler()) mounted | ${cpuRatio(5, 2)} |`);
console.log(`| Hono error path, req/s: app.use(xlinkErrorHandler()) / hand-written onError | ${rpsRatio(1, 0)} |`);
console.log(`| Hono error path, server CPU: hand-written onError / app.use(xlinkErrorHandler()) | ${cpuRatio(1, 0)} |`);
console.log(`| Hono success path, req/s: app.use(xlinkErrorHandler()) mounted / none | ${rpsRatio(3, 2)} |`);
console.log(`| Hono success path, server CPU: none / app.use(xlinkErrorHandler()) mounted | ${cpuRatio(3, 2)} |`);
const [hand, pkg] = names.map((n) => inProcess[n]);
console.log(`\n| in-process, ns per Response | median |\n| --- | ---: |`);
for (const name of names) console.log(`| ${name} | ${median(inProcess[name]).toFixed(0)} |`);
console.log(`\n| in-process speed ratio: new Response(JSON.stringify()) time / xlinkResponse time (median of per-round ratios) | ${spread(hand.map((t, r) => t / pkg[r]))} |`);
if (sink === 0) console.log(''); // keeps the results alive
