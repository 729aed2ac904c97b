import type * as AjvModule from 'ajv';
import type * as AjvFormatsModule from 'ajv-formats';
import type * as HttpErrorsModule from 'http-errors';

/*
 * The dependencies the package loads on first use, never at import: ajv and ajv-formats (most
 * of what importing the package would otherwise cost, about 30 ms of CPU, for validation only),
 * http-errors (a few ms, for the prototype of the first error made) and node:http (a few ms, for
 * the reason phrase of the first response; a server has it loaded already). Loading is synchronous:
 * `xlinkValidate()` compiles its schemas, and throws for a bad one, when it is called.
 *
 * This source is the CommonJS form: plain `require` calls, which bundlers follow. tsc compiles it
 * into both builds, but an ES module has no `require`, so scripts/build.mjs replaces
 * dist/esm/core/lazy.js with the ES module form of these functions: the same plain `require`
 * calls where one exists (a bundler's), else `createRequire(import.meta.url)` (Node: the same
 * resolution, and the same module instances, as the CommonJS build). Keep the exported names in
 * step with that script, which checks them.
 */

/** ajv's module: `Ajv`, `ErrorObject`... */
export function requireAjv(): typeof AjvModule {
  return require('ajv') as typeof AjvModule;
}

/** ajv-formats' `addFormats` (CommonJS with `exports.default`). */
export function requireAddFormats(): (ajv: AjvModule.Ajv) => AjvModule.Ajv {
  const formats = require('ajv-formats') as typeof AjvFormatsModule & { default?: unknown };
  return (formats.default ?? formats) as (ajv: AjvModule.Ajv) => AjvModule.Ajv;
}

/** http-errors' `createError`, with `HttpError`. */
export function requireHttpErrors(): typeof HttpErrorsModule {
  return require('http-errors') as typeof HttpErrorsModule;
}

/** node:http's `STATUS_CODES` (`403` -> `'Forbidden'`). */
export function requireStatusCodes(): Readonly<Record<number, string | undefined>> {
  return (require('node:http') as typeof import('node:http')).STATUS_CODES;
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
