/**
 * xlink-errors/client as built (dist/): its import graph holds no Node built-in, no package and,
 * in the ESM build, no `require`, nor `process` or `Buffer`; it runs unbundled in Node, Bun and
 * Deno (test/fixtures/client/smoke.mjs), in workerd, and from CommonJS. (Needs `npm run build` first; `npm test` does it.)
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const root = join(__dirname, '..');

/** Every file the entry loads, following relative specifiers; the others are returned as `foreign`. */
function graph(entry: string, specifiers: (code: string) => string[]): { files: Map<string, string>; foreign: string[] } {
  const files = new Map<string, string>();
  const foreign: string[] = [];
  const visit = (file: string) => {
    if (files.has(file)) return;
    const code = readFileSync(file, 'utf8');
    files.set(file, code);
    for (const spec of specifiers(code)) {
      if (spec.startsWith('./') || spec.startsWith('../')) visit(resolve(dirname(file), spec.endsWith('.js') ? spec : `${spec}.js`));
      else foreign.push(`${file}: ${spec}`);
    }
  };
  visit(join(root, entry));
  return { files, foreign };
}

/** Code without its comments and string contents, roughly: enough to look for identifiers. */
const codeOnly = (code: string) => code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '').replace(/(["'`])(?:\\.|(?!\1)[^\\\n])*\1/g, '""');

const esmSpecifiers = (code: string) => [...code.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => (m[1] ?? m[2] ?? m[3])!);
const cjsSpecifiers = (code: string) => [...code.matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!);

test('the ESM entry imports only its own files: no node: built-in, no package, no require, process or Buffer', () => {
  const { files, foreign } = graph('dist/esm/client/index.js', esmSpecifiers);
  expect(foreign).toEqual([]);
  expect([...files.keys()].map((f) => f.slice(root.length + 1)).sort()).toEqual([
    'dist/esm/client/client.js',
    'dist/esm/client/error.js',
    'dist/esm/client/index.js',
    'dist/esm/client/relay.js',
    'dist/esm/core/catalog.js',
    'dist/esm/core/define.js',
    'dist/esm/core/envelope.js',
    'dist/esm/core/error-factory.js',
    'dist/esm/core/headers.js',
    'dist/esm/core/suggest.js',
  ]);
  for (const [file, code] of files) expect([file, codeOnly(code).match(/\b(require|process|Buffer|__dirname|module\.exports)\b/g)]).toEqual([file, null]);
});

test('the CommonJS entry requires only its own files', () => {
  const { files, foreign } = graph('dist/cjs/client/index.js', cjsSpecifiers);
  expect(foreign).toEqual([]);
  expect(files.size).toBe(10);
});

test.each([
  ['Node', process.execPath, []],
  ['Bun', join(root, 'node_modules/@oven/bun-linux-x64/bin/bun'), []],
  ['Deno', join(root, 'node_modules/@deno/linux-x64-glibc/deno'), ['run', '--no-config', '--no-lock', '--quiet']],
])('runs unbundled in %s: envelopes and non-envelopes from Responses, one refresh for 10 requests, an abort', (_name, runtime, args) => {
  const out = execFileSync(runtime, [...args, join(root, 'test/fixtures/client/smoke.mjs')], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  expect(out.trim()).toBe('ok');
}, 60_000);

test('runs unbundled in workerd (a Worker, through Miniflare)', () => {
  expect(execFileSync(process.execPath, [join(root, 'test/fixtures/client/workerd.mjs')], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()).toBe('ok');
}, 120_000);

test('CommonJS: require() gives the same functions, and an error of the ESM copy is recognised by it', () => {
  const script = `
    const cjs = require('./dist/cjs/client/index.js');
    import('./dist/esm/client/index.js').then((esm) => {
      const err = esm.parseXlinkError({ status: 404, body: { error: { code: 4041008, msg: 'Device does not exist' } } });
      const ok = cjs.isXlinkResponseError(err) && err instanceof cjs.XlinkResponseError && typeof cjs.createXlinkClient === 'function' && typeof cjs.relayXlinkError === 'function';
      console.log(ok ? 'ok' : 'not recognised');
    });`;
  expect(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }).trim()).toBe('ok');
});

test('a browser project (the DOM library, no Node types, skipLibCheck off) compiles against the built declarations', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xlink-browser-'));
  try {
    cpSync(join(root, 'test/fixtures/client/browser'), dir, { recursive: true });
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(root, join(dir, 'node_modules', 'xlink-errors'));
    const out = (() => {
      try {
        return execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: dir, encoding: 'utf8' });
      } catch (err) {
        return String((err as { stdout?: string }).stdout);
      }
    })();
    expect(out).toBe('');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
