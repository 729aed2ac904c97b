// Cold start: what importing the package adds to a bare `node` start, next to what importing
// ajv alone adds. Each sample is a fresh `node` process, which reports the CPU time (user +
// system, every thread) it spent from the end of node's bootstrap to its exit (see
// bench/startup-probe.cjs); the parent also times it from spawn to exit (wall, noisier).
// Variants alternate within each round (order reversed every other round) and the figures are
// medians, so the machine's drift hits every variant alike. Also checks, in the same processes,
// that no ajv module is loaded by importing the package's entries.
// Runs on dist (the files the tarball ships), resolved by the package's own name.
// Usage: npm run bench:startup [-- --rounds 15]
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '15' } } });
const rounds = Number(values.rounds);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const probe = join(root, 'bench', 'startup-probe.cjs');

// The baseline of each row: CommonJS rows against a bare `node -e ''`; ESM rows against an ESM
// program that imports one empty module file, since the first file an ES module program loads
// starts node's ESM file loader (about 8 ms of CPU on this machine), which any ESM app has
// already paid for its own files, so it is not counted as ours.
const cjs = (code) => ['-e', code];
const esm = (code) => ['--input-type=module', '-e', code];
const BARE = "bare node -e ''";
const BARE_ESM = "ESM importing an empty module";
const variants = {
  [BARE]: { args: cjs(''), base: null },
  [BARE_ESM]: { args: esm("import './bench/startup-empty.mjs'"), base: null },
  "require('xlink-errors')": { args: cjs("require('xlink-errors')"), base: BARE, ours: true },
  "import 'xlink-errors'": { args: esm("import 'xlink-errors'"), base: BARE_ESM, ours: true },
  "require('xlink-errors/koa')": { args: cjs("require('xlink-errors/koa')"), base: BARE, ours: true },
  "import 'xlink-errors/koa'": { args: esm("import 'xlink-errors/koa'"), base: BARE_ESM, ours: true },
  "require('ajv') alone": { args: cjs("require('ajv')"), base: BARE },
  "import 'ajv' alone": { args: esm("import 'ajv'"), base: BARE_ESM },
  "require('http-errors') alone": { args: cjs("require('http-errors')"), base: BARE },
};
const AJV = "require('ajv') alone";
const AJV_ESM = "import 'ajv' alone";
const ajvOf = (name) => (variants[name].base === BARE_ESM ? AJV_ESM : AJV);

function sample(args) {
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ['--require', probe, ...args], { cwd: root, encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (child.status !== 0) throw new Error(`node ${args.join(' ')} failed:\n${child.stderr}`);
  const report = JSON.parse(child.stdout.trim().split('\n').pop());
  return { cpu: report.cpuMs, wall, ajv: report.ajv };
}

const names = Object.keys(variants);
const samples = Object.fromEntries(names.map((n) => [n, { cpu: [], wall: [], ajv: new Set() }]));
for (const name of names) sample(variants[name].args); // warm the file system cache
for (let round = 0; round < rounds; round++) {
  for (const name of round % 2 ? [...names].reverse() : names) {
    const s = sample(variants[name].args);
    samples[name].cpu.push(s.cpu);
    samples[name].wall.push(s.wall);
    for (const file of s.ajv) samples[name].ajv.add(file);
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cost = (name, kind) => median(samples[name][kind]) - (variants[name].base ? median(samples[variants[name].base][kind]) : 0);
const ms = (x) => x.toFixed(1);

console.log(`\nNode ${process.version}, ${rounds} rounds, one fresh process per sample (medians)\n`);
console.log('| variant | CPU ms after bootstrap | wall ms | CPU over baseline | wall over baseline | CPU cost / ajv alone (same format) | ajv modules loaded |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const name of names) {
  const { base } = variants[name];
  const row = [name, ms(median(samples[name].cpu)), ms(median(samples[name].wall))];
  if (base) row.push(ms(cost(name, 'cpu')), ms(cost(name, 'wall')), (cost(name, 'cpu') / cost(ajvOf(name), 'cpu')).toFixed(2) + 'x', String(samples[name].ajv.size));
  else row.push('', '', '', String(samples[name].ajv.size));
  console.log(`| ${row.join(' | ')} |`);
}

// The goals: no ajv at import; each entry's CPU cost at most half of ajv's own.
const failures = [];
for (const name of names.filter((n) => variants[n].ours)) {
  if (samples[name].ajv.size > 0) failures.push(`${name} loaded ajv: ${[...samples[name].ajv].join(', ')}`);
  const ratio = cost(name, 'cpu') / cost(ajvOf(name), 'cpu');
  if (!(ratio <= 0.5)) failures.push(`${name} costs ${ratio.toFixed(2)}x ajv's import (goal: at most 0.5x)`);
}
console.log(failures.length === 0 ? '\nGoals met: no ajv module loaded at import; every entry at most 0.5x ajv alone.' : `\nGoals missed:\n- ${failures.join('\n- ')}`);
process.exitCode = failures.some((f) => f.includes('loaded ajv')) ? 1 : 0; // timing is reported, never asserted
