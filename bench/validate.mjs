// Request validation on Express 5: xlinkValidate against the same schema checked by a
// hand-written ajv middleware, express-validator and zod (bench/validate-apps.cjs), and
// xlinkValidate given the zod schema (Standard Schema) against the hand-written zod middleware
// producing the same envelope, for a valid body (200) and a body missing a required field (400 4001002).
// 0. The middleware alone, called with a parsed valid body (no Express): the validation's own
//    cost, which the per-request figures below bury under Express's (a few µs out of hundreds).
// 1. In-process (light-my-request): CPU per request, no sockets, variants alternated over rounds.
// 2. Over HTTP: each app in its own process on 127.0.0.1, autocannon for a bounded time per
//    sample, variants alternated over rounds; ratios are medians of per-round ratios.
// Every answer is checked (status and bytes in-process, status classes over HTTP).
// Usage: npm run bench:validate [-- --rounds 5 --requests 3000 --duration 2 --connections 50]
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

process.env.NODE_ENV = 'production'; // as a deployed server runs
const require = createRequire(import.meta.url);
const inject = require('light-my-request');
const { apps, validations, comparisons, validBody, invalidBody, paramNull } = require('./validate-apps.cjs');

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    requests: { type: 'string', default: '3000' },
    duration: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    'no-http': { type: 'boolean', default: false },
  },
});
const rounds = Number(values.rounds);
const requests = Number(values.requests);
const duration = Number(values.duration);
const connections = Number(values.connections);

const names = Object.keys(apps);
const kinds = {
  'valid body (200)': { payload: JSON.stringify(validBody), status: 200, answer: '{"ok":true}' },
  'missing field (400)': { payload: JSON.stringify(invalidBody), status: 400, answer: JSON.stringify(paramNull) },
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const request = (payload) => ({ method: 'POST', url: '/v2/login', headers: { 'content-type': 'application/json' }, payload });

/** Prints a table of medians and one of ratios (ours against each other variant, > 1: ours faster). */
function report(title, unit, samples, fasterIsHigher) {
  console.log(`\n${title}\n`);
  console.log(`| variant | ${Object.keys(kinds).map((k) => `median ${unit}, ${k}`).join(' | ')} |`);
  console.log(`| --- | ${Object.keys(kinds).map(() => '---:').join(' | ')} |`);
  for (const name of names) console.log(`| ${name} | ${Object.keys(kinds).map((k) => median(samples[k][name]).toFixed(fasterIsHigher ? 0 : 1)).join(' | ')} |`);
  console.log(`\n| speed ratio, ours / other's (median of per-round ratios) | ${Object.keys(kinds).join(' | ')} |`);
  console.log(`| --- | ${Object.keys(kinds).map(() => '---:').join(' | ')} |`);
  for (const [ours, name] of comparisons) {
    const cells = Object.keys(kinds).map((k) => {
      const perRound = samples[k][ours].map((x, r) => (fasterIsHigher ? x / samples[k][name][r] : samples[k][name][r] / x));
      return `${median(perRound).toFixed(2)} (${Math.min(...perRound).toFixed(2)}-${Math.max(...perRound).toFixed(2)})`;
    });
    console.log(`| ${ours} vs ${name} | ${cells.join(' | ')} |`);
  }
}

// 0. The middleware alone, on a valid body: each variant's chain called as Express would.
{
  const chains = Object.fromEntries(names.map((n) => [n, validations[n]()]));
  const res = { status: () => res, json: () => { throw new Error('a valid body was refused'); } };
  const runChain = async (chain) => {
    const req = { body: { ...validBody }, headers: { 'content-type': 'application/json' }, query: {}, params: {} };
    for (const mw of chain) {
      let passed = false;
      const pending = mw(req, res, (err) => {
        if (err) throw err;
        passed = true;
      });
      if (pending && typeof pending.then === 'function') await pending; // express-validator is async
      if (!passed) throw new Error('the chain did not call next()');
    }
  };
  const time = async (chain, n) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await runChain(chain);
    return Number(process.hrtime.bigint() - start) / n / 1000;
  };
  const n = requests * 10;
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (const name of names) await time(chains[name], n / 10); // warm-up
  for (let round = 0; round < rounds; round++) for (const name of round % 2 ? [...names].reverse() : names) samples[name].push(await time(chains[name], n));
  console.log(`\nNode ${process.version}, the validation middleware alone, valid body, ${rounds} rounds x ${n} calls\n`);
  console.log('| variant | median µs per call |');
  console.log('| --- | ---: |');
  for (const name of names) console.log(`| ${name} | ${median(samples[name]).toFixed(2)} |`);
  console.log('\n| speed ratio, ours / other\'s (median of per-round ratios) | valid body |');
  console.log('| --- | ---: |');
  for (const [ours, name] of comparisons) console.log(`| ${ours} vs ${name} | ${median(samples[ours].map((x, r) => samples[name][r] / x)).toFixed(2)} |`);
}

// 1. In-process.
const dispatchers = Object.fromEntries(names.map((n) => [n, apps[n]()]));
async function injectRun(app, kind, n) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const res = await inject(app, request(kind.payload));
    if (res.statusCode !== kind.status || res.payload !== kind.answer) throw new Error(`wrong answer: ${res.statusCode} ${res.payload}`);
  }
  return Number(process.hrtime.bigint() - start) / n / 1000;
}
const inProcess = Object.fromEntries(Object.keys(kinds).map((k) => [k, Object.fromEntries(names.map((n) => [n, []]))]));
for (const name of names) for (const kind of Object.values(kinds)) await injectRun(dispatchers[name], kind, 500); // warm-up
for (let round = 0; round < rounds; round++) {
  for (const [k, kind] of Object.entries(kinds)) {
    for (const name of round % 2 ? [...names].reverse() : names) inProcess[k][name].push(await injectRun(dispatchers[name], kind, requests));
  }
}
report(`Node ${process.version}, Express 5, in-process (light-my-request), ${rounds} rounds x ${requests} requests`, 'µs/request', inProcess, false);

// 2. Over HTTP.
if (!values['no-http']) {
  const start = (name) => {
    const child = fork(fileURLToPath(new URL('./servers/validate.cjs', import.meta.url)), [name], {
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      child.once('message', ({ port }) => resolve({ port, stop: () => child.kill() }));
      child.once('exit', (code) => reject(new Error(`${name} server exited with ${code}`)));
    });
  };
  const load = async (port, kind, seconds) => {
    const result = await autocannon({ url: `http://127.0.0.1:${port}/v2/login`, connections, duration: seconds, method: 'POST', headers: { 'content-type': 'application/json' }, body: kind.payload });
    const wrong = result.errors + result.timeouts + (kind.status === 200 ? result.non2xx : result.non2xx - result['4xx'] + result['2xx']);
    if (wrong > 0 || result.requests.total === 0) throw new Error(`unexpected answers: ${JSON.stringify({ '2xx': result['2xx'], non2xx: result.non2xx, errors: result.errors })}`);
    return result.requests.average;
  };
  const servers = {};
  try {
    for (const name of names) servers[name] = await start(name);
    for (const name of names) {
      for (const kind of Object.values(kinds)) {
        // Bytes once per server and kind, then a short warm-up.
        const res = await fetch(`http://127.0.0.1:${servers[name].port}/v2/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: kind.payload });
        const text = await res.text();
        if (res.status !== kind.status || text !== kind.answer) throw new Error(`${name}: wrong answer ${res.status} ${text}`);
        await load(servers[name].port, kind, 1);
      }
    }
    const overHttp = Object.fromEntries(Object.keys(kinds).map((k) => [k, Object.fromEntries(names.map((n) => [n, []]))]));
    for (let round = 0; round < rounds; round++) {
      for (const [k, kind] of Object.entries(kinds)) {
        for (const name of round % 2 ? [...names].reverse() : names) overHttp[k][name].push(await load(servers[name].port, kind, duration));
      }
      process.stderr.write(`http round ${round + 1}/${rounds} done\n`);
    }
    report(`Node ${process.version}, Express 5, over HTTP (autocannon, ${connections} connections), ${rounds} rounds x ${duration} s per sample`, 'req/s', overHttp, true);
  } finally {
    for (const server of Object.values(servers)) server.stop();
  }
}
