// Micro-benchmark of the package's own work per error, against createError() + JSON.stringify,
// alternated over rounds; prints medians (ns per error) and ratios from this one run.
// Usage: npm run bench:micro [-- --rounds 7 --iterations 200000]
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const createError = require('http-errors');
const { xlinkError, toXlinkError } = require('xlink-errors');
const { bodyOf } = require('../dist/cjs/core/wire.js'); // internal: what the handlers call

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '7' }, iterations: { type: 'string', default: '200000' } } });
const rounds = Number(values.rounds);
const iterations = Number(values.iterations);

let sink = 0; // keeps results alive so nothing is optimised away
const cases = {
  'createError(404, msg) + JSON.stringify(envelope)': () => {
    const err = createError(404, 'Device does not exist');
    sink += JSON.stringify({ error: { code: 4041008, msg: err.message } }).length;
  },
  'xlink: create (stack: false) + map + serialise': () => {
    const err = xlinkError('DEVICE_NOT_FOUND', { stack: false });
    sink += bodyOf(toXlinkError(err), 'number', 'en').bytes.length;
  },
  'xlink: create (with stack) + map + serialise': () => {
    const err = xlinkError('DEVICE_NOT_FOUND', { stack: true });
    sink += bodyOf(toXlinkError(err), 'number', 'en').bytes.length;
  },
  'xlink: map + serialise a foreign Error (503)': () => {
    sink += bodyOf(toXlinkError(FOREIGN), 'number', 'en').bytes.length;
  },
  'new Error() (V8 stack capture, 10 frames)': () => {
    sink += new Error('x').message.length;
  },
  'new Error() with Error.stackTraceLimit = 0': () => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    const err = new Error('x');
    Error.stackTraceLimit = limit;
    sink += err.message.length;
  },
};
const FOREIGN = new Error('db down');

function time(fn) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  return Number(process.hrtime.bigint() - start) / iterations;
}

const names = Object.keys(cases);
const samples = Object.fromEntries(names.map((n) => [n, []]));
for (const name of names) time(cases[name]); // warm-up
const quiet = console.error; // the 503 case logs nothing here (no handler), but be safe
console.error = () => {};
for (let round = 0; round < rounds; round++) {
  const order = round % 2 ? [...names].reverse() : names;
  for (const name of order) samples[name].push(time(cases[name]));
}
console.error = quiet;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ns = Object.fromEntries(names.map((n) => [n, median(samples[n])]));

console.log(`\nNode ${process.version}, ${rounds} rounds x ${iterations} iterations (sink ${sink % 10})\n`);
console.log('| work per error | median ns |');
console.log('| --- | ---: |');
for (const name of names) console.log(`| ${name} | ${ns[name].toFixed(0)} |`);
const base = ns['createError(404, msg) + JSON.stringify(envelope)'];
console.log('\n| ratio (this run) | value |');
console.log('| --- | ---: |');
console.log(`| createError + stringify / xlink (stack: false) | ${(base / ns['xlink: create (stack: false) + map + serialise']).toFixed(1)}x |`);
console.log(`| createError + stringify / xlink (with stack) | ${(base / ns['xlink: create (with stack) + map + serialise']).toFixed(1)}x |`);
console.log(`| stack capture cost: new Error() / stackTraceLimit 0 | ${(ns['new Error() (V8 stack capture, 10 frames)'] / ns['new Error() with Error.stackTraceLimit = 0']).toFixed(1)}x |`);
