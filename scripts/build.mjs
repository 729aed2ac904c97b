// Builds dist/cjs (CommonJS) and dist/esm (ES modules), each with its declarations, and marks
// each folder with its module type so Node and TypeScript read both right.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';

const tsc = (project) => execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project], { stdio: 'inherit' });

rmSync('dist', { recursive: true, force: true });
tsc('tsconfig.build.json');
tsc('tsconfig.esm.json');
writeFileSync('dist/cjs/package.json', '{ "type": "commonjs" }\n');
writeFileSync('dist/esm/package.json', '{ "type": "module" }\n');
// One XlinkErrorRegister for both builds (see src/core/register.ts): the ESM declarations
// re-export the CommonJS one, so a user's augmentation types ESM and CommonJS imports alike.
writeFileSync('dist/esm/core/register.d.ts', "export type { XlinkErrorRegister } from '../../cjs/core/register.js';\n");
