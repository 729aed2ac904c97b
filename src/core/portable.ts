import { loadNodeUtil } from './runtime.js';

/*
 * Small things the core does the same on every runtime: a value described for a log line, the
 * UTF-8 bytes of a string. Node's own tools are used where they exist (the same output as before
 * on Node), plain web-standard code elsewhere.
 */

type Inspect = (value: unknown, options: object) => string;
let inspect: Inspect | null | undefined;

/** A one-line description of any value for a log message, `inspect`'s on Node; never throws. */
export function inspectValue(value: unknown): string {
  try {
    inspect ??= (loadNodeUtil()?.inspect as Inspect | undefined) ?? null;
    if (inspect !== null) return inspect(value, { depth: 1, breakLength: Infinity, maxStringLength: 200, maxArrayLength: 10 });
    if (typeof value === 'string') return `'${value.length > 200 ? `${value.slice(0, 200)}...` : value}'`;
    if (typeof value === 'object' && value !== null) return Object.prototype.toString.call(value);
    return String(value);
  } catch {
    return typeof value;
  }
}

const encoder = new TextEncoder();

/** The UTF-8 bytes of a string: a `Buffer` where there is one (Node's adapters write it as is). */
export function utf8(text: string): Uint8Array {
  return typeof Buffer === 'function' ? Buffer.from(text) : encoder.encode(text);
}

/** Each byte as one char (`latin1`), for Node's `res.end(text, 'latin1')`. */
export function latin1(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 4096) text += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return text;
}

/**
 * `process.env.NODE_ENV` where there is one: `undefined` on workerd (no `process`) and under Deno
 * without `--allow-env` (reading it throws there).
 */
export function nodeEnv(): string | undefined {
  try {
    return globalThis.process?.env?.NODE_ENV;
  } catch {
    return undefined;
  }
}
