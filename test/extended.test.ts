import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XLINK_ERRORS } from 'xlink-errors';
import { XLINK_EXTENDED_ERRORS, type XlinkExtendedErrorName } from 'xlink-errors/extended';

const root = join(__dirname, '..');
const read = (...path: string[]) => readFileSync(join(root, ...path), 'utf8');

/** Every `4041008 | 设备不存在` row of the official Chinese table, in order, repeats kept. */
const chineseRows = read('test', 'fixtures', 'xlink-error-codes.zh.md')
  .split('\n')
  .flatMap((line) => {
    const match = /^\|?\s*(\d+)\s*\|(.*)$/.exec(line);
    return match ? [{ code: match[1]!, text: match[2]!.replace(/\|\s*$/, '').trim() }] : [];
  });
const chinese = new Map<number, string[]>();
for (const { code, text } of chineseRows) chinese.set(Number(code), [...(chinese.get(Number(code)) ?? []), text]);

const tsvRows = read('src', 'extended', 'xlink-extended-errors.tsv')
  .split('\n')
  .filter((line) => line !== '' && !line.startsWith('#'))
  .slice(1)
  .map((line) => {
    const [code, status, name, msg, msgZh] = line.split('\t') as [string, string, string, string, string];
    return { code: Number(code), status: Number(status), name, msg, msgZh };
  });

const names = Object.keys(XLINK_EXTENDED_ERRORS) as XlinkExtendedErrorName[];
const entries = names.map((name) => ({ name, ...XLINK_EXTENDED_ERRORS[name] }));
const officialCodes = new Set<number>(Object.values(XLINK_ERRORS).map((entry) => entry.code));
const laterCodes = [...chinese.keys()].filter((code) => !officialCodes.has(code));


describe('the official Chinese table, as the decisions found it', () => {
  test('has 278 rows for 277 codes, 82 of them the English table\'s, so 195 later codes', () => {
    expect(chineseRows).toHaveLength(278);
    expect(chinese.size).toBe(277);
    expect([...officialCodes].every((code) => chinese.has(code))).toBe(true);
    expect(laterCodes).toHaveLength(195);
  });

  test('lists exactly one code twice, 4001134, with two different texts', () => {
    const repeated = [...chinese].filter(([, texts]) => texts.length > 1);
    expect(repeated).toEqual([[4001134, ['必须为Home邀请者', '该用户已在Home成员列表中']]]);
  });

  test('has no row without text', () => {
    expect(chineseRows.filter((row) => row.text === '')).toEqual([]);
  });

  test('has no malformed code: all are 7 digits starting with an HTTP error status', () => {
    const malformed = chineseRows.filter(({ code }) => !/^[1-9]\d{6}$/.test(code) || Number(code.slice(0, 3)) < 400 || Number(code.slice(0, 3)) > 599);
    expect(malformed).toEqual([]);
  });
});

describe('XLINK_EXTENDED_ERRORS against the official Chinese table', () => {
  test('has exactly 195 entries, one per later code', () => {
    expect(names).toHaveLength(195);
  });

  test('every later official code is an entry with its text verbatim (the first, if listed twice)', () => {
    const byCode = new Map(entries.map((entry) => [entry.code as number, entry.msgZh as string]));
    for (const code of laterCodes) expect([code, byCode.get(code)]).toEqual([code, chinese.get(code)![0]]);
  });

  test('every entry is a later code of the table with its text verbatim', () => {
    for (const { name, code, msgZh } of entries) expect([name, chinese.get(code)?.[0]]).toEqual([name, msgZh]);
  });

  test('no entry is one of the 82 codes or names', () => {
    for (const { name, code } of entries) {
      expect(officialCodes.has(code)).toBe(false);
      expect(Object.keys(XLINK_ERRORS)).not.toContain(name);
    }
  });

  test('4001134, listed twice with two different texts, keeps the first: HOME_INVITER_REQUIRED', () => {
    expect(entries.filter((entry) => (entry.code as number) === 4001134)).toEqual([
      { name: 'HOME_INVITER_REQUIRED', code: 4001134, msg: 'Must be the Home inviter', msgZh: '必须为Home邀请者' },
    ]);
  });

  test('4001134 can be left out, to define it with the other meaning, by a rest destructuring', () => {
    const { HOME_INVITER_REQUIRED, ...rest } = XLINK_EXTENDED_ERRORS;
    expect(HOME_INVITER_REQUIRED.code).toBe(4001134);
    expect(Object.values(rest).map((entry) => entry.code)).not.toContain(4001134);
    expect(Object.keys(rest)).toHaveLength(194);
  });

  test('a text the table pads with a trailing space is kept without it', () => {
    expect(XLINK_EXTENDED_ERRORS.SPLASH_IMAGE_LIMIT_REACHED.msgZh).toBe('splashWnd图片数量达到上限');
    expect(XLINK_EXTENDED_ERRORS.KEY_ACCOUNT_ADMIN_PERMISSION_REQUIRED.msgZh).toBe('需要大客户组织用户管理员权限');
  });

  test('the official punctuation is kept, ASCII and full-width commas alike', () => {
    expect(XLINK_EXTENDED_ERRORS.THIRD_PARTY_UNBIND_FAILED.msgZh).toBe('解除绑定第三方帐号失败,请保证至少保留一个第三方帐号信息或者Xlink帐号信息');
    expect(XLINK_EXTENDED_ERRORS.PUSH_TASK_ALREADY_STARTED.msgZh).toBe('推送任务已经开启，不可重复开启');
  });

  test('two codes with the same text get two names', () => {
    expect(XLINK_EXTENDED_ERRORS.PUSH_TASK_MISSING).toEqual({ code: 4001119, msg: 'Push task does not exist', msgZh: '推送任务不存在' });
    expect(XLINK_EXTENDED_ERRORS.PUSH_TASK_NOT_FOUND).toEqual({ code: 4041032, msg: 'Push task does not exist', msgZh: '推送任务不存在' });
  });
});

describe('XLINK_EXTENDED_ERRORS entries', () => {
  test('ACCESS_TOKEN_EXPIRED is exactly the entry of the API contract', () => {
    expect(XLINK_EXTENDED_ERRORS.ACCESS_TOKEN_EXPIRED).toStrictEqual({ code: 4031021, msg: 'Access-Token expired', msgZh: 'Access-Token过期' });
  });

  test('4001061 is USER_LOCKED with the official Chinese text', () => {
    expect(XLINK_EXTENDED_ERRORS.USER_LOCKED.code).toBe(4001061);
    expect(XLINK_EXTENDED_ERRORS.USER_LOCKED.msgZh).toBe('用户由于多次输入错误密码已被锁定');
  });

  test('names are unique and UPPER_SNAKE_CASE', () => {
    expect(new Set(tsvRows.map((row) => row.name)).size).toBe(tsvRows.length);
    for (const name of names) expect(name).toMatch(/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/);
  });

  test('codes are unique integers of 7 digits, the first three an HTTP error status', () => {
    expect(new Set(entries.map((entry) => entry.code)).size).toBe(names.length);
    for (const { code } of entries) {
      expect(String(code)).toMatch(/^[1-9]\d{6}$/);
      expect(Math.floor(code / 10000)).toBeGreaterThanOrEqual(400);
      expect(Math.floor(code / 10000)).toBeLessThanOrEqual(599);
    }
  });

  test('the TSV\'s status column is the first three digits of the code', () => {
    for (const { code, status } of tsvRows) expect([code, status]).toEqual([code, Math.floor(code / 10000)]);
  });

  test('English messages are plain: one line, capitalised, no Chinese, no trailing period', () => {
    for (const { name, msg } of entries) {
      expect([name, msg]).toEqual([name, msg.trim()]);
      expect([name, /^[A-Z]/.test(msg), /[\u3000-\u9fff\uff00-\uffef]/.test(msg), msg.endsWith('.'), /\s{2}/.test(msg)]).toEqual([name, true, false, false, false]);
    }
  });

  test('entries are exactly { code, msg, msgZh } and deeply frozen', () => {
    expect(Object.isFrozen(XLINK_EXTENDED_ERRORS)).toBe(true);
    for (const name of names) {
      expect(Object.keys(XLINK_EXTENDED_ERRORS[name])).toEqual(['code', 'msg', 'msgZh']);
      expect(Object.isFrozen(XLINK_EXTENDED_ERRORS[name])).toBe(true);
    }
  });
});

describe('the data file and the generated module', () => {
  test('the module holds exactly the TSV rows, in order', () => {
    expect(entries).toEqual(tsvRows.map(({ code, name, msg, msgZh }) => ({ name, code, msg, msgZh })));
  });

  test('entries.generated.ts is up to date with the TSV (npm run gen:extended)', () => {
    expect(() => execFileSync(process.execPath, [join(root, 'scripts', 'gen-extended.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  test('the TSV says which text is ours and which is official', () => {
    const header = read('src', 'extended', 'xlink-extended-errors.tsv').split('\n').filter((line) => line.startsWith('#')).join('\n');
    expect(header).toMatch(/msg +ENGLISH TRANSLATION BY THIS PROJECT/);
    expect(header).toMatch(/msg_zh +THE OFFICIAL CHINESE TEXT, verbatim/);
    expect(header).toContain('4001134');
  });
});

test('the built subpath is data only: it exports XLINK_EXTENDED_ERRORS and loads nothing else of the package', () => {
  const dir = join(root, 'dist', 'cjs', 'extended');
  const script = `
    const before = new Set(Object.keys(require.cache));
    const extended = require(${JSON.stringify(join(dir, 'index.js'))});
    const loaded = Object.keys(require.cache).filter((f) => !before.has(f)).map((f) => require('node:path').relative(${JSON.stringify(dir)}, f));
    console.log(JSON.stringify({ exports: Object.keys(extended), loaded }));`;
  const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as { exports: string[]; loaded: string[] };
  expect(out).toEqual({ exports: ['XLINK_EXTENDED_ERRORS'], loaded: ['index.js', 'entries.generated.js'] });
});
