/**
 * The example servers as users run them: `npm start` / `npm run start:koa` (node with tsx),
 * spawned as child processes on 127.0.0.1, and driven by a client that sends exactly what
 * pycync (the Python library Home Assistant uses for Cync devices, built on Xlink) sends.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createXlinkServer, SERVER_TIMEOUTS } from '../examples/domain/serve';

const root = join(__dirname, '..');
const PYCYNC_CORP_ID = '1007d2ad150c4000';

const servers = [
  ['npm start', 'Express', 'examples/express/server.ts'],
  ['npm run start:koa', 'Koa', 'examples/koa/server.ts'],
] as const;

/** The server as the npm script runs it: `node --import tsx <entry>`. */
function start(entry: string, env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', entry], { cwd: root, env: { ...process.env, ...env }, stdio: 'pipe' });
}

/** Resolves with the URL the banner prints, once the whole banner is out. */
function listening(child: ChildProcessWithoutNullStreams): Promise<{ url: string; banner: string }> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no banner after 20 s: ${out}`)), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match && out.includes('# 404 4041001, in Chinese')) {
        clearTimeout(timer);
        resolve({ url: match[1]!, banner: out });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}: ${out}`));
    });
  });
}

function exited(child: ChildProcessWithoutNullStreams, ms = 10_000): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

/** Python's `json.dumps` of a flat dict: `", "` and `": "` separators, ASCII only. */
function pythonJson(object: Record<string, string | number>): string {
  return `{${Object.entries(object).map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`).join(', ')}}`;
}

/** What aiohttp sends for `session.request(method, url, headers=..., data=<str>)`. */
async function aiohttp(method: string, url: string, options: { data?: string; accessToken?: string } = {}) {
  const headers: Record<string, string> = { 'User-Agent': 'Python/3.13 aiohttp/3.12.15', Accept: '*/*', 'Accept-Encoding': 'gzip, deflate' };
  if (options.accessToken !== undefined) headers['Access-Token'] = options.accessToken;
  if (options.data !== undefined) headers['Content-Type'] = 'text/plain; charset=utf-8';
  return fetch(url, { method, headers, ...(options.data === undefined ? {} : { body: options.data }) });
}

describe.each(servers)('%s (%s)', (_command, framework, entry) => {
  describe('running, with XLINK_CORP_ID set to a client’s own corp id', () => {
    let child: ChildProcessWithoutNullStreams;
    let url: string;
    let banner: string;

    beforeAll(async () => {
      child = start(entry, { PORT: '0', XLINK_CORP_ID: PYCYNC_CORP_ID });
      ({ url, banner } = await listening(child));
    }, 30_000);

    afterAll(() => {
      if (child.exitCode === null) child.kill();
    });

    test('prints its URL, the demo accounts, the corp id and curl lines, and answers with the Xlink contract', async () => {
      expect(banner).toContain(`Xlink example API (${framework})`);
      expect(banner).toContain(`corp_id ${PYCYNC_CORP_ID} (from XLINK_CORP_ID)`);
      expect(banner).toContain('TOKEN=$(curl -s');
      expect(banner).toContain('Stop with Ctrl-C.');
      const res = await fetch(`${url}/no/such/url`);
      expect(res.status).toBe(404);
      expect(await res.text()).toBe('{"error":{"code":4041001,"msg":"URL not found"}}');
    });

    test('a client that sends what pycync sends logs in with its own corp id, refreshes, lists devices and reads their properties', async () => {
        // Auth._async_auth_user (with `resource` as its two-factor login sends it: a number).
        const login = await aiohttp('POST', `${url}/v2/user_auth`, { data: pythonJson({ corp_id: PYCYNC_CORP_ID, email: 'demo@example.com', password: 'xlink123', resource: 1 }) });
        expect(login.status).toBe(200);
        const user = (await login.json()) as { access_token: string; refresh_token: string; authorize: string; user_id: number; expire_in: number };
        expect(user).toEqual({ access_token: expect.any(String), refresh_token: expect.any(String), authorize: expect.any(String), user_id: 1001, expire_in: 7200 });

        // Auth._async_refresh_user_token: the refresh token alone, no Access-Token header.
        const refresh = await aiohttp('POST', `${url}/v2/user/token/refresh`, { data: pythonJson({ refresh_token: user.refresh_token }) });
        expect(refresh.status).toBe(200);
        const tokens = (await refresh.json()) as { access_token: string; refresh_token: string };

        // Its 403 handling: refresh once and retry. A stale token is a 403, the new one works.
        expect((await aiohttp('GET', `${url}/v2/user/${user.user_id}/subscribe/devices`, { accessToken: user.access_token })).status).toBe(403);
        const devices = await aiohttp('GET', `${url}/v2/user/${user.user_id}/subscribe/devices`, { accessToken: tokens.access_token });
        expect(devices.status).toBe(200);
        const list = (await devices.json()) as { id: number; product_id: string; name: string }[];
        expect(list.length).toBeGreaterThan(0);

        // For each device, its properties, as pycync's device discovery reads them.
        for (const device of list) {
          const properties = await aiohttp('GET', `${url}/v2/product/${device.product_id}/device/${device.id}/property`, { accessToken: tokens.access_token });
          expect(properties.status).toBe(200);
          expect(properties.headers.get('content-type')).toBe('application/json; charset=utf-8');
          expect(await properties.json()).toEqual(expect.any(Object));
        }

        // Its login treats any 400 as "two-factor required": a wrong password is a 400 (4001007).
        const wrong = await aiohttp('POST', `${url}/v2/user_auth`, { data: pythonJson({ corp_id: PYCYNC_CORP_ID, email: 'demo@example.com', password: 'wrong-pw' }) });
        expect([wrong.status, await wrong.text()]).toEqual([400, '{"error":{"code":4001007,"msg":"Wrong password"}}']);
    });

    test('Ctrl-C (SIGINT) stops it, exit code 0', async () => {
      const done = exited(child);
      child.kill('SIGINT');
      expect((await done).code).toBe(0);
      await expect(fetch(url)).rejects.toThrow();
    });
  });

  describe('running with XLINK_TWO_FACTOR=email', () => {
    let child: ChildProcessWithoutNullStreams;
    let url: string;
    let banner: string;
    let out = '';

    beforeAll(async () => {
      child = start(entry, { PORT: '0', XLINK_CORP_ID: PYCYNC_CORP_ID, XLINK_TWO_FACTOR: 'email' });
      child.stdout.on('data', (chunk: Buffer) => (out += chunk));
      ({ url, banner } = await listening(child));
    }, 30_000);

    afterAll(() => {
      if (child.exitCode === null) child.kill();
    });

    /** The code the server printed for `email`, as a user reads it off the console (waits for the line, no timer). */
    async function printedCode(email: string): Promise<string> {
      const pattern = new RegExp(`\\[xlink-example\\] two-factor login code for ${email.replace('.', '\\.')}: ([0-9]{6})`);
      for (;;) {
        const match = pattern.exec(out);
        if (match) return match[1]!;
        await new Promise((resolve) => child.stdout.once('data', resolve));
      }
    }

    test('a client that logs in as pycync does: 400 on the password, the emailed code as a number, resource: 1', async () => {
      expect(banner).toContain('Two-factor login (XLINK_TWO_FACTOR=email)');
      // Auth.login: any 400 from user_auth means "code required".
      const first = await aiohttp('POST', `${url}/v2/user_auth`, { data: pythonJson({ corp_id: PYCYNC_CORP_ID, email: 'demo@example.com', password: 'xlink123' }) });
      expect([first.status, await first.text()]).toEqual([400, '{"error":{"code":4001028,"msg":"Email verification code does not exist"}}']);
      // Auth._async_request_two_factor_code.
      const sent = await aiohttp('POST', `${url}/v2/two_factor/email/verifycode`, { data: pythonJson({ corp_id: PYCYNC_CORP_ID, email: 'demo@example.com', local_lang: 'en-us' }) });
      expect([sent.status, sent.headers.get('content-type'), await sent.text()]).toEqual([200, null, '']);
      const code = await printedCode('demo@example.com');
      // Auth._async_auth_user_two_factor, the code typed in and sent as a number.
      const wrong = await aiohttp('POST', `${url}/v2/user_auth/two_factor`, { data: pythonJson({ corp_id: PYCYNC_CORP_ID, email: 'demo@example.com', password: 'xlink123', two_factor: code === '000000' ? 1 : 0, resource: 1 }) });
      expect([wrong.status, await wrong.text()]).toEqual([400, '{"error":{"code":4001029,"msg":"Wrong email verification code"}}']);
      const login = await aiohttp('POST', `${url}/v2/user_auth/two_factor`, { data: pythonJson({ corp_id: PYCYNC_CORP_ID, email: 'demo@example.com', password: 'xlink123', two_factor: Number(code), resource: 1 }) });
      expect(login.status).toBe(200);
      const user = (await login.json()) as { access_token: string; user_id: number };
      expect(user).toEqual({ access_token: expect.any(String), refresh_token: expect.any(String), authorize: expect.any(String), user_id: 1001, expire_in: expect.any(Number) });
      expect((await aiohttp('GET', `${url}/v2/user/1001/subscribe/devices`, { accessToken: user.access_token })).status).toBe(200);
    });

    test('a client that sends untyped JSON and the code as a string logs in too', async () => {
      const post = (path: string, body: object) => fetch(`${url}${path}`, { method: 'POST', body: Buffer.from(JSON.stringify(body)) }); // no Content-Type at all
      expect((await post('/v2/two_factor/email/verifycode', { corp_id: PYCYNC_CORP_ID, email: 'friend@example.com', local_lang: 'en-us' })).status).toBe(200);
      const login = await post('/v2/user_auth/two_factor', { corp_id: PYCYNC_CORP_ID, email: 'friend@example.com', password: 'xlink123', two_factor: await printedCode('friend@example.com'), resource: 'abcdefghijklmnop' });
      expect([login.status, ((await login.json()) as { user_id: number }).user_id]).toEqual([200, 1002]);
    });
  });

  test('a port in use is reported in one clear line, exit code 1', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const port = (blocker.address() as AddressInfo).port;
      const { code, stderr } = await exited(start(entry, { PORT: String(port) }), 20_000);
      expect(code).toBe(1);
      expect(stderr).toContain(`127.0.0.1:${port} is already in use`);
      expect(stderr).not.toMatch(/TypeError|Unhandled|\n\s+at /);
    } finally {
      blocker.close();
    }
  }, 30_000);
});

test('SIGTERM sent to `npm start` (npm, not the server) stops the server too', async () => {
  // npm passes the signal to the `sh -c` running the script, which dies without passing it on.
  const npm = process.env.npm_execpath;
  const child = (npm ? spawn(process.execPath, [npm, 'start'], { cwd: root, env: { ...process.env, PORT: '0' }, stdio: 'pipe' }) : spawn('npm', ['start'], { cwd: root, env: { ...process.env, PORT: '0' }, stdio: 'pipe' })) as ChildProcessWithoutNullStreams;
  const { url } = await listening(child);
  expect((await fetch(`${url}/v2/user/1001/open_info`)).status).toBe(200);
  child.kill('SIGTERM');
  let stopped = false;
  for (let i = 0; i < 50 && !stopped; i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    stopped = await fetch(url).then(
      () => false,
      () => true,
    );
  }
  expect(stopped).toBe(true);
}, 30_000);

test.each([
  [{ XLINK_TWO_FACTOR: 'sms' }, 'XLINK_TWO_FACTOR must be "email" (or unset), got "sms"'],
  [{ XLINK_TRUST_PROXY: 'yes' }, 'XLINK_TRUST_PROXY must be the number of proxies in front (0 to 9), got "yes"'],
])('a bad setting (%j) is one clear line, exit code 1', async (env, line) => {
  const { code, stderr } = await exited(start('examples/express/server.ts', { PORT: '0', ...env }), 20_000);
  expect([code, stderr]).toEqual([1, `[xlink-example] ${line}\n`]);
}, 30_000);

test('the servers set their timeouts deliberately: whole request, headers, keep-alive, requests per connection', () => {
  const server = createXlinkServer(() => {});
  expect({ requestTimeout: server.requestTimeout, headersTimeout: server.headersTimeout, keepAliveTimeout: server.keepAliveTimeout, maxRequestsPerSocket: server.maxRequestsPerSocket }).toEqual(SERVER_TIMEOUTS);
  expect(SERVER_TIMEOUTS.headersTimeout).toBeLessThan(SERVER_TIMEOUTS.requestTimeout);
});
