/**
 * The packed package's web handler on Bun, Deno and workerd answers as it does on Node, byte for
 * byte: each runtime (from its npm package: @oven/bun-linux-x64, @deno/linux-x64-glibc,
 * miniflare) serves test/fixtures/runtimes/handler.mjs on 127.0.0.1, and the same probes go to
 * each. (Needs `npm run build` first; `npm test` does it.)
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Miniflare } from 'miniflare';

const root = join(__dirname, '..');
const bun = join(root, 'node_modules/@oven/bun-linux-x64/bin/bun');
const deno = join(root, 'node_modules/@deno/linux-x64-glibc/deno');
let sandbox: string;
const children: ChildProcess[] = [];
let miniflare: Miniflare | undefined;

/** Starts a server process; resolves with its base URL once it says where it listens. */
function start(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: sandbox, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, HOME: sandbox, DENO_DIR: join(sandbox, '.deno'), NO_COLOR: '1' } });
    children.push(child);
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`${command} did not start: ${out}${err}`)), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      const match = /listening (\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${match[1]}`);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited (${code}): ${out}${err}`));
    });
  });
}

const bases: Record<string, (path: string, init?: RequestInit) => Promise<Response>> = {};

beforeAll(async () => {
  sandbox = mkdtempSync(join(tmpdir(), 'xlink-runtimes-'));
  const installed = join(sandbox, 'node_modules', 'xlink-errors');
  mkdirSync(installed, { recursive: true });
  const [{ filename }] = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', sandbox], { cwd: root, encoding: 'utf8' })) as [{ filename: string }];
  execFileSync('tar', ['-xzf', join(sandbox, filename), '-C', installed, '--strip-components=1']);
  // The dependencies the web path loads where it can (http-errors and its own), as npm installs them.
  for (const name of ['http-errors', 'depd', 'inherits', 'setprototypeof', 'statuses', 'toidentifier']) symlinkSync(join(root, 'node_modules', name), join(sandbox, 'node_modules', name));
  cpSync(join(__dirname, 'fixtures', 'runtimes'), sandbox, { recursive: true });
  writeFileSync(join(sandbox, 'package.json'), '{ "private": true, "type": "module", "dependencies": { "xlink-errors": "*" } }\n');

  const nodeServer = pathToFileURL(join(root, 'node_modules/@hono/node-server/dist/index.mjs')).href;
  const [node, bunUrl, denoUrl] = await Promise.all([
    start(process.execPath, ['node.mjs', nodeServer]),
    start(bun, ['bun.mjs']),
    start(deno, ['run', '--quiet', '--no-prompt', '--allow-net=127.0.0.1', `--allow-read=${sandbox}`, '--node-modules-dir=manual', 'deno.mjs']),
  ]);
  for (const [name, base] of [['node', node], ['bun', bunUrl], ['deno', denoUrl]] as const) bases[name] = (path, init) => fetch(base + path, init);
  miniflare = new Miniflare({
    modules: true,
    scriptPath: join(sandbox, 'worker.mjs'),
    modulesRoot: sandbox,
    modulesRules: [{ type: 'ESModule', include: ['**/*.js', '**/*.mjs'] }],
    compatibilityDate: '2025-01-01',
  });
  const mf = miniflare;
  const workerd = (await mf.ready).href.replace(/\/$/, ''); // a real socket, as for the others
  bases['workerd'] = (path, init) => fetch(workerd + path, init);
  void mf;
}, 60_000);

afterAll(async () => {
  for (const child of children) child.kill();
  await miniflare?.dispose();
  if (sandbox) rmSync(sandbox, { recursive: true, force: true });
});

const CONNECTION_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'server']);

/** Status line, headers (but the connection's) and the body's bytes, as hex. */
async function wire(res: Response) {
  const headers = [...res.headers].filter(([name]) => !CONNECTION_HEADERS.has(name)).sort(([a], [b]) => a.localeCompare(b));
  return { status: res.status, statusText: res.statusText, headers, body: Buffer.from(await res.arrayBuffer()).toString('hex') };
}

/** Every probe asks for no compression (workerd would gzip what Node sends as it is). */
const plain = (init: RequestInit = {}): RequestInit => ({ ...init, headers: { 'Accept-Encoding': 'identity', ...(init.headers as Record<string, string>) } });
// Each row has its init (test.each would take a missing third argument for Jest's done callback).
const probes: [string, string, RequestInit][] = [
  ['a catalog error', '/device', plain()],
  ["an error's own headers", '/retry', plain()],
  ['a thrown non-error', '/nonerror', plain()],
  ['a thrown Error (503, nothing leaked)', '/error', plain()],
  ['bad JSON', '/json', plain({ method: 'POST', body: '{"corp_id":', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })],
  ['good JSON, mislabelled', '/json', plain({ method: 'POST', body: '{"corp_id":"中"}', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })],
  ['HEAD of a catalog error', '/device', plain({ method: 'HEAD' })],
  ['HEAD of a non-error', '/nonerror', plain({ method: 'HEAD' })],
  ['a foreign 401', '/http-error', plain()],
  ['locale auto, a Chinese client', '/zh', plain({ headers: { 'Accept-Language': 'zh-CN,zh;q=0.9' } })],
];

describe.each(['bun', 'deno', 'workerd'])('%s', (runtime) => {
  test.each(probes)('%s: byte for byte as on Node', async (_title, path, init) => {
    const [expected, actual] = await Promise.all([bases['node']!(path, init).then(wire), bases[runtime]!(path, init).then(wire)]);
    expect(actual).toEqual(expected);
  });
});

test('on Node, the probes answer what the contract says', async () => {
  const device = await bases['node']!('/device').then(wire);
  expect([device.status, device.statusText, Buffer.from(device.body, 'hex').toString()]).toEqual([404, 'Not Found', '{"error":{"code":4041008,"msg":"Device does not exist"}}']);
  const nonError = await bases['node']!('/nonerror').then(wire);
  expect(nonError.headers).toEqual([['cache-control', 'no-store'], ['content-length', '51'], ['content-type', 'application/json; charset=utf-8']]);
});

test.each([
  ['node', 'HttpError'],
  ['bun', 'HttpError'],
  ['deno', 'Error'],
  ['workerd', 'Error'],
])('%s: an XlinkError extends %s', async (runtime, base) => {
  // http-errors loads wherever CommonJS packages load synchronously; workerd has no such loader,
  // and Deno, run here without --allow-env, refuses depd (http-errors' own) its process.env read.
  expect(await (await bases[runtime]!('/is-http-error', plain())).json()).toEqual({ name: 'XlinkError', base, isError: true });
});
