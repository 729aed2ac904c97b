/*
 * Imported, for its effect, by the Node-only paths (node-response.ts, the Fastify adapter): in the
 * ES module build, scripts/build.mjs replaces this module with one that hands Node's
 * `createRequire(import.meta.url)` to src/core/runtime.ts, for Node 20 before 20.16, which has no
 * `process.getBuiltinModule` (the web path never imports it, so it imports no `node:` built-in).
 * The CommonJS form has `require`, and nothing to do.
 */
export {};
