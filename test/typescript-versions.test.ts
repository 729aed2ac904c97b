/**
 * The supported TypeScript versions (package.json `peerDependencies.typescript`): the type tests
 * (test/types, with the sources) compile under each. `npm run typecheck` is the pinned 6.0; the
 * strict consumer of the packed declarations is compiled by each in test/pack.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..');

/** The compilers installed side by side: typescript59 and typescript7 are npm aliases. */
const TYPESCRIPTS = [
  ['5.9', 'typescript59'],
  ['7.0', 'typescript7'],
] as const;

test.each(TYPESCRIPTS)('the type tests compile under TypeScript %s', (version, folder) => {
  const tsc = join(root, 'node_modules', folder, 'bin', 'tsc');
  expect(execFileSync(process.execPath, [tsc, '--version'], { encoding: 'utf8' })).toContain(`Version ${version}`);
  let output = '';
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.types.json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    output = `${(err as { stdout?: string }).stdout ?? ''}${(err as { stderr?: string }).stderr ?? ''}`;
  }
  expect(output).toBe('');
}, 60_000);
