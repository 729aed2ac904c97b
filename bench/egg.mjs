// Egg.js benchmark: the docs/koa.md recipe (xlink-errors/koa in Egg's core middleware) against
// Egg's own answer to the same thrown 404 (its onerror plugin, JSON) and against a route that
// writes the envelope itself without throwing. Each app in its own process on 127.0.0.1,
// autocannon, variants alternated over rounds; ratios are medians of per-round ratios (see
// bench/http.mjs), for req/s and for the server's CPU time per request.
// Usage: npm run build && node bench/egg.mjs [--rounds 7 --duration 2 --connections 50]
import { fork } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '7' }, duration: { type: 'string', default: '2' }, connections: { type: 'string', default: '50' } },
});
const rounds = Number(values.rounds);
const duration = Number(values.duration);
const connections = Number(values.connections);

const variants = [
  { name: 'Egg 4, route throws, Egg\'s onerror answers', app: 'egg-own', path: '/v2/device/42' },
  { name: 'Egg 4, route throws, xlink-errors/koa answers (the recipe)', app: 'egg-xlink', path: '/v2/device/42' },
  { name: 'Egg 4, route writes the envelope itself (no throw)', app: 'egg-own', path: '/v2/hand/42' },
];

function start(app) {
  const child = fork(fileURLToPath(new URL('./servers/egg.cjs', import.meta.url)), [app], {
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    execArgv: [...process.execArgv, '--require', fileURLToPath(new URL('./servers/_cpu-probe.cjs', import.meta.url))],
  });
  return new Promise((resolve, reject) => {
    const cpu = () => new Promise((done) => (child.once('message', (m) => done(m.cpu)), child.send('cpu')));
    // stop(): ends the app and removes its logs (bench/servers/egg-*/config/config.default.js).
    const stop = () =>
      new Promise((done) => {
        child.once('exit', () => done(rmSync(join(tmpdir(), 'xlink-errors-bench-egg', String(child.pid)), { recursive: true, force: true })));
        child.kill();
      });
    child.once('message', ({ port }) => resolve({ port, cpu, stop }));
    child.once('exit', (code) => reject(new Error(`${app} exited with ${code}`)));
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** One measurement: req/s and server CPU µs per answer; every answer must be a 404. */
async function measure({ port, cpu }, path) {
  const before = await cpu();
  const result = await autocannon({ url: `http://127.0.0.1:${port}${path}`, connections, duration, headers: { accept: 'application/json' } });
  const answers = result['2xx'] + result.non2xx;
  if (result['4xx'] !== answers || answers === 0 || result.errors + result.timeouts > 0) throw new Error(`unexpected answers on ${path}: ${JSON.stringify({ '4xx': result['4xx'], answers, errors: result.errors })}`);
  return { rps: result.requests.average, cpu: ((await cpu()) - before) / answers };
}

const servers = new Map();
try {
  for (const app of new Set(variants.map((v) => v.app))) servers.set(app, await start(app));
  for (const v of variants) await autocannon({ url: `http://127.0.0.1:${servers.get(v.app).port}${v.path}`, connections, duration: 1 }); // warm-up
  const samples = variants.map(() => []);
  for (let round = 0; round < rounds; round++) {
    const order = variants.map((_, i) => i);
    if (round % 2) order.reverse();
    for (const i of order) samples[i].push(await measure(servers.get(variants[i].app), variants[i].path));
    process.stderr.write(`round ${round + 1}/${rounds} done\n`);
  }
  console.log(`\nNode ${process.version}, ${rounds} rounds x ${duration} s, ${connections} connections, GET answered 404\n`);
  console.log('| variant | median req/s | median server CPU µs/request |');
  console.log('| --- | ---: | ---: |');
  variants.forEach((v, i) => console.log(`| ${v.name} | ${Math.round(median(samples[i].map((s) => s.rps)))} | ${median(samples[i].map((s) => s.cpu)).toFixed(1)} |`));
  const ratio = (a, b) => {
    const rps = samples[a].map((s, r) => s.rps / samples[b][r].rps);
    const cpu = samples[a].map((s, r) => samples[b][r].cpu / s.cpu);
    const show = (xs) => `${median(xs).toFixed(2)} (rounds ${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)})`;
    return `${show(rps)} | ${show(cpu)}`;
  };
  console.log('\n| ratio (median of per-round ratios, this run) | req/s | CPU (baseline CPU / variant CPU) |');
  console.log('| --- | ---: | ---: |');
  console.log(`| the recipe / Egg's own onerror | ${ratio(1, 0)} |`);
  console.log(`| the recipe / the route writing the envelope itself | ${ratio(1, 2)} |`);
} finally {
  await Promise.all([...servers.values()].map(({ stop }) => stop()));
}
