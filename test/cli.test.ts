/**
 * The `xlink-errors` command, spawned as a user runs it: `node dist/cjs/cli.js` (the package's
 * bin) in a directory of the user's own. (Needs `npm run build` first; `npm test` does it.)
 * The packed package's bin is run by test/pack.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { XLINK_ERRORS } from 'xlink-errors';
import { catalogRecords } from '../src/core/catalog.js';

const cli = join(__dirname, '..', 'dist', 'cjs', 'cli.js');
const userDir = join(__dirname, 'fixtures', 'cli');

function run(...args: string[]) {
  const { status, stdout, stderr } = spawnSync(process.execPath, [cli, ...args], { cwd: userDir, encoding: 'utf8' });
  return { status, stdout, stderr };
}

test.each(['4031003', 'ACCESS_TOKEN_INVALID', 'access-token-invalid'])('%s prints the code, name, status and both messages', (key) => {
  const { status, stdout, stderr } = run(key);
  expect([status, stderr]).toEqual([0, '']);
  expect(stdout).toBe('4031003  ACCESS_TOKEN_INVALID\n  status  403 Forbidden\n  msg     Invalid Access-Token\n  msgZh   无效的Access-Token\n');
});

test('several codes at once, each in turn', () => {
  const { status, stdout } = run('4041008', 'PARAM_NULL');
  expect(status).toBe(0);
  expect(stdout).toMatch(/^4041008 {2}DEVICE_NOT_FOUND\n[^]*\n4001002 {2}PARAM_NULL\n[^]*Requested variable null\.\n/);
});

test('--json prints the entry as JSON', () => {
  const { status, stdout } = run('--json', '5031001');
  expect(status).toBe(0);
  expect(JSON.parse(stdout)).toEqual({ code: 5031001, name: 'SERVER_EXCEPTION', status: 503, msg: 'Server exception', msgZh: '服务端发生异常' });
});

test('list --json prints every known entry as { code, name, status, msg, msgZh }', () => {
  const { status, stdout } = run('list', '--json');
  expect(status).toBe(0);
  expect(JSON.parse(stdout)).toEqual(catalogRecords.map((r) => ({ code: r.code, name: r.name, status: r.status, msg: r.msg, msgZh: r.msgZh })));
});

test('list prints a table with every code', () => {
  const { status, stdout } = run('list');
  expect(status).toBe(0);
  const lines = stdout.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^CODE +STATUS +NAME +MESSAGE$/);
  expect(lines).toHaveLength(Object.keys(XLINK_ERRORS).length + 1);
  expect(lines).toContainEqual(expect.stringMatching(/^4041008 {2}404 +DEVICE_NOT_FOUND +Device does not exist$/));
});

test.each([
  ['ACCESS_TOKEN_INVALD', /unknown Xlink error code or name "ACCESS_TOKEN_INVALD"\. Did you mean ACCESS_TOKEN_INVALID \(4031003\)\?/],
  ['4041080', /unknown Xlink error code or name "4041080"\. Did you mean DEVICE_NOT_FOUND \(4041008\)/],
  ['DEVICE_NOT_FUOND', /Did you mean DEVICE_NOT_FOUND \(4041008\)\?/],
  ['nothing-like-it', /unknown Xlink error code or name "nothing-like-it"\. Run "xlink-errors list" to see every code\./],
])('unknown %s exits 1 with a clear message and a suggestion', (key, message) => {
  const { status, stdout, stderr } = run(key);
  expect(status).toBe(1);
  expect(stdout).toBe('');
  expect(stderr).toMatch(message);
});

test('one unknown among known ones: the known are printed, the exit status is 1', () => {
  const { status, stdout, stderr } = run('4041008', 'NOPE');
  expect(status).toBe(1);
  expect(stdout).toMatch(/^4041008 {2}DEVICE_NOT_FOUND/);
  expect(stderr).toMatch(/"NOPE"/);
});

test('--help prints the usage, --require included', () => {
  const { status, stdout } = run('--help');
  expect(status).toBe(0);
  expect(stdout).toMatch(/^Usage: xlink-errors/);
  expect(stdout).toMatch(/--require <module>/);
});

test.each([[[]], [['--bogus']], [['list', 'extra']], [['--require']]])('usage error %p exits 2 and points to --help', (args) => {
  const { status, stderr } = run(...args);
  expect(status).toBe(2);
  expect(stderr).toMatch(/Run "xlink-errors --help" for usage\./);
});

test('--require of a missing module exits 1 and names it', () => {
  const { status, stderr } = run('--require', './nowhere.js', '4041008');
  expect(status).toBe(1);
  expect(stderr).toMatch(/--require \.\/nowhere\.js: cannot find module "\.\/nowhere\.js" from /);
});

test('--require of a module that throws exits 1 with its message', () => {
  const { status, stderr } = run('-r', './broken.cjs', '4041008');
  expect(status).toBe(1);
  expect(stderr).toMatch(/--require \.\/broken\.cjs: the module failed to load: broken on purpose/);
});

test('output cut short by a closed pipe is not an error', () => {
  const { status, stderr } = spawnSync('sh', ['-c', `"${process.execPath}" "${cli}" list | head -1`], { encoding: 'utf8' });
  expect([status, stderr]).toEqual([0, '']);
});

describe('--require: codes defined with defineXlinkErrors in a user module', () => {
  test('a CommonJS module: its code is found by code and by name, and listed', () => {
    const byCode = run('--require', './errors.cjs', '4031021');
    expect([byCode.status, byCode.stderr]).toEqual([0, '']);
    expect(byCode.stdout).toBe('4031021  ACCESS_TOKEN_EXPIRED\n  status  403 Forbidden\n  msg     Access-Token expired\n  msgZh   Access-Token过期\n');
    expect(run('-r', './errors.cjs', 'access-token-expired').stdout).toMatch(/^4031021 {2}ACCESS_TOKEN_EXPIRED\n/);
    const listed = JSON.parse(run('-r', './errors.cjs', 'list', '--json').stdout) as { code: number }[];
    expect(listed).toHaveLength(83);
    expect(listed.at(-1)).toEqual({ code: 4031021, name: 'ACCESS_TOKEN_EXPIRED', status: 403, msg: 'Access-Token expired', msgZh: 'Access-Token过期' });
  });

  test('an ES module (the ESM build of the package, sharing the registry), repeated with a CommonJS one', () => {
    const listed = JSON.parse(run('--require', './errors.mjs', '--require', './errors.cjs', 'list', '--json').stdout) as { code: number; name: string; status: number; msgZh: string }[];
    expect(listed.slice(82)).toEqual([
      { code: 4091001, name: 'DEVICE_BUSY', status: 409, msg: 'Device is busy' }, // defined without msgZh: none shown
      { code: 4031021, name: 'ACCESS_TOKEN_EXPIRED', status: 403, msg: 'Access-Token expired', msgZh: 'Access-Token过期' },
    ]);
    expect(run('-r', './errors.mjs', 'DEVICE_BUSY').stdout).toBe('4091001  DEVICE_BUSY\n  status  409 Conflict\n  msg     Device is busy\n');
  });

  test('a defined name is suggested for a typo', () => {
    const { status, stderr } = run('-r', './errors.cjs', 'ACCESS_TOKEN_EXPIRD');
    expect(status).toBe(1);
    expect(stderr).toMatch(/Did you mean ACCESS_TOKEN_EXPIRED \(4031021\)\?/);
  });

  test('without --require, a code of your own is unknown: the message says it is not official and how to load it', () => {
    const { status, stderr } = run('4091001');
    expect(status).toBe(1);
    expect(stderr).toBe(
      'xlink-errors: unknown Xlink error code or name "4091001". It is not an official Xlink code; ' +
        'a code of your own is known once the module that defines it is loaded: xlink-errors --require ./path/to/errors.js 4091001\n',
    );
    expect(stderr).not.toMatch(/Did you mean/);
  });

  test('without --require, a later official code names xlink-errors/extended', () => {
    const { status, stderr } = run('4031021');
    expect(status).toBe(1);
    expect(stderr).toMatch(/"4031021"\. It is ACCESS_TOKEN_EXPIRED, a later official code of xlink-errors\/extended: define them with defineXlinkErrors\(XLINK_EXTENDED_ERRORS\) in a module, and load it with --require\.\n$/);
  });

  test('a near miss of a code of the same status is still suggested', () => {
    expect(run('4041080').stderr).toMatch(/Did you mean DEVICE_NOT_FOUND \(4041008\)\?/);
  });
});
