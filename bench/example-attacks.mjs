// The outside review's attacks on the example server, replayed at full size against `npm start`
// (or `--koa`: `npm run start:koa`), then what a normal user still gets. Bounded: the server is
// started here on 127.0.0.1 (port 0), the attacker's requests come from 127.0.0.2 (the whole
// 127/8 is loopback on Linux) and the normal user's from 127.0.0.1, at most 32 requests in flight,
// a fixed number of each, and everything stops after --limit seconds (default 180) at the latest.
// Usage: node bench/example-attacks.mjs [--koa] [--limit 180]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { koa: { type: 'boolean', default: false }, limit: { type: 'string', default: '180' } } });
const root = fileURLToPath(new URL('..', import.meta.url));
const entry = values.koa ? 'examples/koa/server.ts' : 'examples/express/server.ts';
const CORP = '100fa2b6c5d3a000';
const ATTACKER = '127.0.0.2';
/** More attacking addresses, so each attack meets its own limit (the first address has used its code quota by then). */
const ATTACKER2 = '127.0.0.3';
const ATTACKER3 = '127.0.0.4';
const USER = '127.0.0.1';

const server = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: root, env: { ...process.env, PORT: '0', HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'inherit'] });
const deadline = setTimeout(() => {
  console.error(`\nstopped: over the ${values.limit} s limit`);
  server.kill();
  process.exit(1);
}, Number(values.limit) * 1000);
deadline.unref();

let out = '';
server.stdout.on('data', (chunk) => (out += chunk));
const url = await new Promise((resolve, reject) => {
  server.stdout.on('data', () => {
    const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
    if (match && out.includes('in Chinese')) resolve(Number(match[1]));
  });
  server.once('exit', (code) => reject(new Error(`the server exited with ${code}`)));
});
const port = url;

const agents = { [ATTACKER]: new Agent({ keepAlive: true, maxSockets: 32 }), [ATTACKER2]: new Agent({ keepAlive: true, maxSockets: 4 }), [ATTACKER3]: new Agent({ keepAlive: true, maxSockets: 32 }), [USER]: new Agent({ keepAlive: true, maxSockets: 4 }) };

/** One request from `from`; resolves with status, Xlink code (or "-"), Retry-After and the parsed body. */
function call(from, method, path, body, token) {
  return new Promise((resolve, reject) => {
    const headers = { ...(token ? { 'Access-Token': token } : {}) };
    const req = request({ host: '127.0.0.1', port, method, path, headers, localAddress: from, agent: agents[from] }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let json;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = text;
        }
        resolve({ status: res.statusCode, code: json?.error?.code ?? '-', msg: json?.error?.msg, retryAfter: res.headers['retry-after'], json });
      });
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
  });
}

/** `count` requests made by `make(i)`, at most 32 in flight; counts answers by status and code. */
async function flood(count, make) {
  const tally = new Map();
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < count) {
        const res = await make(next++);
        const key = `${res.status} ${res.code} ${res.msg ?? ''}`.trim();
        const seen = tally.get(key) ?? { count: 0, retry: [] };
        seen.count += 1;
        if (res.retryAfter !== undefined) seen.retry.push(Number(res.retryAfter));
        tally.set(key, seen);
      }
    }),
  );
  const lines = [...tally].map(([key, { count, retry }]) => {
    const range = retry.length === 0 ? '' : ` (Retry-After ${Math.min(...retry)}${Math.max(...retry) > Math.min(...retry) ? `..${Math.max(...retry)}` : ''} s)`;
    return `${String(count).padStart(6)} x ${key}${range}`;
  });
  return { lines, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** The code printed on the server's console for `to` (what a user reads from the mail or SMS). */
async function printed(what, to) {
  const pattern = new RegExp(`\\[xlink-example\\] ${what} for ${to.replace(/[.+]/g, '\\$&')}: ([0-9]{6})`, 'g');
  for (let i = 0; i < 100; i++) {
    const all = [...out.matchAll(pattern)];
    if (all.length > 0) return all.at(-1)[1];
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no ${what} printed for ${to}`);
}

const rss = () => {
  try {
    return `${Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))[1]) / 1024)} MB`;
  } catch {
    return 'n/a';
  }
};

const login = async (from, email) => (await call(from, 'POST', '/v2/user_auth', { corp_id: CORP, email, password: 'xlink123' })).json;
const demo = await login(ATTACKER, 'demo@example.com');
const friend = await login(USER, 'friend@example.com');
// The friend subscribes to the demo lamp first, so the property attack would hit a subscriber.
const invite = (await call(ATTACKER, 'POST', '/v2/share/device', { device_id: 3001, user: 'friend@example.com', expire: 3600, mode: 'app' }, demo.access_token)).json.invite_code;
await call(USER, 'POST', '/v2/share/device/accept', { invite_code: invite }, friend.access_token);

console.log(`example-attacks: ${values.koa ? 'Koa' : 'Express'} server (${entry}) on 127.0.0.1:${port}; attacker ${ATTACKER} unless said, user ${USER}; server RSS ${rss()} before`);
const attacks = [
  ['10,050 SMS codes for made-up phones', () => flood(10_050, (i) => call(ATTACKER, 'POST', '/v2/user_register/verifycode', { corp_id: CORP, phone: String(13_000_000_000 + i) }))],
  [`10,050 email registrations (from ${ATTACKER3})`, () => flood(10_050, (i) => call(ATTACKER3, 'POST', '/v2/user_register', { corp_id: CORP, email: `flood${i}@example.com`, password: 'secret12', source: 1 }))],
  ['10,000 shares by one logged-in user', () => flood(10_000, () => call(ATTACKER, 'POST', '/v2/share/device', { device_id: 3001, expire: 30 * 24 * 3600, mode: 'qrcode' }, demo.access_token))],
  ['a 40 kB [[[...]]] property value', () => flood(1, () => call(ATTACKER, 'POST', '/v2/product/160fa2b6c5d3a001/device/3001/property', `{"nested":${'['.repeat(20_000)}${']'.repeat(20_000)}}`, demo.access_token))],
  [`13912345678, 013912345678, 0013912345678 in one minute (from ${ATTACKER2})`, () => flood(3, (i) => call(ATTACKER2, 'POST', '/v2/user_register/verifycode', { corp_id: CORP, phone: `${'0'.repeat(i)}13912345678` }))],
];
for (const [name, run] of attacks) {
  const { lines, seconds } = await run();
  console.log(`\n${name} (${seconds.toFixed(1)} s):`);
  for (const line of lines) console.log(`  ${line}`);
}

// What a normal user, from another address, still gets.
console.log(`\nA normal user (${USER}) afterwards; server RSS ${rss()}:`);
const steps = [];
const step = async (name, res) => {
  steps.push([name, res]);
  console.log(`  ${res.status === 200 ? 'ok  ' : 'FAIL'} ${res.status} ${res.code === '-' ? '' : res.code} ${name}`);
  return res;
};
await step('SMS registration code for a new phone', await call(USER, 'POST', '/v2/user_register/verifycode', { corp_id: CORP, phone: '13700000001' }));
await step('register that phone with the code', await call(USER, 'POST', '/v2/user_register', { corp_id: CORP, phone: '13700000001', nickname: 'Normal', verifycode: await printed('SMS registration code', '+86 13700000001'), password: 'secret12', source: 2 }));
await step('register by email', await call(USER, 'POST', '/v2/user_register', { corp_id: CORP, email: 'normal@example.com', password: 'secret12', source: 1 }));
await step('activate it with the emailed code', await call(USER, 'POST', '/v2/user_email_activate', { corp_id: CORP, email: 'normal@example.com', verifycode: await printed('activation code', 'normal@example.com') }));
await step('forgot password (friend)', await call(USER, 'POST', '/v2/user/password/forgot', { corp_id: CORP, email: 'friend@example.com' }));
await step('reset it with the code', await call(USER, 'POST', '/v2/user/password/foundback', { corp_id: CORP, email: 'friend@example.com', verifycode: await printed('password reset code', 'friend@example.com'), new_password: 'xlink123' }));
const again = await step('log in (friend)', await call(USER, 'POST', '/v2/user_auth', { corp_id: CORP, email: 'friend@example.com', password: 'xlink123' }));
await step('share their own lamp', await call(USER, 'POST', '/v2/share/device', { device_id: 3003, expire: 3600, mode: 'qrcode' }, again.json.access_token));
await step('read the shared demo lamp’s properties', await call(USER, 'GET', '/v2/product/160fa2b6c5d3a001/device/3001/property', undefined, again.json.access_token));
await step('list their shares', await call(USER, 'GET', '/v2/share/device/list', undefined, again.json.access_token));

const failed = steps.filter(([, res]) => res.status !== 200).length;
console.log(`\n${steps.length - failed} of ${steps.length} normal-user requests answered 200.`);
for (const agent of Object.values(agents)) agent.destroy();
server.kill();
clearTimeout(deadline);
process.exitCode = failed === 0 ? 0 : 1;
