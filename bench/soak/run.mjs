// `npm run soak`: a bounded load test on 127.0.0.1 against an Express and a Koa app that throw a
// mix of catalog errors and random failures. Every response is checked (status, type, length,
// envelope, the expected code, nothing of a 503 leaked); it reports requests, wrong answers
// (must be 0) and the servers' memory after warm-up and at the end (after a GC).
// Usage: npm run soak [-- --seconds 30 --warmup 5 --connections 50]; stops by itself.
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const require = createRequire(import.meta.url);
const { cases } = require('./cases.cjs');
const { validateXlinkEnvelope } = require('xlink-errors');

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '30' }, warmup: { type: 'string', default: '5' }, connections: { type: 'string', default: '50' } } });
const seconds = Number(values.seconds);
const warmup = Number(values.warmup);
const connections = Number(values.connections);

function start(kind) {
  const child = fork(fileURLToPath(new URL('./server.cjs', import.meta.url)), [kind], {
    execArgv: ['--expose-gc'],
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const memory = () =>
    new Promise((resolve) => {
      child.once('message', ({ memory }) => resolve(memory));
      child.send('memory');
    });
  return new Promise((resolve, reject) => {
    child.once('message', ({ port }) => resolve({ port, memory, stop: () => child.kill() }));
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
}

/** Checks one response against the case it asked for; returns a complaint or undefined. */
function check(i, status, body, rawHeaders) {
  const expected = cases[i][1];
  const headers = Object.fromEntries(Object.entries(rawHeaders).map(([k, v]) => [k.toLowerCase(), v]));
  let parsed;
  try {
    parsed = JSON.parse(body);
  } catch {
    return `case ${i}: not JSON`;
  }
  if (!validateXlinkEnvelope(parsed)) return `case ${i}: not an envelope`;
  if (parsed.error.code !== expected) return `case ${i}: code ${parsed.error.code}, expected ${expected}`;
  if (status !== Math.floor(expected / 10000)) return `case ${i}: status ${status}`;
  if (headers['content-type'] !== 'application/json; charset=utf-8') return `case ${i}: type ${headers['content-type']}`;
  if (Number(headers['content-length']) !== Buffer.byteLength(body)) return `case ${i}: length`;
  if (status === 503 && body !== '{"error":{"code":5031001,"msg":"Server exception"}}') return `case ${i}: 503 body ${body}`;
  return undefined;
}

async function load(port, duration, tally) {
  let next = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration,
    requests: [
      {
        method: 'GET',
        setupRequest(req, context) {
          context.i = next++ % cases.length;
          return { ...req, path: `/case/${context.i}` };
        },
        onResponse(status, body, context, headers) {
          tally.requests++;
          const complaint = check(context.i, status, body, headers ?? {});
          if (complaint) {
            tally.wrong++;
            if (tally.examples.length < 5) tally.examples.push(complaint);
          }
        },
      },
    ],
  });
  tally.errors += result.errors + result.timeouts;
}

const mb = (bytes) => `${(bytes / 1048576).toFixed(1)} MB`;
let failed = false;
for (const kind of ['express', 'koa']) {
  const server = await start(kind);
  try {
    const tally = { requests: 0, wrong: 0, errors: 0, examples: [] };
    const before = await server.memory();
    await load(server.port, warmup, tally);
    // After warm-up, memory is read (after a GC) at the end of every slice: flat means no leak.
    const readings = [await server.memory()];
    const slices = Math.max(1, Math.round(seconds / 10));
    for (let slice = 0; slice < slices; slice++) {
      await load(server.port, seconds / slices, tally);
      readings.push(await server.memory());
    }
    console.log(`${kind.padEnd(7)} requests ${tally.requests}, wrong answers ${tally.wrong}, socket errors ${tally.errors}`);
    console.log(`        RSS  ${mb(before.rss)} at start; after warm-up, then every ${seconds / slices} s: ${readings.map((r) => mb(r.rss)).join(', ')}`);
    console.log(`        heap after warm-up, then every ${seconds / slices} s: ${readings.map((r) => mb(r.heapUsed)).join(', ')}`);
    for (const example of tally.examples) console.log(`  ${example}`);
    if (tally.wrong > 0 || tally.errors > 0 || tally.requests === 0) failed = true;
  } finally {
    server.stop();
  }
}
process.exitCode = failed ? 1 : 0;
