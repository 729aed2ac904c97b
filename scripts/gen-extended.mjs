// Writes src/extended/entries.generated.ts from src/extended/xlink-extended-errors.tsv.
//
//   node scripts/gen-extended.mjs           rewrite the generated module (npm run gen:extended)
//   node scripts/gen-extended.mjs --check   exit 1 if it is stale (test/extended.test.ts runs it)
//
// The TSV is the data we edit and review; the generated module is what the package ships. Why
// not load the TSV (or a JSON) at runtime: users get literal types only from a TypeScript
// `as const` object (a JSON import widens every code to `number`), and a module compiled by tsc
// into dist/cjs and dist/esm loads the same in both builds, with no file to find at runtime.
import { readFileSync, writeFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsvPath = join(root, 'src', 'extended', 'xlink-extended-errors.tsv');
const outPath = join(root, 'src', 'extended', 'entries.generated.ts');
const rel = (path) => relative(root, path).split('\\').join('/');

const HEADER = ['code', 'status', 'name', 'msg', 'msg_zh'];
const NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;
// Neither padding nor control characters (tabs and newlines included) belong in a message.
const BAD_TEXT = /^\s|\s$|[\u0000-\u001f\u007f]/;

/** Parses and checks the TSV; throws an Error listing every bad line. */
function readRows() {
  const problems = [];
  const rows = [];
  let header;
  readFileSync(tsvPath, 'utf8').split('\n').forEach((line, index) => {
    const at = `${rel(tsvPath)}:${index + 1}`;
    if (line === '' || line.startsWith('#')) return;
    const cells = line.split('\t');
    if (header === undefined) {
      header = cells;
      if (cells.join('\t') !== HEADER.join('\t')) problems.push(`${at}: the header must be ${HEADER.join(' <tab> ')}`);
      return;
    }
    if (cells.length !== HEADER.length) return void problems.push(`${at}: ${cells.length} cells, expected ${HEADER.length}`);
    const [code, status, name, msg, msgZh] = cells;
    if (!/^[1-9]\d{6}$/.test(code)) problems.push(`${at}: code ${JSON.stringify(code)} is not 7 digits`);
    else if (status !== code.slice(0, 3) || Number(status) < 400 || Number(status) > 599) {
      problems.push(`${at}: status ${JSON.stringify(status)} must be the code's first three digits, an HTTP error status 400-599`);
    }
    if (!NAME.test(name)) problems.push(`${at}: name ${JSON.stringify(name)} is not UPPER_SNAKE_CASE`);
    for (const [column, text] of [['msg', msg], ['msg_zh', msgZh]]) {
      if (text === '' || BAD_TEXT.test(text)) problems.push(`${at}: ${column} is empty, padded or holds a control character`);
    }
    const previous = rows.at(-1);
    if (previous !== undefined && Number(code) <= previous.code) problems.push(`${at}: code ${code} is not above ${previous.code} (keep the rows in code order, each once)`);
    if (rows.some((row) => row.name === name)) problems.push(`${at}: name ${name} is used twice`);
    rows.push({ code: Number(code), status: Number(status), name, msg, msgZh });
  });
  if (header === undefined) problems.push(`${rel(tsvPath)}: no header row`);
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return rows;
}

const quote = (text) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The generated module's text. */
function render(rows) {
  const lines = [
    `// Generated from ${rel(tsvPath)} by scripts/gen-extended.mjs: do not edit.`,
    '// Edit the TSV, then run `npm run gen:extended`; test/extended.test.ts fails while this file is stale.',
    '// msg is our English translation; msgZh is the official Chinese text (see the TSV\'s header).',
    '',
    '/** The later official codes, by name; `XLINK_EXTENDED_ERRORS` is this object, frozen. */',
    'export const EXTENDED_ENTRIES = {',
  ];
  let status;
  for (const row of rows) {
    if (row.status !== status) {
      if (status !== undefined) lines.push('');
      status = row.status;
      lines.push(`  // ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd());
    }
    lines.push(`  ${row.name}: { code: ${row.code}, msg: ${quote(row.msg)}, msgZh: ${quote(row.msgZh)} },`);
  }
  lines.push('} as const;', '');
  return lines.join('\n');
}

try {
  const text = render(readRows());
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(outPath, 'utf8');
    } catch {
      // missing: stale
    }
    if (current !== text) {
      console.error(`${rel(outPath)} is stale: run \`npm run gen:extended\` and commit the result.`);
      process.exit(1);
    }
  } else {
    writeFileSync(outPath, text);
    console.log(`wrote ${rel(outPath)}`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
