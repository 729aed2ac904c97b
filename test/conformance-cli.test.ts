/**
 * `xlink-errors check`, run as a user runs it: the packed tarball installed in a folder of its
 * own, `npx xlink-errors check <url>`, against the example server started as `npm start` starts
 * it and against broken servers; every exit status, --json, --junit (parsed as XML), --codes,
 * --require, --openapi (a file and a URL), and the progress line only on a terminal.
 * (Needs `npm run build` first; `npm test` does it.)
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { XlinkContractReport } from 'xlink-errors/testing';
import { routes as exampleRoutes } from '../examples/domain/routes';

const root = join(__dirname, '..');
let user: string;

beforeAll(() => {
  // The tarball, unpacked as npm installs it: its bin linked, its dependencies beside it.
  user = mkdtempSync(join(tmpdir(), 'xlink-check-'));
  const modules = join(user, 'node_modules');
  mkdirSync(join(modules, '.bin'), { recursive: true });
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', user], { cwd: root, encoding: 'utf8' })) as [{ filename: string }];
  const installed = join(modules, 'xlink-errors');
  mkdirSync(installed);
  execFileSync('tar', ['-xzf', join(user, packed.filename), '-C', installed, '--strip-components=1']);
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { bin: Record<string, string>; dependencies: Record<string, string> };
  for (const name of Object.keys(manifest.dependencies)) symlinkSync(join(root, 'node_modules', name), join(modules, name));
  symlinkSync(join('..', 'xlink-errors', manifest.bin['xlink-errors']!), join(modules, '.bin', 'xlink-errors'));
  chmodSync(join(installed, manifest.bin['xlink-errors']!), 0o755);
  writeFileSync(join(user, 'package.json'), '{ "name": "user-app", "private": true }\n');
  writeFileSync(join(user, 'errors.cjs'), "require('xlink-errors').defineXlinkErrors({ DEVICE_BUSY: { code: 4091001, msg: 'Device is busy' } });\n");
  writeFileSync(join(user, 'codes.txt'), '# codes our gateway adds\n4091001\n\n4291001 # rate limited\n');
}, 60_000);

afterAll(() => rmSync(user, { recursive: true, force: true }));

/** `npx xlink-errors ...` in the user's folder, asynchronously (servers in this process must keep answering). */
function npx(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return spawned('npx', ['--no-install', '--offline', 'xlink-errors', ...args]);
}

/** The bin npm linked, run directly: what npx runs, without npx's own start-up. */
function bin(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return spawned(join(user, 'node_modules', '.bin', 'xlink-errors'), args);
}

function spawned(command: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: user, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function listen(listener: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createServer(listener);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

const JSON_UTF8 = 'application/json; charset=utf-8';
const routeArgs = (list: readonly string[]) => list.flatMap((r) => ['--route', r]);

describe('against the example server (npm start)', () => {
  let child: ReturnType<typeof spawn>;
  let url: string;
  beforeAll(async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'examples/express/server.ts'], { cwd: root, env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk;
        const match = /listening on (http:\/\/\S+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      child.on('exit', (code) => reject(new Error(`the example exited with ${code}: ${out}`)));
    });
  }, 30_000);
  afterAll(() => {
    child.kill('SIGTERM');
  });

  test('every route of the example: exit 0, the report and its summary line, no progress line off a terminal', async () => {
    const { status, stdout, stderr } = await npx('check', url, ...routeArgs(exampleRoutes.map((r) => `${r.method} ${r.path}`)));
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toMatch(new RegExp(`^✓ \\d+ requests, \\d+ probes of ${exampleRoutes.length} routes: every answer keeps the Xlink contract\n$`));
  }, 60_000);

  test('--json prints the report checkXlinkContract resolves to; --junit writes one testcase per route and probe', async () => {
    const junit = join(user, 'example.xml');
    const { status, stdout } = await npx('check', url, '--route', 'POST /v2/user_auth', '--route', 'GET /v2/user/:user_id', '--json', '--junit', junit);
    expect(status).toBe(0);
    const report = JSON.parse(stdout) as XlinkContractReport;
    expect(report).toMatchObject({ ok: true, failures: [], routes: ['POST /v2/user_auth', 'GET /v2/user/{user_id}'], skipped: 0 });
    expect(report.requests).toBeGreaterThanOrEqual(report.results.length + 1);
    const suites = parseXml(readFileSync(junit, 'utf8'));
    expect(suites.name).toBe('testsuites');
    expect(suites.children.map((s) => s.attributes.name)).toEqual(['POST /v2/user_auth', 'GET /v2/user/{user_id}', '(any route)']);
    const cases = suites.children.flatMap((s) => s.children);
    expect(cases).toHaveLength(report.results.length);
    expect(cases.every((c) => c.name === 'testcase' && c.children.length === 0)).toBe(true);
    expect(suites.attributes).toMatchObject({ tests: String(report.results.length), failures: '0' });
  }, 60_000);

  test('--openapi from the target itself (a path) and from a file', async () => {
    const doc = { openapi: '3.1.0', info: { title: 'x', version: '1' }, paths: { '/v2/user/{user_id}': { get: { parameters: [{ in: 'path', name: 'user_id', schema: { type: 'string', example: '1002' } }] } } } };
    writeFileSync(join(user, 'openapi.json'), JSON.stringify(doc));
    const fromFile = await bin('check', url, '--openapi', 'openapi.json', '--json');
    expect(fromFile.status).toBe(0);
    expect((JSON.parse(fromFile.stdout) as XlinkContractReport).results[0]!.request.path).toBe('/v2/user/1002');
    // The example serves no document: a 404 at that path is a usage error that says so.
    const fromUrl = await bin('check', url, '--openapi', '/openapi.json');
    expect(fromUrl).toMatchObject({ status: 2, stdout: '' });
    expect(fromUrl.stderr).toMatch(/^xlink-errors check: --openapi http:\/\/127\.0\.0\.1:\d+\/openapi\.json: answered 404, not 200\n/);
  }, 60_000);
});

describe('against broken servers', () => {
  let broken: Server;
  let url: string;
  beforeAll(async () => {
    ({ server: broken, url } = await listen((req, res) => {
      if (req.url === '/openapi.json') return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ openapi: '3.0.3', paths: { '/v2/device/{id}': { get: {} } } }));
      if (req.url?.startsWith('/v2/device/')) return void res.writeHead(500, { 'Content-Type': 'text/html' }).end('<h1>Internal Server Error</h1>');
      if (req.url?.startsWith('/busy')) return void res.writeHead(409, { 'Content-Type': JSON_UTF8 }).end('{"error":{"code":4091001,"msg":"Device is busy"}}');
      res.writeHead(404, { 'Content-Type': JSON_UTF8 }).end('{"error":{"code":4041001,"msg":"URL not found"}}');
    }));
  });
  afterAll(() => broken.close());

  test('exit 1: the report groups the failures by check, says what was sent, what came back and what is wrong', async () => {
    const { status, stdout, stderr } = await npx('check', url, '--openapi', '/openapi.json', '--junit', join(user, 'broken.xml'));
    expect([status, stderr]).toEqual([1, '']);
    expect(stdout).toContain(
      '✗ error-status (8)\n  GET /v2/device/{id}  [no-access-token]\n    sent      GET /v2/device/1\n    received  500  text/html  "<h1>Internal Server Error</h1>"\n    problem   500 is not an Xlink error status (400, 403, 404, 503)\n',
    );
    expect(stdout).toContain('\n✗ content-type (8)\n');
    expect(stdout).toContain('\n✗ envelope (7)\n'); // not for HEAD: it has no body to judge
    expect(stdout).toMatch(/\n✗ 13 requests, 12 probes of 1 route: 23 failures in 8 probes\n$/);
    const suites = parseXml(readFileSync(join(user, 'broken.xml'), 'utf8'));
    const route = suites.children.find((s) => s.attributes.name === 'GET /v2/device/{id}')!;
    const failed = route.children.filter((c) => c.children.some((f) => f.name === 'failure'));
    expect(failed.map((c) => c.attributes.name)).toEqual(['no-access-token', 'empty-access-token', 'garbage-access-token', 'wrong-path-params', 'accept-language-zh', 'head', 'unlisted-method']);
    expect(suites.attributes).toMatchObject({ tests: '12', failures: '8' });
    const failure = failed[0]!.children[0]!;
    expect(failure.attributes.type).toBe('error-status');
    expect(failure.attributes.message).toMatch(/^error-status: 500 is not an Xlink error status \(400, 403, 404, 503\); content-type: Content-Type is "text\/html"/);
    expect(failure.text).toMatch(/^sent: GET \/v2\/device\/1\nstatus: 500\n/);
  }, 60_000);

  test('--codes and --require make a code known: a list, a file, a module that defines it', async () => {
    const args = ['check', url, '--route', 'GET /busy'];
    expect((await bin(...args)).status).toBe(1);
    expect((await bin(...args, '--codes', '4091001,4291001')).status).toBe(0);
    expect((await bin(...args, '--codes', 'codes.txt')).status).toBe(0);
    expect((await npx(...args, '--require', './errors.cjs')).status).toBe(0);
    const failing = await bin(...args, '--require', './missing.cjs');
    expect(failing.status).toBe(1);
    expect(failing.stderr).toMatch(/^xlink-errors: --require \.\/missing\.cjs: cannot find module/);
  }, 60_000);

  test('--max-requests bounds the probes, and the summary says how many were not sent', async () => {
    const { status, stdout } = await bin('check', url, '--route', 'GET /nothing/{x}', '--max-requests', '3', '--json');
    expect(status).toBe(0);
    const report = JSON.parse(stdout) as XlinkContractReport;
    expect([report.requests, report.results.length, report.skipped]).toEqual([4, 3, 9]);
  }, 30_000);

  test('a server that is not running: exit 1, a failure, not a hang', async () => {
    const gone = await listen(() => {});
    await new Promise<void>((resolve) => gone.server.close(() => resolve()));
    const { status, stdout } = await npx('check', gone.url);
    expect(status).toBe(1);
    expect(stdout).toMatch(/✗ answered \(1\)[^]*problem {3}no answer: connection refused at 127\.0\.0\.1:\d+\n[^]*✗ server-alive \(1\)\n[^]*the remaining probes were not sent\n/);
  }, 30_000);

  test('the progress line on a terminal only (under script(1), a pseudo-terminal)', async () => {
    const { status, stdout } = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
      const child = spawn('script', ['-qec', `npx --no-install --offline xlink-errors check ${url} --route "GET /busy" --codes 4091001`, '/dev/null'], { cwd: user, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk));
      child.on('close', (code) => resolve({ status: code, stdout: out }));
    });
    expect(status).toBe(0);
    expect(stdout).toMatch(/\r\x1b\[K\[1\/\d+\] GET GET \/busy no-access-token/);
    expect(stdout).toMatch(/\r\x1b\[K✓ \d+ requests/); // cleared before the report
  }, 30_000);
});

test.each([
  [[], /^xlink-errors check: check needs the base URL of a running server, such as http:\/\/127\.0\.0\.1:3000\n/],
  [['http://example.com'], /must be on this machine \(127\.0\.0\.1, localhost or \[::1\]\); got example\.com/],
  [['http://127.0.0.1:1', 'http://127.0.0.1:2'], /check takes one base URL, got 2/],
  [['http://127.0.0.1:1', '--route', 'nonsense'], /a route must be a method and a path/],
  [['http://127.0.0.1:1', '--max-requests', 'lots'], /--max-requests must be a whole number of at least 1, got "lots"/],
  [['http://127.0.0.1:1', '--codes', 'no-such-file.txt'], /--codes no-such-file\.txt: neither a comma-separated list of codes nor a readable file \(ENOENT\)/],
  [['http://127.0.0.1:1', '--codes', '2001001'], /codes must be 7-digit codes/],
  [['http://127.0.0.1:1', '--openapi', 'http://example.com/openapi.json'], /--openapi http:\/\/example\.com\/openapi\.json: a URL must be http: on this machine/],
  [['http://127.0.0.1:1', '--openapi', 'codes.txt'], /--openapi codes\.txt: not a JSON document/],
  [['http://127.0.0.1:1', '--code-format', 'hex'], /--code-format must be number or string, got "hex"/],
  [['http://127.0.0.1:1', '--bogus'], /Unknown option '--bogus'/],
])('usage error %j: exit 2 with a clear message', async (args, message) => {
  const { status, stdout, stderr } = await bin('check', ...args);
  expect([status, stdout]).toEqual([2, '']);
  expect(stderr).toMatch(message);
  expect(stderr).toMatch(/Run "xlink-errors check --help" for usage\.\n$/);
}, 30_000);

test('check --help: exit 0, the usage', async () => {
  const { status, stdout } = await bin('check', '--help');
  expect(status).toBe(0);
  expect(stdout).toMatch(/^Usage: xlink-errors check <base-url> \[options\]\n/);
}, 30_000);

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** A small XML parser, strict enough for JUnit: one root, every tag closed in order, entities decoded. */
function parseXml(text: string): XmlElement {
  const decode = (s: string) => s.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);
  const body = text.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, '');
  if (body === text) throw new Error('no XML declaration');
  const stack: XmlElement[] = [{ name: '#document', attributes: {}, children: [], text: '' }];
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let at = 0;
  for (let m = token.exec(body); m !== null; m = token.exec(body)) {
    at = token.lastIndex;
    const [, closing, name, attrs, selfClosing, chars] = m;
    const top = stack[stack.length - 1]!;
    if (chars !== undefined) {
      if (chars.includes('&') && /&(?!(lt|gt|quot|apos|amp);)/.test(chars)) throw new Error(`a bare & in ${JSON.stringify(chars)}`);
      top.text += decode(chars);
      continue;
    }
    if (closing) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const [, key, value] of attrs!.matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) attributes[key!] = decode(value!);
    const element: XmlElement = { name: name!, attributes, children: [], text: '' };
    top.children.push(element);
    if (!selfClosing) stack.push(element);
  }
  if (at !== body.length) throw new Error(`not XML at ${JSON.stringify(body.slice(at, at + 40))}`);
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1]!.name}> is not closed`);
  const [rootElement, ...others] = stack[0]!.children;
  if (rootElement === undefined || others.length > 0 || stack[0]!.text.trim() !== '') throw new Error('not exactly one root element');
  return rootElement;
}
