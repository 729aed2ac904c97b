// The portable pieces of the core the web path stands on, held to the Node tools they replace.
import fc from 'fast-check';
import Negotiator from 'negotiator';
import { STATUS_CODES } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { acceptedLanguage } from '../src/core/language';
import { statusText } from '../src/core/status-text';

const OFFERED = ['en', 'zh-CN', 'zh'];

describe('statusText', () => {
  test('every error status has node:http’s reason phrase', () => {
    for (let status = 400; status <= 599; status++) expect([status, statusText(status)]).toEqual([status, STATUS_CODES[status] ?? '']);
  });
});

describe('acceptedLanguage, as negotiator (Express 5’s req.acceptsLanguages) chooses', () => {
  const negotiated = (header: string | undefined) => new Negotiator({ headers: header === undefined ? {} : { 'accept-language': header } }).languages(OFFERED)[0] ?? false;

  test.each([
    undefined,
    '',
    '*',
    'zh-CN',
    'zh-cn',
    'ZH',
    'zh-TW',
    'zh-Hans-CN',
    'en-US,en;q=0.9',
    'zh-CN,zh;q=0.9,en;q=0.8',
    'en;q=0.5, zh;q=0.6',
    'fr, de',
    'fr, *;q=0.1',
    'zh;q=0, *',
    'en;q=0',
    'en;Q=0.1, zh;q=0.2',
    'en; q=0.5 , zh-CN; q=0.5',
    'zh-HK;q=1,zh-CN;q=1',
    'en;q=abc, zh',
    ',,,',
    ';q=1',
  ])('%p', (header) => {
    expect(acceptedLanguage(header, OFFERED)).toBe(negotiated(header));
  });

  test('any header made of language ranges and q values', () => {
    const tag = fc.constantFrom('en', 'EN', 'en-US', 'en-GB', 'zh', 'zh-CN', 'zh-cn', 'zh-TW', 'zh-Hans', 'fr', 'de-DE', '*', 'x-klingon');
    const q = fc.option(fc.constantFrom('1', '0', '0.5', '0.9', '0.001', '1.0', '0.50'), { nil: undefined });
    const range = fc.tuple(tag, q, fc.constantFrom('', ' ')).map(([t, weight, space]) => (weight === undefined ? t : `${t};${space}q=${weight}`));
    const header = fc.array(range, { maxLength: 6 }).chain((ranges) => fc.constantFrom(',', ', ', ' ,').map((sep) => ranges.join(sep)));
    fc.assert(
      fc.property(header, (h) => acceptedLanguage(h, OFFERED) === negotiated(h)),
      { numRuns: 2000 },
    );
  });
});

describe('the web and Hono entries, as built, import no node: built-in and need no require', () => {
  const esm = resolve(__dirname, '../dist/esm');
  const built = existsSync(join(esm, 'web/index.js'));
  (built ? test : test.skip).each(['web/index.js', 'hono/index.js'])('%s and everything it imports', (entry) => {
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(file, 'utf8');
      for (const [, specifier] of source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) {
        expect([file, specifier]).toEqual([file, expect.stringMatching(/^\.\.?\//)]); // relative: no node:, no package
        visit(resolve(dirname(file), specifier!));
      }
      expect([file, /\bimport\s*\(/.test(source)]).toEqual([file, false]);
      // `require` only where a bundler provides it, guarded, in the one loader.
      if (!file.endsWith('core/runtime.js')) expect([file, /\brequire\s*\(/.test(source.replace(/\/\/.*|\/\*[\s\S]*?\*\//g, ''))]).toEqual([file, false]);
    };
    visit(join(esm, entry));
    expect(seen.size).toBeGreaterThan(5);
    expect([...seen].map((f) => f.slice(esm.length + 1))).not.toContain('core/node-require.js'); // Node's alone
  });
});
