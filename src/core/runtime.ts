/*
 * The CommonJS dependencies the core loads on first use, found without importing a `node:`
 * built-in, so that the web and Hono entries run unbundled on Bun, Deno and workerd as well as
 * on Node. Each loader returns the module, or `undefined` where the runtime cannot load one
 * synchronously (workerd), and never throws:
 *
 * - http-errors, so that an `XlinkError` is an `HttpError` wherever http-errors can be loaded;
 * - ajv and ajv-formats, for JSON Schema validation (src/core/lazy.ts);
 * - node:util, whose `inspect` describes a thrown non-error in the log (src/core/portable.ts).
 *
 * This source is the CommonJS form: plain `require` calls with literal names, which bundlers
 * follow. An ES module has no `require`, so scripts/build.mjs replaces dist/esm/core/runtime.js
 * with the ES module form of these functions: the same plain calls where a bundler provides
 * `require`, else Node's `createRequire`, reached through `process.getBuiltinModule` (Node 20.16+,
 * Bun, Deno) or handed over by src/core/node-require.ts (older Node 20); else `undefined`. Keep
 * the exported names in step with that script, which checks them.
 */

/** Where the ES module form gets Node's `require` on Node 20 before 20.16 (a no-op here). */
export function provideRequire(load: (id: string) => unknown): void {
  void load;
}

function attempt<T>(load: () => unknown): T | undefined {
  try {
    return load() as T;
  } catch {
    return undefined;
  }
}

/** http-errors' `createError`, with `HttpError`. */
export function loadHttpErrors(): typeof import('http-errors') | undefined {
  return attempt(() => require('http-errors'));
}

/** ajv's module. */
export function loadAjv(): typeof import('ajv') | undefined {
  return attempt(() => require('ajv'));
}

/** ajv-formats' module (CommonJS with `exports.default`). */
export function loadAjvFormats(): (typeof import('ajv-formats') & { default?: unknown }) | undefined {
  return attempt(() => require('ajv-formats'));
}

/** node:util. */
export function loadNodeUtil(): typeof import('node:util') | undefined {
  return attempt(() => require('node:util'));
}

/**
 * An optional peer dependency, loaded when the feature that needs it is used (`@nestjs/swagger`
 * for `ApiXlinkErrorResponses`, Nest's microservices and websockets packages for their
 * contexts); `undefined` when it is not installed.
 */
export function requireOptional(id: string): unknown {
  try {
    return require(id) as unknown;
  } catch (err) {
    // That package missing, not one of its own dependencies (which is a broken install: thrown).
    if ((err as { code?: unknown }).code === 'MODULE_NOT_FOUND' && String((err as Error).message).includes(`'${id}'`)) return undefined;
    throw err;
  }
}
