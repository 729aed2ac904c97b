/**
 * The TypeScript examples of docs/web.md and docs/hono.md compile: every ```ts block is written
 * out as a module of its own and type-checked, strict, against the sources, as
 * test/readme.test.ts does for the README (these blocks declare what they use themselves).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const folder = join(root, '.web-docs-test'); // inside the repository, so node_modules resolves
const pages = ['docs/web.md', 'docs/hono.md'];

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

test.each(pages)('%s begins with a paragraph saying what it is for, and has examples', (page) => {
  const text = readFileSync(join(root, page), 'utf8');
  expect(text.split('\n\n')[1]).toMatch(/^This page is for /);
  expect(tsBlocks(text).length).toBeGreaterThan(3);
});

test('every TypeScript example of docs/web.md and docs/hono.md compiles, strict', () => {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder);
  try {
    const files = pages.flatMap((page) =>
      tsBlocks(readFileSync(join(root, page), 'utf8')).map(({ line, code }) => {
        const file = `${page.replace(/\W/g, '-')}-line-${line}.mts`;
        writeFileSync(join(folder, file), `${code}\nexport {};\n`);
        return file;
      }),
    );
    writeFileSync(join(folder, 'tsconfig.json'), JSON.stringify({ extends: '../tsconfig.json', compilerOptions: { noUnusedLocals: false, noUnusedParameters: false, skipLibCheck: true }, include: [], files }));
    try {
      execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', folder], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      const report = String((err as { stdout?: string }).stdout).replace(/(docs-\w+-md)-line-(\d+)\.mts\((\d+),(\d+)\)/g, (_m, page: string, start: string, row: string, col: string) => `${page.replace(/-md$/, '.md').replace('docs-', 'docs/')}:${Number(start) + Number(row) - 1}:${col}`);
      throw new Error(`examples that do not compile:\n${report}`);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}, 120_000);
