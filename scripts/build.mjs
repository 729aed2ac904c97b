// Builds dist/cjs (CommonJS) and dist/esm (ES modules), each with its declarations, and marks
// each folder with its module type so Node and TypeScript read both right.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

const tsc = (project) => execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project], { stdio: 'inherit' });

rmSync('dist', { recursive: true, force: true });
tsc('tsconfig.build.json');
tsc('tsconfig.esm.json');
writeFileSync('dist/cjs/package.json', '{ "type": "commonjs" }\n');
writeFileSync('dist/esm/package.json', '{ "type": "module" }\n');

// An ES module has no `require`: the ESM build loads its lazy dependencies, synchronously,
// through createRequire (see src/core/lazy.ts, whose compiled form this replaces in dist/esm only).
// Where a bundler provides `require`, its plain require() calls are kept, so the bundler still
// bundles ajv and http-errors.
const lazy = 'dist/esm/core/lazy.js';
const exported = [...readFileSync(lazy, 'utf8').matchAll(/^export function (\w+)/gm)].map((m) => m[1]).sort().join();
if (exported !== 'requireAddFormats,requireAjv,requireHttpErrors,requireOptional,requireStatusCodes') throw new Error(`build: ${lazy} exports ${exported}; update its ES module form in scripts/build.mjs`);
writeFileSync(
  lazy,
  `// The ES module form of src/core/lazy.ts, written by scripts/build.mjs.
import { createRequire } from 'node:module';
let nodeRequire;
const load = (id) => (nodeRequire ??= createRequire(import.meta.url))(id);
export function requireAjv() {
    return typeof require === 'function' ? require('ajv') : load('ajv');
}
export function requireAddFormats() {
    const formats = typeof require === 'function' ? require('ajv-formats') : load('ajv-formats');
    return formats.default ?? formats;
}
export function requireHttpErrors() {
    return typeof require === 'function' ? require('http-errors') : load('http-errors');
}
export function requireStatusCodes() {
    return (typeof require === 'function' ? require('node:http') : load('node:http')).STATUS_CODES;
}
export function requireOptional(id) {
    try {
        return typeof require === 'function' ? require(id) : load(id);
    } catch (err) {
        if (err.code === 'MODULE_NOT_FOUND' && String(err.message).includes("'" + id + "'")) return undefined;
        throw err;
    }
}
`,
);

// One XlinkErrorRegister for both builds (see src/core/register.ts): the ESM declarations
// re-export the CommonJS one, so a user's augmentation types ESM and CommonJS imports alike.
writeFileSync('dist/esm/core/register.d.ts', "export type { XlinkErrorRegister } from '../../cjs/core/register.js';\n");
