/**
 * docs/client.md's TypeScript examples compile: every ```ts block is written out as a module of
 * its own and type-checked, strict, against the sources (as test/readme.test.ts does for the README).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const folder = join(root, '.client-docs-test'); // inside the repository, so node_modules resolves
const page = readFileSync(join(root, 'docs', 'client.md'), 'utf8');

/** The ```ts blocks, with the line each starts on. */
function tsBlocks(markdown: string): { line: number; code: string }[] {
  const lines = markdown.split('\n');
  const blocks: { line: number; code: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```ts\s*$/.test(lines[i]!)) continue;
    const start = i + 1;
    while (i + 1 < lines.length && !/^```\s*$/.test(lines[i + 1]!)) i++;
    blocks.push({ line: start, code: lines.slice(start, i + 1).join('\n') });
    i++;
  }
  return blocks;
}

test('the page starts with one paragraph saying what it is for, and has examples', () => {
  expect(page).toMatch(/^# .+\n\nThis page is for /);
  expect(tsBlocks(page).length).toBeGreaterThanOrEqual(6);
});

test('every TypeScript example of docs/client.md compiles on its own, strict', () => {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder);
  try {
    const files = tsBlocks(page).map(({ line, code }) => {
      const file = `client-md-line-${line}.mts`;
      writeFileSync(join(folder, file), `${code}\nexport {};\n`);
      return file;
    });
    writeFileSync(
      join(folder, 'tsconfig.json'),
      JSON.stringify({ extends: '../tsconfig.json', compilerOptions: { noUnusedLocals: false, noUnusedParameters: false, skipLibCheck: true }, include: [], files }),
    );
    try {
      execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', folder], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      const report = String((err as { stdout?: string }).stdout).replace(/(?:\.client-docs-test\/)?client-md-line-(\d+)\.mts\((\d+),(\d+)\)/g, (_m, start: string, row: string, col: string) => `docs/client.md:${Number(start) + Number(row)}:${col}`);
      throw new Error(`docs/client.md examples that do not compile:\n${report}`);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}, 120_000);
