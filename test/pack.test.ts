/**
 * The package as users get it: `npm pack`, unpacked into a folder of its own, then loaded by
 * plain CommonJS and ESM programs with Express 5 and 4, Koa 3 and 2 and Fastify 5, compiled by a strict
 * TypeScript user, and its `xlink-errors` command run from node_modules/.bin as npm links it.
 * (Needs `npm run build` first; `npm test` does it.)
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
  // A second copy of the same package, as when two dependencies each install their own.
  mkdirSync(join(sandbox, 'second', 'node_modules', 'xlink-errors'), { recursive: true });
  run('tar', ['-xzf', packed[0].filename, '-C', 'second/node_modules/xlink-errors', '--strip-components=1']);
  cpSync(join(__dirname, 'fixtures', 'consumer'), sandbox, { recursive: true });
}, 60_000);

afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

test('the tarball holds the builds, the docs and nothing else', () => {
  const files = run('tar', ['-tzf', run('ls', []).split('\n').find((f) => f.endsWith('.tgz'))!]).split('\n').filter(Boolean);
  expect(files).toEqual(expect.arrayContaining(['package/dist/cjs/index.js', 'package/dist/esm/index.js', 'package/dist/cjs/index.d.ts', 'package/dist/cjs/koa/index.js', 'package/dist/esm/koa/index.d.ts', 'package/dist/cjs/testing/index.js', 'package/dist/esm/testing/index.d.ts', 'package/dist/cjs/fastify/index.js', 'package/dist/esm/fastify/index.d.ts', 'package/dist/cjs/cli.js', 'package/dist/cjs/extended/index.js', 'package/dist/cjs/extended/entries.generated.js', 'package/dist/esm/extended/index.js', 'package/dist/esm/extended/index.d.ts', 'package/dist/esm/extended/entries.generated.d.ts', 'package/README.md', 'package/CHANGELOG.md', 'package/docs/index.md']));
  expect(files.filter((f) => !/^package\/(dist\/|docs\/[a-z-]+\.md$|README\.md$|CHANGELOG\.md$|LICENSE$|package\.json$)/.test(f))).toEqual([]);
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
  ['CommonJS', 'fastify.cjs', 'fastify'],
  ['ESM', 'fastify.mjs', 'fastify'],
])('%s (%s) with %s: every catalog entry and mapping row', (_kind, file, express) => {
  expect(run(process.execPath, [file, express]).trim()).toBe('ok');
}, 30_000);

test.each([
  ['express', 'koa'],
  ['express4', 'koa2'],
])('hostile input with %s and %s: valid envelopes, nothing of a 503 leaked, still serving', (express, koa) => {
  expect(run(process.execPath, ['hostile.cjs', express, koa]).trim()).toBe('ok');
}, 30_000);

test.each([['CommonJS', 'client.cjs'], ['ESM', 'client.mjs']])('%s: xlink-errors/client reads an upstream error and a gateway relays it (404 4041008)', (_kind, file) => {
  expect(run(process.execPath, [file]).trim()).toBe('ok');
}, 30_000);

test.each([['CommonJS', 'testing.cjs'], ['ESM', 'testing.mjs']])('%s: the test helpers work with no test runner', (_kind, file) => {
  expect(run(process.execPath, [file]).trim()).toBe('ok');
});

test('the xlink-errors command runs from node_modules/.bin, as npm links it, and through npx', () => {
  // What npm does on install: link each bin into node_modules/.bin and make it executable.
  const installed = join(sandbox, 'node_modules', 'xlink-errors');
  const { bin } = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  mkdirSync(join(sandbox, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(join('..', 'xlink-errors', bin['xlink-errors']!), join(sandbox, 'node_modules', '.bin', 'xlink-errors'));
  chmodSync(join(installed, bin['xlink-errors']!), 0o755);
  expect(run(join(sandbox, 'node_modules', '.bin', 'xlink-errors'), ['4031003'])).toBe(
    '4031003  ACCESS_TOKEN_INVALID\n  status  403 Forbidden\n  msg     Invalid Access-Token\n  msgZh   无效的Access-Token\n',
  );
  const listed = JSON.parse(run('npx', ['--no-install', '--offline', 'xlink-errors', 'list', '--json'])) as { code: number }[];
  expect(listed).toHaveLength(82);
  expect(listed[0]).toEqual({ code: 4001001, name: 'PARAM_VERIFICATION_FAILED', status: 400, msg: 'Requested variable verification failed', msgZh: '请求数据字段验证不通过' });
  // A user's ES module that defines codes, loaded with --require: it imports the installed package.
  expect(run('npx', ['--no-install', '--offline', 'xlink-errors', '--require', './cli-errors.mjs', '4091001'])).toMatch(/^4091001 {2}DEVICE_BUSY\n {2}status {2}409 Conflict\n/);
}, 30_000);

test('ESM, CommonJS and a second copy side by side share one registry of defined codes', () => {
  expect(run(process.execPath, ['registry.mjs']).trim()).toBe('ok');
}, 30_000);

test.each([['CommonJS', 'extended.cjs'], ['ESM', 'extended.mjs']])('%s: xlink-errors/extended loads its 195 frozen entries, the same from both builds', (_kind, file) => {
  expect(run(process.execPath, [file]).trim()).toBe('ok');
});

/** Runs tsc in `cwd` (the pinned one, or an alias such as typescript59); its own report when it fails. */
function tsc(cwd: string, compiler = 'typescript', project = 'tsconfig.json', ...flags: string[]): string {
  try {
    return run(process.execPath, [join(root, 'node_modules', compiler, 'bin', 'tsc'), '-p', project, ...flags], cwd);
  } catch (err) {
    throw new Error(`tsc failed in ${cwd}:\n${(err as { stdout?: string }).stdout ?? ''}${(err as { stderr?: string }).stderr ?? ''}`);
  }
}

test('a strict TypeScript user compiles against the declarations, CommonJS and ESM: inline handlers, Koa, the Jest and Vitest matchers', () => {
  expect(tsc(sandbox)).toBe('');
}, 120_000);

// The other supported TypeScript versions (peerDependencies): 5.9 and 7, installed as aliases.
test('a strict TypeScript 5.9 user compiles the same files against the declarations', () => {
  expect(tsc(sandbox, 'typescript59')).toBe('');
}, 120_000);

test('a strict TypeScript 7 user compiles the same files against the declarations', () => {
  // Vitest 3's own declarations clash with @types/chai's under TypeScript 7 (containSubset declared
  // as a property and as a method: TS2300 inside node_modules, whatever imports vitest), so the
  // Vitest matchers' file is compiled on its own with skipLibCheck; every other file without it.
  const { files } = JSON.parse(readFileSync(join(sandbox, 'tsconfig.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '')) as { files: string[] };
  const vitest = 'matchers-vitest.mts';
  writeFileSync(join(sandbox, 'tsconfig.ts7.json'), JSON.stringify({ extends: './tsconfig.json', files: files.filter((f) => f !== vitest) }));
  writeFileSync(join(sandbox, 'tsconfig.ts7-vitest.json'), JSON.stringify({ extends: './tsconfig.json', files: [vitest] }));
  expect(tsc(sandbox, 'typescript7', 'tsconfig.ts7.json')).toBe('');
  expect(tsc(sandbox, 'typescript7', 'tsconfig.ts7-vitest.json', '--skipLibCheck')).toBe('');
}, 120_000);

/** Packages a bare user does not have: the frameworks, their types, the test runners. */
const FRAMEWORKS_AND_RUNNERS = /^(express|express4|koa|koa2|@koa|vitest|@vitest|vite|expect|jest.*|@jest|supertest|@types)$/;
const BARE_TYPES = ['node', 'http-errors'];

test('a strict user without Express, Koa, Jest or Vitest types still compiles every entry (skipLibCheck off)', () => {
  // Outside the repository, so nothing is found by walking up: only what is linked here.
  const bare = mkdtempSync(join(tmpdir(), 'xlink-bare-'));
  try {
    const modules = join(bare, 'node_modules');
    mkdirSync(join(modules, '@types'), { recursive: true });
    for (const name of readdirSync(join(root, 'node_modules'))) {
      if (name.startsWith('.') || FRAMEWORKS_AND_RUNNERS.test(name)) continue;
      symlinkSync(join(root, 'node_modules', name), join(modules, name));
    }
    for (const name of BARE_TYPES) symlinkSync(join(root, 'node_modules', '@types', name), join(modules, '@types', name));
    cpSync(join(sandbox, 'node_modules', 'xlink-errors'), join(modules, 'xlink-errors'), { recursive: true });
    cpSync(join(__dirname, 'fixtures', 'bare'), bare, { recursive: true });
    expect(tsc(bare)).toBe('');
  } finally {
    rmSync(bare, { recursive: true, force: true });
  }
}, 120_000);
