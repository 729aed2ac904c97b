/*
 * Standard Schema v1 (https://standardschema.dev): the one interface zod (3.24+, 4), valibot 1
 * and arktype 2 all implement. It is declared here as a type, so that no schema library (nor
 * @standard-schema/spec) becomes a dependency; test/types/standard-schema.ts checks that it
 * matches the spec's own declaration both ways.
 */

/**
 * A Standard Schema v1: any object with a `~standard` property whose `validate(value)` returns
 * `{ value }` or `{ issues }`, or a promise of one.
 *
 * @example
 * import { z } from 'zod';
 * const schema: StandardSchemaV1<unknown, { limit: number }> = z.object({ limit: z.coerce.number() });
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': StandardSchemaV1.Props<Input, Output>;
}

// A namespace of types only, as the spec declares it: `StandardSchemaV1.InferOutput<S>` reads the same.
export declare namespace StandardSchemaV1 {
  /** The `~standard` property. */
  interface Props<Input = unknown, Output = Input> {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown, options?: Options | undefined) => Result<Output> | Promise<Result<Output>>;
    readonly types?: Types<Input, Output> | undefined;
  }
  /** What `validate` returns. */
  type Result<Output> = SuccessResult<Output> | FailureResult;
  interface SuccessResult<Output> {
    readonly value: Output;
    readonly issues?: undefined;
  }
  interface FailureResult {
    readonly issues: ReadonlyArray<Issue>;
  }
  interface Options {
    readonly libraryOptions?: Record<string, unknown> | undefined;
  }
  /** One problem: a message, and where in the input it is. */
  interface Issue {
    readonly message: string;
    readonly path?: ReadonlyArray<PropertyKey | PathSegment> | undefined;
  }
  interface PathSegment {
    readonly key: PropertyKey;
  }
  interface Types<Input = unknown, Output = Input> {
    readonly input: Input;
    readonly output: Output;
  }
  /** The type a schema accepts. */
  type InferInput<Schema extends StandardSchemaV1> = NonNullable<Schema['~standard']['types']>['input'];
  /** The type a schema returns (after its coercions, transforms and defaults). */
  type InferOutput<Schema extends StandardSchemaV1> = NonNullable<Schema['~standard']['types']>['output'];
}

/**
 * Whether a value is a Standard Schema v1: an object or function with a `~standard` property
 * whose `version` is 1 and whose `validate` is a function (arktype's types are functions).
 */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  const props = (value as { '~standard'?: unknown })['~standard'];
  return props !== null && typeof props === 'object' && (props as { version?: unknown }).version === 1 && typeof (props as { validate?: unknown }).validate === 'function';
}

/** Whether `value` carries a `~standard` property at all (then anything but a valid one is a mistake). */
export function looksStandard(value: unknown): boolean {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && '~standard' in (value as object);
}

/** A path segment as it is logged: a property name or an array index. */
export type XlinkIssuePathSegment = string | number;

/** The keys of an issue's path, without the values some libraries put in it (valibot's `input`, `value`). */
export function issuePath(issue: StandardSchemaV1.Issue): XlinkIssuePathSegment[] {
  const path = (issue as { path?: unknown }).path;
  if (!Array.isArray(path)) return [];
  // Array.from, not map: arktype's path is an Array subclass, and map would make another one.
  return Array.from(path as unknown[], (segment) => {
    const key = segment !== null && typeof segment === 'object' ? (segment as { key?: unknown }).key : segment;
    return typeof key === 'number' || typeof key === 'string' ? key : String(key);
  });
}

/** The value at a path of keys in the input; `undefined` where there is none. */
export function valueAtPath(data: unknown, path: readonly XlinkIssuePathSegment[]): unknown {
  let value = data;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

/**
 * Whether an issue is about a missing or null value: the input at its path is absent or `null`
 * (or an ancestor is). A property "missing" from an array or a string (valibot reports the keys
 * of an object schema missing from an array given in its place) is the wrong type instead.
 */
export function isMissingAt(data: unknown, path: readonly XlinkIssuePathSegment[]): boolean {
  let value = data;
  for (const key of path) {
    if (value === null || value === undefined) return true;
    if (typeof value !== 'object') return false;
    if (Array.isArray(value) && !(typeof key === 'number' || /^(?:0|[1-9][0-9]*)$/.test(key))) return false;
    if (!Object.prototype.hasOwnProperty.call(value, key)) return true;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value === null || value === undefined;
}

/*
 * Library messages that quote the submitted value, which must not reach logs:
 * valibot's `... but received "hunter2"` / `... but received 3` and `Invalid email: Received "..."`,
 * arktype's `... (was "hunter2")` / `(was 3)`. What they quote goes, with its lead-in.
 */
const QUOTING = [/\s*\(was\s[\s\S]*$/, /,?\s+but received\s[\s\S]*$/, /:\s*Received\s[\s\S]*$/];

/**
 * An issue's message without the input: the quoting phrases above go, and so does the submitted
 * string itself wherever the message repeats it (a custom message such as `${value} is taken`).
 */
export function safeMessage(message: unknown, input: unknown): string {
  let text = typeof message === 'string' && message !== '' ? message : 'is invalid';
  for (const pattern of QUOTING) text = text.replace(pattern, '');
  if (typeof input === 'string' && input.length >= 3) text = text.split(input).join('…');
  return text === '' ? 'is invalid' : text;
}
