// How long `xlink-errors check` takes over the example's whole API, and how many requests it
// sends: the example servers (Express and Koa) started as `npm start` starts them, each checked
// with every route of the route table (one request at a time, the default; and 4 at a time on
// Express). Variants alternate within each round (order reversed every other round); figures are
// medians, ratios the medians of per-round ratios. Runs the checker from dist (the tarball's
// files). Needs tsx for the route table (examples/ is TS).
// Usage: npm run bench:conformance [-- --rounds 7]
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
// dist by path: under tsx, the package's own name would resolve to src/ (tsconfig paths).
import { checkXlinkContract } from '../dist/esm/testing/index.js';
import { routes as table } from '../examples/domain/routes.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '7' } } });
const rounds = Number(values.rounds);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const routes = table.map((r) => `${r.method.toUpperCase()} ${r.path}`);

function start(entry) {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: root, env: { ...process.env, PORT: '0', HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve({ child, url: match[1] });
    });
    child.on('exit', (code) => reject(new Error(`${entry} exited with ${code}: ${out}`)));
  });
}

const servers = { Express: await start('examples/express/server.ts'), Koa: await start('examples/koa/server.ts') };
const variants = {
  'Express, 1 at a time': { url: servers.Express.url, concurrency: 1 },
  'Koa, 1 at a time': { url: servers.Koa.url, concurrency: 1 },
  'Express, 4 at a time': { url: servers.Express.url, concurrency: 4 },
};
const names = Object.keys(variants);
const samples = Object.fromEntries(names.map((n) => [n, { ms: [], requests: new Set(), probes: new Set(), ok: true }]));

async function sample(name) {
  const { url, concurrency } = variants[name];
  const startedAt = process.hrtime.bigint();
  const report = await checkXlinkContract(url, { routes, concurrency });
  const ms = Number(process.hrtime.bigint() - startedAt) / 1e6;
  return { ms, report };
}

try {
  for (const name of names) await sample(name); // warm up: JIT, the servers' first requests
  for (let round = 0; round < rounds; round++) {
    for (const name of round % 2 ? [...names].reverse() : names) {
      const { ms, report } = await sample(name);
      const s = samples[name];
      s.ms.push(ms);
      s.requests.add(report.requests);
      s.probes.add(report.results.length);
      s.ok &&= report.ok;
    }
  }
} finally {
  for (const { child } of Object.values(servers)) child.kill('SIGTERM');
}

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const ratio = (a, b) => median(samples[a].ms.map((x, i) => x / samples[b].ms[i]));

console.log(`xlink-errors check over the example's whole API (${routes.length} routes), ${rounds} rounds, Node ${process.version}\n`);
console.log('variant                 median ms   min-max ms    requests   probes   ok');
for (const name of names) {
  const s = samples[name];
  console.log(
    `${name.padEnd(22)}  ${median(s.ms).toFixed(0).padStart(9)}   ${`${Math.min(...s.ms).toFixed(0)}-${Math.max(...s.ms).toFixed(0)}`.padStart(10)}    ${[...s.requests].join('/').padStart(8)}   ${[...s.probes].join('/').padStart(6)}   ${s.ok}`,
  );
}
console.log(`\nKoa / Express, 1 at a time (time per check):   ${ratio('Koa, 1 at a time', 'Express, 1 at a time').toFixed(2)}`);
console.log(`Express, 4 at a time / 1 at a time:             ${ratio('Express, 4 at a time', 'Express, 1 at a time').toFixed(2)}`);
