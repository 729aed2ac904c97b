/**
 * The example server's XLINK_ACCESS_TOKEN_SECONDS, which client tests use to reach the refresh
 * path in seconds: parsed strictly, in force in `expire_in` and the tokens' lifetime, and a bad
 * value stops `npm start` with a message naming it.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ACCESS_TOKEN_SECONDS, accessTokenSeconds } from '../examples/domain/policy';
import { XlinkService } from '../examples/domain/service';
import { DEMO_CORP_ID, DEMO_USER, seededStore } from '../examples/domain/store';

test('unset or empty: the Xlink docs’ 7200 seconds', () => {
  expect([ACCESS_TOKEN_SECONDS, accessTokenSeconds(undefined), accessTokenSeconds('')]).toEqual([7200, 7200, 7200]);
});

test('a whole number of seconds from 1 to 30 days', () => {
  expect([accessTokenSeconds('1'), accessTokenSeconds('2'), accessTokenSeconds('2592000')]).toEqual([1, 2, 2592000]);
});

test.each(['0', '-1', '1.5', '2e3', ' 2', '02', '0x10', 'abc', '2592001', '99999999999999999999'])('%j is a TypeError naming the variable', (value) => {
  expect(() => accessTokenSeconds(value)).toThrow(new TypeError(`XLINK_ACCESS_TOKEN_SECONDS must be a whole number of seconds from 1 to 2592000, got ${JSON.stringify(value)}`));
});

test('the service reads it when it starts: expire_in and the token lifetime say the value in force', () => {
  const previous = process.env.XLINK_ACCESS_TOKEN_SECONDS;
  process.env.XLINK_ACCESS_TOKEN_SECONDS = '60';
  try {
    let clock = Date.parse('2026-12-01T00:00:00Z');
    const service = new XlinkService(seededStore(() => clock), { send: () => {} }, () => clock);
    const session = service.login({ corp_id: DEMO_CORP_ID, email: DEMO_USER.email, password: DEMO_USER.password });
    expect(session.expire_in).toBe(60);
    expect(service.refresh({ refresh_token: session.refresh_token }).expire_in).toBe(60);
    clock += 59_000;
    const again = service.login({ corp_id: DEMO_CORP_ID, email: DEMO_USER.email, password: DEMO_USER.password });
    expect(service.authenticate(again.access_token)).toBe(again.user_id);
    clock += 60_000;
    expect(() => service.authenticate(again.access_token)).toThrow(expect.objectContaining({ code: 4031021 }));
  } finally {
    if (previous === undefined) delete process.env.XLINK_ACCESS_TOKEN_SECONDS;
    else process.env.XLINK_ACCESS_TOKEN_SECONDS = previous;
  }
});

test('a token replaced by a refresh answers 4031022, the new one works, an unknown one answers 4031003 (revoked ones: test/examples.test.ts)', () => {
  const service = new XlinkService(seededStore(), { send: () => {} });
  const login = () => service.login({ corp_id: DEMO_CORP_ID, email: DEMO_USER.email, password: DEMO_USER.password });
  const first = login();
  const renewed = service.refresh({ refresh_token: first.refresh_token });
  expect(() => service.authenticate(first.access_token)).toThrow(expect.objectContaining({ code: 4031022, status: 403 }));
  expect(service.authenticate(renewed.access_token)).toBe(first.user_id);
  expect(() => service.authenticate('made-up')).toThrow(expect.objectContaining({ code: 4031003 }));
});

test('npm start with a bad XLINK_ACCESS_TOKEN_SECONDS: exit code 1 and a message naming it', () => {
  const { status, stderr } = spawnSync(process.execPath, ['--import', 'tsx', 'examples/express/server.ts'], {
    cwd: join(__dirname, '..'),
    env: { ...process.env, PORT: '0', XLINK_ACCESS_TOKEN_SECONDS: 'two hours' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect([status, stderr.trim()]).toEqual([1, '[xlink-example] XLINK_ACCESS_TOKEN_SECONDS must be a whole number of seconds from 1 to 2592000, got "two hours"']);
}, 40_000);
