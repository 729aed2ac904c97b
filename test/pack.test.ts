/**
 * The package as users get it: `npm pack`, unpacked into a folder of its own, then loaded by
 * plain CommonJS and ESM programs with Express 5 and 4 and Koa 3 and 2, and compiled by a strict TypeScript user.
 * (Needs `npm run build` first; `npm test` does it.)
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
// Inside the repository, so the unpacked package finds its dependencies in ./node_modules.
const sandbox = join(root, '.pack-test');
const run = (command: string, args: string[], cwd = sandbox) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

beforeAll(() => {
  rmSync(sandbox, { recursive: true, force: true });
  mkdirSync(join(sandbox, 'node_modules'), { recursive: true });
  const packed = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', sandbox], root)) as [{ filename: string }];
  mkdirSync(join(sandbox, 'node_modules', 'xlink-errors'));
  run('tar', ['-xzf', packed[0].filename, '-C', 'node_modules/xlink-errors', '--strip-components=1']);
  cpSync(join(__dirname, 'fixtures', 'consumer'), sandbox, { recursive: true });
}, 60_000);

afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

test('the tarball holds the builds, the docs and nothing else', () => {
  const files = run('tar', ['-tzf', run('ls', []).split('\n').find((f) => f.endsWith('.tgz'))!]).split('\n').filter(Boolean);
  expect(files).toEqual(expect.arrayContaining(['package/dist/cjs/index.js', 'package/dist/esm/index.js', 'package/dist/cjs/index.d.ts', 'package/dist/cjs/koa/index.js', 'package/dist/esm/koa/index.d.ts', 'package/dist/cjs/testing/index.js', 'package/dist/esm/testing/index.d.ts', 'package/dist/cjs/extended/index.js', 'package/dist/cjs/extended/entries.generated.js', 'package/dist/esm/extended/index.js', 'package/dist/esm/extended/index.d.ts', 'package/dist/esm/extended/entries.generated.d.ts', 'package/README.md', 'package/CHANGELOG.md']));
  expect(files.filter((f) => !/^package\/(dist\/|README\.md$|CHANGELOG\.md$|LICENSE$|package\.json$)/.test(f))).toEqual([]);
});

test.each([
  ['CommonJS', 'express.cjs', 'express'],
  ['CommonJS', 'express.cjs', 'express4'],
  ['ESM', 'express.mjs', 'express'],
  ['ESM', 'express.mjs', 'express4'],
  ['CommonJS', 'koa.cjs', 'koa'],
  ['CommonJS', 'koa.cjs', 'koa2'],
  ['ESM', 'koa.mjs', 'koa'],
  ['ESM', 'koa.mjs', 'koa2'],
])('%s (%s) with %s: every catalog entry and mapping row', (_kind, file, express) => {
  expect(run(process.execPath, [file, express]).trim()).toBe('ok');
}, 30_000);

test.each([
  ['express', 'koa'],
  ['express4', 'koa2'],
])('hostile input with %s and %s: valid envelopes, nothing of a 503 leaked, still serving', (express, koa) => {
  expect(run(process.execPath, ['hostile.cjs', express, koa]).trim()).toBe('ok');
}, 30_000);

test.each([['CommonJS', 'testing.cjs'], ['ESM', 'testing.mjs']])('%s: the test helpers work with no test runner', (_kind, file) => {
  expect(run(process.execPath, [file]).trim()).toBe('ok');
});

test.each([['CommonJS', 'extended.cjs'], ['ESM', 'extended.mjs']])('%s: xlink-errors/extended loads its 195 frozen entries, the same from both builds', (_kind, file) => {
  expect(run(process.execPath, [file]).trim()).toBe('ok');
});

test('a strict TypeScript user compiles against the declarations, CommonJS and ESM', () => {
  expect(() => run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'])).not.toThrow();
}, 60_000);
