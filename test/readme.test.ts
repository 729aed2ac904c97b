/**
 * The documentation holds: every ```ts block of README.md and of docs/*.md compiles, strict, as a
 * module of its own against the sources (the names fragments use without declaring them are in
 * test/readme/prelude.d.ts; a block that cannot compile on its own, kept rare, is marked with
 * `<!-- docs: no-compile -->` on the line before it), and every relative link and #anchor
 * resolves. test/docs/fixtures/broken.md, broken on purpose, shows that both checks catch faults.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brokenLinks, tsBlocks } from './docs/markdown';

const root = join(__dirname, '..');
const docsDir = join(root, 'docs');
const fixture = join(__dirname, 'docs', 'fixtures', 'broken.md');
const folder = join(root, '.readme-test'); // inside the repository, so node_modules resolves

const README_LIMIT = 300;

const pages = readdirSync(docsDir).filter((name) => name.endsWith('.md')).sort();
const documents = [join(root, 'README.md'), ...pages.map((name) => join(docsDir, name))];

/** Compiles the ts blocks of the given Markdown files in one tsc run: the errors, per `file:line:col`. */
function compileBlocks(files: readonly string[]): string[] {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder);
  try {
    const sources = new Map<string, string>();
    const names = files.flatMap((file) => {
      const id = relative(root, file).replace(/[^A-Za-z0-9]+/g, '_');
      sources.set(id, relative(root, file));
      return tsBlocks(readFileSync(file, 'utf8')).map(({ line, code }) => {
        const name = `${id}-line-${line}.mts`;
        // `export {}` makes every block a module, so that its names stay its own.
        writeFileSync(join(folder, name), `${code}\nexport {};\n`);
        return name;
      });
    });
    writeFileSync(
      join(folder, 'tsconfig.json'),
      JSON.stringify({
        extends: '../tsconfig.json',
        // Examples show unused parameters (`(req, res) => ...`) and values; @types/koa 3.0 does
        // not pass skipLibCheck off (the pack test checks our own declarations with it off).
        // Decorators as Nest apps compile them (docs/nestjs.md); its names in its own prelude.
        compilerOptions: { noUnusedLocals: false, noUnusedParameters: false, skipLibCheck: true, experimentalDecorators: true, emitDecoratorMetadata: true },
        include: [],
        exclude: [],
        files: ['../test/readme/prelude.d.ts', '../test/nestjs-fixtures/docs-prelude.d.ts', ...names],
      }),
    );
    try {
      execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', folder], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      return [];
    } catch (err) {
      // docs_errors_md-line-N.mts(3,5) is docs/errors.md line N + 3 - 1.
      return String((err as { stdout?: string }).stdout)
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => line.replace(/^.*?([A-Za-z0-9_]+)-line-(\d+)\.mts\((\d+),(\d+)\)/, (_m, id: string, start: string, row: string, col: string) => `${sources.get(id) ?? id}:${Number(start) + Number(row) - 1}:${col}`));
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

describe('TypeScript blocks', () => {
  let errors: string[];
  beforeAll(() => {
    errors = compileBlocks([...documents, fixture]);
  }, 180_000);

  test('README.md and docs/ have TypeScript examples to check', () => {
    expect(tsBlocks(readFileSync(join(root, 'README.md'), 'utf8')).length).toBeGreaterThanOrEqual(4);
    expect(documents.reduce((n, file) => n + tsBlocks(readFileSync(file, 'utf8')).length, 0)).toBeGreaterThan(20);
  });

  test('every block of README.md and docs/*.md compiles, strict', () => {
    const ours = errors.filter((line) => !line.startsWith(relative(root, fixture)));
    if (ours.length > 0) throw new Error(`Examples that do not compile:\n${ours.join('\n')}`);
  });

  test('a block that does not compile is caught, at its line (the broken fixture)', () => {
    const caught = errors.filter((line) => line.startsWith(relative(root, fixture)));
    expect(caught).toEqual([expect.stringMatching(/^test\/docs\/fixtures\/broken\.md:11:7: error TS2322: Type 'string' is not assignable to type 'number'/)]);
  });
});

describe('links', () => {
  test.each(documents.map((file) => [relative(root, file), file]))('every relative link and #anchor of %s resolves', (_name, file) => {
    expect(brokenLinks(file, root)).toEqual([]);
  });

  test('broken links and anchors are caught, and only those (the broken fixture)', () => {
    expect(brokenLinks(fixture, root)).toEqual([
      'test/docs/fixtures/broken.md:24: no-such-page.md (no such file: test/docs/fixtures/no-such-page.md)',
      'test/docs/fixtures/broken.md:25: #no-such-heading (no heading with the anchor #no-such-heading in test/docs/fixtures/broken.md)',
      'test/docs/fixtures/broken.md:26: ../../../README.md#no-such-heading (no heading with the anchor #no-such-heading in README.md)',
    ]);
  });
});

describe('pages', () => {
  test('docs/ has a page per topic, each listed in docs/index.md', () => {
    expect(pages.length).toBeGreaterThanOrEqual(6);
    const index = readFileSync(join(docsDir, 'index.md'), 'utf8');
    for (const page of pages.filter((name) => name !== 'index.md')) expect(index).toContain(`](${page})`);
  });

  test.each(pages)('docs/%s starts with a title, then a paragraph saying what the page is for', (page) => {
    const [title, blank, first] = readFileSync(join(docsDir, page), 'utf8').split('\n');
    expect(title).toMatch(/^# \S/);
    expect(blank).toBe('');
    expect(first).toMatch(/^[A-Z`*[]/); // prose: not a heading, list, table, code or comment
  });

  test(`README.md is a front page: at most ${README_LIMIT} lines`, () => {
    expect(readFileSync(join(root, 'README.md'), 'utf8').split('\n').length).toBeLessThanOrEqual(README_LIMIT);
  });
});
