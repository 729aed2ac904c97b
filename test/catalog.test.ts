import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XLINK_ERRORS, xlinkEnvelopeSchema } from 'xlink-errors';
import { catalogRecords } from '../src/core/catalog.js';

const fixture = (file: string) => readFileSync(join(__dirname, 'fixtures', file), 'utf8');

/** The rows `| 4041008 | Device does not exist` of the Xlink table, kept verbatim in fixtures/. */
function parseXlinkTable(markdown: string): Map<number, string> {
  const rows = new Map<number, string>();
  for (const line of markdown.split('\n')) {
    const match = /^\|?\s*(\d{7})\s*\|(.*)$/.exec(line);
    if (match) rows.set(Number(match[1]), match[2]!.replace(/\|\s*$/, '').trim());
  }
  return rows;
}

const english = parseXlinkTable(fixture('xlink-error-codes.md'));
const chinese = parseXlinkTable(fixture('xlink-error-codes.zh.md'));
const tsv = fixture('xlink-catalog.tsv')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [code, status, name, msg, msgZh] = line.split('\t') as [string, string, string, string, string];
    return { code: Number(code), status: Number(status), name, msg, msgZh };
  });
const names = Object.keys(XLINK_ERRORS) as (keyof typeof XLINK_ERRORS)[];

test('the catalog has exactly the 82 codes', () => {
  expect(names).toHaveLength(82);
  expect(english.size).toBe(82);
});

test('every code of the Xlink table is in the catalog with its exact message', () => {
  const catalog = new Map(names.map((n) => [XLINK_ERRORS[n].code as number, XLINK_ERRORS[n].msg as string]));
  for (const [code, msg] of english) expect([code, catalog.get(code)]).toEqual([code, msg]);
});

test('every catalog entry is in the Xlink table with its exact message', () => {
  for (const name of names) {
    const { code, msg } = XLINK_ERRORS[name];
    expect([name, english.get(code)]).toEqual([name, msg]);
  }
});

test('names, codes, statuses and both texts match the catalog TSV, in order', () => {
  expect(catalogRecords.map(({ code, status, name, msg, msgZh }) => ({ code, status, name, msg, msgZh }))).toEqual(tsv);
});

test('the Chinese texts are the official table verbatim, for every code', () => {
  for (const record of catalogRecords) expect([record.code, chinese.get(record.code)]).toEqual([record.code, record.msgZh]);
});

test.each(names)('%s: status is the first three digits of the code', (name) => {
  const { code, status } = XLINK_ERRORS[name];
  expect(String(status)).toBe(String(code).slice(0, 3));
  expect([400, 403, 404, 503]).toContain(status);
});

test('entries are exactly { code, status, msg } and deeply frozen', () => {
  expect(XLINK_ERRORS.DEVICE_NOT_FOUND).toEqual({ code: 4041008, status: 404, msg: 'Device does not exist' });
  expect(Object.isFrozen(XLINK_ERRORS)).toBe(true);
  for (const name of names) expect(Object.isFrozen(XLINK_ERRORS[name])).toBe(true);
});

test('codes and names are unique', () => {
  expect(new Set(names.map((n) => XLINK_ERRORS[n].code)).size).toBe(82);
  for (const name of names) expect(name).toMatch(/^[A-Z][A-Z0-9_]*$/);
});

test('the schema allows exactly the catalog codes', () => {
  const codes = xlinkEnvelopeSchema.properties.error.properties.code.enum;
  expect([...codes].sort()).toEqual(names.map((n) => XLINK_ERRORS[n].code).sort());
});
