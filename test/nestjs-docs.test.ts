/**
 * docs/nestjs.md's TypeScript examples compile: every ```ts block is written out as a module of
 * its own and type-checked, strict, against the sources, as test/readme.test.ts checks the
 * README's, with decorators on (experimentalDecorators, emitDecoratorMetadata: what Nest apps
 * compile with) and the names fragments use without declaring them in
 * test/nestjs-fixtures/docs-prelude.d.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const folder = join(root, '.nestjs-docs-test'); // inside the repository, so node_modules resolves
const page = join(root, 'docs', 'nestjs.md');

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

test('docs/nestjs.md starts with a paragraph saying what it is for, and has examples to check', () => {
  const markdown = readFileSync(page, 'utf8');
  expect(markdown).toMatch(/^# .+\n\nThis page is for /);
  expect(tsBlocks(markdown).length).toBeGreaterThanOrEqual(6);
});

test('every TypeScript example of docs/nestjs.md compiles, strict', () => {
  const blocks = tsBlocks(readFileSync(page, 'utf8'));
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder);
  try {
    const files = blocks.map(({ line, code }) => {
      const file = `nestjs-md-line-${line}.mts`;
      writeFileSync(join(folder, file), `${code}\nexport {};\n`);
      return file;
    });
    writeFileSync(
      join(folder, 'tsconfig.json'),
      JSON.stringify({
        extends: '../tsconfig.json',
        compilerOptions: { noUnusedLocals: false, noUnusedParameters: false, skipLibCheck: true, experimentalDecorators: true, emitDecoratorMetadata: true },
        include: [],
        exclude: [],
        files: ['../test/nestjs-fixtures/docs-prelude.d.ts', ...files],
      }),
    );
    try {
      execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', folder], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      const report = String((err as { stdout?: string }).stdout).replace(/nestjs-md-line-(\d+)\.mts\((\d+),(\d+)\)/g, (_m, start: string, row: string, col: string) => `docs/nestjs.md:${Number(start) + Number(row)}:${col}`);
      throw new Error(`docs/nestjs.md examples that do not compile:\n${report}`);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}, 120_000);
