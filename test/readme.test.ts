/**
 * The README's TypeScript examples compile: every ```ts block of README.md is written out as a
 * module of its own and type-checked, strict, against the sources, with the names fragments use
 * without declaring them in test/readme/prelude.d.ts. A block that cannot compile on its own
 * (kept rare) is marked with `<!-- readme: no-compile -->` on the line before it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const folder = join(root, '.readme-test'); // inside the repository, so node_modules resolves

interface Block {
  readonly line: number;
  readonly code: string;
}

/** The ```ts blocks (indented ones too), with the README line each starts on. */
function tsBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```ts\s*$/.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!.length;
    const skipped = /<!--\s*readme: no-compile\s*-->/.test(lines[i - 1] ?? '');
    const start = i + 1;
    while (i + 1 < lines.length && !/^\s*```\s*$/.test(lines[i + 1]!)) i++;
    if (!skipped) blocks.push({ line: start, code: lines.slice(start, i + 1).map((l) => l.slice(indent)).join('\n') });
    i++;
  }
  return blocks;
}

test('the README has TypeScript examples to check', () => {
  expect(tsBlocks(readFileSync(join(root, 'README.md'), 'utf8')).length).toBeGreaterThan(10);
});

test('every TypeScript example of the README compiles, strict', () => {
  const blocks = tsBlocks(readFileSync(join(root, 'README.md'), 'utf8'));
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder);
  try {
    const files = blocks.map(({ line, code }) => {
      const file = `readme-line-${line}.mts`;
      // `export {}` makes every block a module, so that its names stay its own.
      writeFileSync(join(folder, file), `${code}\nexport {};\n`);
      return file;
    });
    writeFileSync(
      join(folder, 'tsconfig.json'),
      JSON.stringify({
        extends: '../tsconfig.json',
        // Examples show unused parameters (`(req, res) => ...`) and values; @types/koa 3.0 does
        // not pass skipLibCheck off (the pack test checks our own declarations with it off).
        compilerOptions: { noUnusedLocals: false, noUnusedParameters: false, skipLibCheck: true },
        include: [],
        files: ['../test/readme/prelude.d.ts', ...files],
      }),
    );
    try {
      execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', folder], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      // readme-line-N.mts(3,5) is README.md line N + 3 - 1.
      const report = String((err as { stdout?: string }).stdout).replace(/readme-line-(\d+)\.mts\((\d+),(\d+)\)/g, (_m, start: string, row: string, col: string) => `README.md:${Number(start) + Number(row)}:${col}`);
      throw new Error(`README examples that do not compile:\n${report}`);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}, 120_000);
