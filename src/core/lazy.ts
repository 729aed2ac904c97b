import type * as AjvModule from 'ajv';
import { loadAjv, loadAjvFormats } from './runtime.js';

/*
 * ajv and ajv-formats, loaded on first use, never at import: most of what importing the package
 * would otherwise cost, about 30 ms of CPU, for validation only. Loading is synchronous:
 * `xlinkValidate()` compiles its schemas, and throws for a bad one, when it is called. They are
 * loaded through src/core/runtime.ts, which imports no `node:` built-in, so that Hono's
 * validator loads on Bun and Deno as on Node.
 */

function loaded<T>(module: T | undefined, id: string): T {
  if (module === undefined) throw new Error(`xlink-errors: ${id} cannot be loaded on this runtime (JSON Schema validation needs one that loads CommonJS packages: Node, Bun, Deno)`);
  return module;
}

/** ajv's module: `Ajv`, `ErrorObject`... */
export function requireAjv(): typeof AjvModule {
  return loaded(loadAjv(), 'ajv');
}

/** ajv-formats' `addFormats` (CommonJS with `exports.default`). */
export function requireAddFormats(): (ajv: AjvModule.Ajv) => AjvModule.Ajv {
  const formats = loaded(loadAjvFormats(), 'ajv-formats');
  return (formats.default ?? formats) as (ajv: AjvModule.Ajv) => AjvModule.Ajv;
}
