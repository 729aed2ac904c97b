import type { XlinkErrorKey } from './catalog.js';
import type { XlinkError, XlinkErrorOptions } from './error.js';

/*
 * Where xlink-errors/client finds `xlinkError()`. Its `relayXlinkError` makes the server's
 * `XlinkError`s, yet its path must load no Node built-in, while error.ts may load http-errors
 * (and, in the ESM build, node:module). So error.ts publishes its factory here when it loads, and
 * the client reads it: a server that calls `relayXlinkError` from a handler's `map` has loaded
 * it. On `globalThis`, under a key every copy of the package computes alike, like the registry
 * of defined codes (catalog.ts), so ESM and CommonJS copies find each other's.
 */
const FACTORY_KEY = Symbol.for('xlink-errors.xlinkError.v1');

/** How the client makes an XlinkError. */
export type XlinkErrorFactory = (key: XlinkErrorKey, options?: XlinkErrorOptions) => XlinkError;

/** Publishes error.ts's factory (the first copy loaded keeps its place; any copy's errors are alike). */
export function publishXlinkErrorFactory(factory: XlinkErrorFactory): void {
  const holder = globalThis as { [FACTORY_KEY]?: unknown };
  if (typeof holder[FACTORY_KEY] !== 'function') Object.defineProperty(globalThis, FACTORY_KEY, { value: factory, configurable: true });
}

/** The published factory, or `undefined` when no server side of the package is loaded. */
export function publishedXlinkErrorFactory(): XlinkErrorFactory | undefined {
  const found = (globalThis as { [FACTORY_KEY]?: unknown })[FACTORY_KEY];
  return typeof found === 'function' ? (found as XlinkErrorFactory) : undefined;
}
