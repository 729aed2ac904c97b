// Issue 21 item 5: xlinkValidate() built per request keeps memory flat (compiled checks cached by
// schema identity and content, bounded; ajv keeps no schema), and defining codes one at a time
// with validateXlinkEnvelope between them compiles nothing again (it was quadratic). Each runs in
// a child process of its own (--expose-gc; the registry of defined codes is process-wide).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..');

function run(script: string, args: string[] = [], flags: string[] = []): Record<string, number> {
  const out = execFileSync(process.execPath, [...flags, '--import', 'tsx', join(__dirname, 'fixtures', 'validate', script), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.json') },
  });
  return JSON.parse(out) as Record<string, number>;
}

test('building xlinkValidate() 20,000 times with the same inline schema keeps the heap flat; differing schemas are let go', () => {
  const { sameGrowth, kept } = run('memory.mts', [], ['--expose-gc']);
  expect(sameGrowth).toBeLessThan(2 * 1024 * 1024); // it was 110 MB
  expect(kept).toBe(0); // the first 100 of 1,500 schemas: nothing holds them any more
}, 120_000);

test('defining 2,000 codes one at a time with validateXlinkEnvelope between them compiles the envelope once per format', () => {
  expect(run('define-scale.ts', ['2000'])).toEqual({ checked: 2000, compiles: 2 });
}, 120_000);
