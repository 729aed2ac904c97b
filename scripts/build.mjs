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

// Node 20 before 20.16 has no process.getBuiltinModule: there the ES module build's portable
// loader (below) gets Node's createRequire from this module, which only the Node paths import.
writeFileSync(
  'dist/esm/core/node-require.js',
  `// The ES module form of src/core/node-require.ts, written by scripts/build.mjs.
import { createRequire } from 'node:module';
import { provideRequire } from './runtime.js';
provideRequire(createRequire(import.meta.url));
`,
);

// The portable loaders (src/core/runtime.ts) in their ES module form: no `node:` import, so that
// the web and Hono entries load unbundled on Bun, Deno and workerd. A bundler's `require` where
// there is one (so it still bundles these); else Node's createRequire, reached through
// process.getBuiltinModule (Node 20.16+, Bun, Deno) or handed over by node-require.js (older
// Node 20); else nothing (workerd): `undefined`.
const runtime = 'dist/esm/core/runtime.js';
const runtimeExports = [...readFileSync(runtime, 'utf8').matchAll(/^export function (\w+)/gm)].map((m) => m[1]).sort().join();
if (runtimeExports !== 'loadAjv,loadAjvFormats,loadHttpErrors,loadNodeUtil,provideRequire,requireOptional') throw new Error(`build: ${runtime} exports ${runtimeExports}; update its ES module form in scripts/build.mjs`);
writeFileSync(
  runtime,
  `// The ES module form of src/core/runtime.ts, written by scripts/build.mjs.
let provided;
let nodeRequire;
export function provideRequire(load) {
    provided ??= load;
}
function load(id) {
    nodeRequire ??= (() => {
        const nodeModule = globalThis.process?.getBuiltinModule?.('node:module');
        return typeof nodeModule?.createRequire === 'function' ? nodeModule.createRequire(import.meta.url) : null;
    })();
    const found = nodeRequire ?? provided;
    return found === undefined ? undefined : found(id);
}
function attempt(fn) {
    try {
        return fn();
    }
    catch {
        return undefined;
    }
}
export function loadHttpErrors() {
    return attempt(() => (typeof require === 'function' ? require('http-errors') : load('http-errors')));
}
export function loadAjv() {
    return attempt(() => (typeof require === 'function' ? require('ajv') : load('ajv')));
}
export function loadAjvFormats() {
    return attempt(() => (typeof require === 'function' ? require('ajv-formats') : load('ajv-formats')));
}
export function loadNodeUtil() {
    return attempt(() => (typeof require === 'function' ? require('node:util') : load('node:util')));
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
