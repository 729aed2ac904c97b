// xlink-errors/client against the fetch code users write by hand (the homebridge-cync style:
// fetch, read the body, parse it, look for error.code when it is a number, throw), for a
// success (200 JSON) and an error (404 4041008).
// 1. In-process: a `fetch` that returns a ready Response, so only the client's own work is timed
//    (its checks, headers, reading and parsing the body, making the error); ns per request.
// 2. Over HTTP: an upstream in its own process on 127.0.0.1 (bench/servers/client-upstream.cjs),
//    a bounded number of requests per sample, 10 in flight; requests per second.
// Variants alternate over rounds; ratios are medians of per-round ratios (> 1: the client slower).
// Usage: node scripts/build.mjs && node bench/client.mjs [-- --rounds 7 --iterations 20000 --requests 2000]
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const { createXlinkClient, parseXlinkError } = require('xlink-errors/client');

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '7' }, iterations: { type: 'string', default: '20000' }, requests: { type: 'string', default: '2000' } } });
const rounds = Number(values.rounds);
const iterations = Number(values.iterations);
const requests = Number(values.requests);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** What users write by hand: one request, its JSON, an Error for an envelope. */
function handWritten(fetchFn, baseUrl) {
  return async (path) => {
    const res = await fetchFn(`${baseUrl}${path}`, { method: 'GET', headers: { 'Access-Token': 'token', Accept: 'application/json' } });
    const text = await res.text();
    const body = text === '' ? undefined : JSON.parse(text);
    if (res.ok) return body;
    const err = new Error(body?.error?.msg ?? `HTTP ${res.status}`);
    err.status = res.status;
    if (typeof body?.error?.code === 'number') err.code = body.error.code;
    throw err;
  };
}
function viaClient(fetchFn, baseUrl) {
  const client = createXlinkClient({ baseUrl, fetch: fetchFn, accessToken: 'token' });
  return (path) => client.request('GET', path);
}

const OK = JSON.stringify({ id: 3001, mac: 'AABBCCDDEEFF', name: 'Lamp', is_online: true, firmware_version: 3 });
const MISSING = '{"error":{"code":4041008,"msg":"Device does not exist"}}';
const headers = { 'Content-Type': 'application/json; charset=utf-8' };
const readyFetch = async (url) => (url.endsWith('/ok') ? new Response(OK, { status: 200, headers }) : new Response(MISSING, { status: 404, headers }));

const paths = { 'success (200)': '/ok', 'error (404 4041008)': '/missing' };
const checks = {
  '/ok': (value) => value?.id === 3001,
  '/missing': (err) => err?.code === 4041008,
};

async function timeInProcess(call, path) {
  let ok = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    const value = await call(path).catch((err) => err);
    if (checks[path](value)) ok++;
  }
  const ns = Number(process.hrtime.bigint() - start) / iterations;
  if (ok !== iterations) throw new Error(`${path}: ${iterations - ok} wrong answers`);
  return ns;
}

async function timeHttp(call, path) {
  let ok = 0;
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (next++ < requests) {
        const value = await call(path).catch((err) => err);
        if (checks[path](value)) ok++;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (ok !== requests) throw new Error(`${path}: ${requests - ok} wrong answers`);
  return requests / seconds;
}

async function compare(title, unit, variants, measure, higherIsFaster) {
  const names = Object.keys(variants);
  const samples = Object.fromEntries(Object.keys(paths).map((k) => [k, Object.fromEntries(names.map((n) => [n, []]))]));
  for (const [kind, path] of Object.entries(paths)) for (const name of names) await measure(variants[name], path); // warm-up
  for (let round = 0; round < rounds; round++) {
    for (const [kind, path] of Object.entries(paths)) {
      const order = round % 2 ? [...names].reverse() : names;
      for (const name of order) samples[kind][name].push(await measure(variants[name], path));
    }
  }
  console.log(`\n${title}\n`);
  console.log(`| variant | ${Object.keys(paths).map((k) => `median ${unit}, ${k}`).join(' | ')} |`);
  console.log(`| --- | ${Object.keys(paths).map(() => '---:').join(' | ')} |`);
  for (const name of names) console.log(`| ${name} | ${Object.keys(paths).map((k) => median(samples[k][name]).toFixed(0)).join(' | ')} |`);
  console.log(`\n| client cost / hand-written (median of per-round ratios, range) | ${Object.keys(paths).join(' | ')} |`);
  console.log(`| --- | ${Object.keys(paths).map(() => '---:').join(' | ')} |`);
  const cells = Object.keys(paths).map((k) => {
    const perRound = samples[k]['createXlinkClient'].map((x, r) => (higherIsFaster ? samples[k]['hand-written fetch'][r] / x : x / samples[k]['hand-written fetch'][r]));
    return `${median(perRound).toFixed(2)} (${Math.min(...perRound).toFixed(2)}-${Math.max(...perRound).toFixed(2)})`;
  });
  console.log(`| createXlinkClient | ${cells.join(' | ')} |`);
}

// parseXlinkError on an answer already read, against the hand-written check.
function timeSync(fn) {
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations * 10; i++) sink += fn() ? 1 : 0;
  if (sink !== iterations * 10) throw new Error('wrong answers');
  return Number(process.hrtime.bigint() - start) / (iterations * 10);
}
const answer = { status: 404, body: JSON.parse(MISSING) };
const syncVariants = {
  'hand-written check': () => {
    const code = answer.body?.error?.code;
    const err = new Error(answer.body?.error?.msg);
    if (typeof code === 'number') err.code = code;
    return err.code === 4041008;
  },
  'parseXlinkError({ status, body })': () => parseXlinkError(answer).code === 4041008,
};

console.log(`xlink-errors/client: ${rounds} rounds, ${iterations} requests per in-process sample, ${requests} per HTTP sample (10 in flight); Node ${process.version}`);
{
  const names = Object.keys(syncVariants);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (const n of names) timeSync(syncVariants[n]);
  for (let round = 0; round < rounds; round++) for (const n of round % 2 ? [...names].reverse() : names) samples[n].push(timeSync(syncVariants[n]));
  console.log('\nReading an answer already read (an error, 404 4041008)\n');
  console.log('| variant | median ns |');
  console.log('| --- | ---: |');
  for (const n of names) console.log(`| ${n} | ${median(samples[n]).toFixed(0)} |`);
  const perRound = samples[names[1]].map((x, r) => x / samples[names[0]][r]);
  console.log(`\nparseXlinkError / hand-written: ${median(perRound).toFixed(2)} (${Math.min(...perRound).toFixed(2)}-${Math.max(...perRound).toFixed(2)})`);
}
await compare('1. In-process (a fetch that returns a ready Response)', 'ns per request', { 'hand-written fetch': handWritten(readyFetch, 'https://api.example.com'), createXlinkClient: viaClient(readyFetch, 'https://api.example.com') }, timeInProcess, false);

const upstream = fork(fileURLToPath(new URL('./servers/client-upstream.cjs', import.meta.url)));
try {
  const { port } = await new Promise((resolve) => upstream.once('message', resolve));
  const base = `http://127.0.0.1:${port}`;
  await compare('2. Over HTTP (127.0.0.1, keep-alive, 10 in flight)', 'req/s', { 'hand-written fetch': handWritten(fetch, base), createXlinkClient: viaClient(fetch, base) }, timeHttp, true);
} finally {
  upstream.disconnect();
  upstream.kill();
}
