/**
 * docs/validation.md's TypeScript examples compile: every ```ts block is written out as a module
 * of its own and type-checked, strict, against the sources, with the README's prelude
 * (test/readme/prelude.d.ts), as test/readme.test.ts does for the README.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const folder = join(root, '.validate-docs-test'); // inside the repository, so node_modules resolves

test('every TypeScript example of docs/validation.md compiles, strict', () => {
  const lines = readFileSync(join(root, 'docs', 'validation.md'), 'utf8').split('\n');
  const blocks: { line: number; code: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```ts') continue;
    const start = i + 1;
    while (lines[++i] !== '```') if (i >= lines.length) throw new Error(`unclosed block at line ${start}`);
    blocks.push({ line: start, code: lines.slice(start, i).join('\n') });
  }
  expect(blocks.length).toBeGreaterThanOrEqual(6);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder);
  try {
    const files = blocks.map(({ line, code }) => {
      writeFileSync(join(folder, `docs-line-${line}.mts`), `${code}\nexport {};\n`);
      return `docs-line-${line}.mts`;
    });
    const compilerOptions = { noUnusedLocals: false, noUnusedParameters: false, skipLibCheck: true };
    writeFileSync(join(folder, 'tsconfig.json'), JSON.stringify({ extends: '../tsconfig.json', compilerOptions, include: [], files: ['../test/readme/prelude.d.ts', ...files] }));
    try {
      execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', folder], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      const report = String((err as { stdout?: string }).stdout).replace(/docs-line-(\d+)\.mts\((\d+),(\d+)\)/g, (_m, start: string, row: string, col: string) => `docs/validation.md:${Number(start) + Number(row) - 1}:${col}`);
      throw new Error(`docs/validation.md examples that do not compile:\n${report}`);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}, 120_000);
