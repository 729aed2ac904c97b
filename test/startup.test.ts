/**
 * Cold start: importing the package loads neither ajv nor http-errors nor node:http; they come
 * on first use. Checked on both builds in dist (`npm test` builds first), in fresh processes.
 * What it costs in time is bench/startup.mjs's business (`npm run bench:startup`), never a test's.
 */
import { execFileSync } from 'node:child_process';
import * as http from 'node:http';
import { join } from 'node:path';
import fc from 'fast-check';
import { xlinkError } from 'xlink-errors';

const root = join(__dirname, '..');

/** Runs a program in a fresh node, from the repository (so 'xlink-errors' is dist), and parses what it prints. */
function inFreshNode(kind: 'CommonJS' | 'ESM', program: string): { packages: string[]; builtins: string[]; result: unknown } {
  const report = `
    const cache = Object.keys(process.getBuiltinModule('node:module')._cache);
    const packages = [...new Set(cache.map((f) => /[\\\\/]node_modules[\\\\/]((?:@[^\\\\/]+[\\\\/])?[^\\\\/]+)/.exec(f)?.[1]).filter(Boolean))].sort();
    const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13));
    console.log(JSON.stringify({ packages, builtins, result: globalThis.result ?? null }));`;
  const args = kind === 'ESM' ? ['--input-type=module', '-e', `${program}\n${report}`] : ['-e', `${program}\n${report}`];
  return JSON.parse(execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }));
}

describe.each([
  ['CommonJS', "require('xlink-errors')", "require('xlink-errors/koa')"],
  ['ESM', "await import('xlink-errors')", "await import('xlink-errors/koa')"],
] as const)('%s build', (kind, rootEntry, koaEntry) => {
  test.each([
    ['the root entry', rootEntry],
    ['xlink-errors/koa', koaEntry],
  ])('importing %s loads no ajv, no http-errors and no node:http', (_name, load) => {
    const { packages, builtins } = inFreshNode(kind, `globalThis.pkg = ${load};`);
    expect(packages).toEqual([]);
    expect(builtins).not.toContain('http');
  });

  test('the first validation loads ajv and ajv-formats, and validates', () => {
    const { packages, result } = inFreshNode(
      kind,
      `const pkg = ${rootEntry};
       const check = pkg.xlinkValidate({ body: { type: 'object', properties: { email: { type: 'string', format: 'email' } } } });
       let failed; check({ body: { email: 'not an email' }, headers: {}, query: {}, params: {} }, {}, (err) => { failed = err.code; });
       globalThis.result = [failed, pkg.validateXlinkEnvelope({ error: { code: 4041008, msg: 'x' } })];`,
    );
    expect(packages).toEqual(expect.arrayContaining(['ajv', 'ajv-formats']));
    expect(result).toEqual([4001001, true]);
  });

  test('the first error made loads http-errors and is an HttpError', () => {
    const { packages, result } = inFreshNode(
      kind,
      `const pkg = ${rootEntry};
       const err = pkg.xlinkError('DEVICE_NOT_FOUND');
       const createError = process.getBuiltinModule('node:module').createRequire(process.cwd() + '/')('http-errors');
       globalThis.result = [err instanceof createError.HttpError, createError.isHttpError(err), err.status];`,
    );
    expect(packages).toEqual(['http-errors', 'depd', 'inherits', 'setprototypeof', 'statuses', 'toidentifier'].sort());
    expect(result).toEqual([true, true, 404]);
  });
});

describe('header checks, written out instead of loading node:http, agree with node:http', () => {
  const nodeAccepts = (check: () => void) => {
    try {
      check();
      return true;
    } catch {
      return false;
    }
  };
  const oursAccepts = (headers: Record<string, string>) => nodeAccepts(() => xlinkError('ACCESS_DENIED', { headers }));
  /** Names the handler writes itself are refused whatever HTTP says: not this test's business. */
  const reserved = (name: string) => {
    try {
      xlinkError('ACCESS_DENIED', { headers: { [name]: 'x' } });
      return false;
    } catch (err) {
      return /written by the handler/.test((err as Error).message);
    }
  };
  // Every character class that matters: tokens, separators, controls, Latin-1, beyond Latin-1.
  const text = fc.string({ unit: fc.oneof(fc.constantFrom(...'aZ09!#$%&\'*+-.^_`|~ "(),/:;<=>?@[\\]{}\t\r\n\0\x7f\x80\xff\u0100\u20ac'), fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c))), maxLength: 6 });

  test('on header names', () => {
    fc.assert(
      fc.property(text, (name) => {
        fc.pre(!reserved(name));
        expect(oursAccepts({ [name]: 'x' })).toBe(nodeAccepts(() => http.validateHeaderName(name)));
      }),
      { numRuns: 2000 },
    );
  });

  test('on header values', () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(oursAccepts({ 'X-Test': value })).toBe(nodeAccepts(() => http.validateHeaderValue('X-Test', value)));
      }),
      { numRuns: 2000 },
    );
  });
});
