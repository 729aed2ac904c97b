/**
 * The routes to probe: from a route list (`'GET /v2/device/{id}'`, Express's `:id` too) and/or
 * an OpenAPI 3.0 or 3.1 document (its paths, path parameters and JSON request bodies).
 */
import { typeName } from '../core/headers.js';

/** A JSON Schema as far as the probes read it. */
export interface ProbeSchema {
  readonly type?: unknown;
  readonly properties?: { readonly [name: string]: ProbeSchema };
  readonly example?: unknown;
  readonly enum?: readonly unknown[];
  readonly $ref?: string;
}

/** A route to probe. */
export interface ContractRoute {
  /** `'GET /v2/device/{id}'`: how reports name it. */
  readonly label: string;
  readonly method: string;
  /** The path template, parameters as `{name}`. */
  readonly path: string;
  /** A valid-looking value for each path parameter (the document's example, else `1`). */
  readonly params: Readonly<Record<string, string>>;
  /** The JSON request body's schema, when the document gives one. */
  readonly body?: ProbeSchema;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Whether probes send a body to a route of this method. */
export function takesBody(method: string): boolean {
  return BODY_METHODS.has(method);
}

/** Parses `'GET /v2/device/{id}'` (or `:id`). */
export function parseRoute(text: unknown, caller: string): ContractRoute {
  if (typeof text !== 'string') throw new TypeError(`${caller}: a route must be a string such as "GET /v2/device/{id}", got ${typeName(text)}`);
  const match = /^\s*([A-Za-z]+)\s+(\/\S*)\s*$/.exec(text);
  const method = match?.[1]?.toUpperCase();
  if (match === null || method === undefined || !METHODS.includes(method)) {
    throw new TypeError(`${caller}: a route must be a method and a path, such as "GET /v2/device/{id}"; got ${JSON.stringify(text)}`);
  }
  const path = match[2]!.replace(/:([A-Za-z_$][\w$]*)/g, '{$1}');
  return route(method, path, {});
}

/** A path as a request target: characters that may not appear there (spaces, CR, LF, non-ASCII) percent-encoded. */
function requestTarget(path: string): string {
  return path.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c));
}

function route(method: string, rawPath: string, params: Record<string, string>, body?: ProbeSchema): ContractRoute {
  const path = requestTarget(rawPath);
  const all: Record<string, string> = {};
  for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) all[name!] = params[name!] ?? '1';
  return { label: `${method} ${path}`, method, path, params: all, ...(body === undefined ? {} : { body }) };
}

/** The routes of an OpenAPI 3.0 or 3.1 document (an object, already parsed). */
export function routesOfOpenApi(doc: unknown, caller: string): ContractRoute[] {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new TypeError(`${caller}: openapi must be an OpenAPI 3.0 or 3.1 document (an object), got ${typeName(doc)}`);
  const { openapi, paths } = doc as { openapi?: unknown; paths?: unknown };
  if (typeof openapi !== 'string' || !/^3\.[01]\./.test(openapi)) {
    throw new TypeError(`${caller}: openapi must be an OpenAPI 3.0 or 3.1 document; its "openapi" field is ${JSON.stringify(openapi)}`);
  }
  if (paths === undefined) return [];
  if (paths === null || typeof paths !== 'object') throw new TypeError(`${caller}: the OpenAPI document's "paths" must be an object, got ${typeName(paths)}`);
  const resolve = (value: unknown, depth = 0): unknown => {
    const ref = (value as { $ref?: unknown } | null)?.$ref;
    if (typeof ref !== 'string' || depth > 16) return value;
    if (!ref.startsWith('#/')) return undefined; // another document's: not followed
    let at: unknown = doc;
    for (const part of ref.slice(2).split('/')) at = (at as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    return resolve(at, depth + 1);
  };
  const routes: ContractRoute[] = [];
  for (const [path, item] of Object.entries(paths as Record<string, unknown>)) {
    if (!path.startsWith('/') || item === null || typeof item !== 'object') continue;
    const shared = (item as { parameters?: unknown }).parameters;
    for (const [key, operation] of Object.entries(item as Record<string, unknown>)) {
      const method = key.toUpperCase();
      if (!METHODS.includes(method) || operation === null || typeof operation !== 'object') continue;
      const params: Record<string, string> = {};
      const own = (operation as { parameters?: unknown }).parameters;
      for (const raw of [...(Array.isArray(shared) ? shared : []), ...(Array.isArray(own) ? own : [])]) {
        const p = resolve(raw) as { in?: unknown; name?: unknown; example?: unknown; schema?: unknown } | undefined;
        if (p?.in !== 'path' || typeof p.name !== 'string') continue;
        const example = p.example ?? exampleOf(resolve(p.schema) as ProbeSchema | undefined);
        if (example !== undefined && example !== null && typeof example !== 'object') params[p.name] = String(example);
      }
      const content = (resolve((operation as { requestBody?: unknown }).requestBody) as { content?: Record<string, { schema?: unknown }> } | undefined)?.content;
      const media = content === undefined ? undefined : (content['application/json'] ?? Object.entries(content).find(([type]) => /json/i.test(type))?.[1]);
      const body = deref(media?.schema, resolve);
      routes.push(route(method, path, params, body));
    }
  }
  return routes;
}

/** A body schema with its `$ref`s (its own and its properties') resolved, as far as probes read it. */
function deref(schema: unknown, resolve: (value: unknown) => unknown): ProbeSchema | undefined {
  const resolved = resolve(schema) as ProbeSchema | undefined;
  if (resolved === null || typeof resolved !== 'object') return undefined;
  if (resolved.properties === undefined || typeof resolved.properties !== 'object') return resolved;
  const properties: Record<string, ProbeSchema> = {};
  for (const [name, value] of Object.entries(resolved.properties)) properties[name] = (resolve(value) as ProbeSchema | undefined) ?? {};
  return { ...resolved, properties };
}

function exampleOf(schema: ProbeSchema | undefined): unknown {
  if (schema === undefined || schema === null || typeof schema !== 'object') return undefined;
  return schema.example ?? schema.enum?.[0];
}

/** Both sources together, each route once (the first seen wins). */
export function collectRoutes(openapi: unknown, list: unknown, caller: string): ContractRoute[] {
  const routes = openapi === undefined ? [] : routesOfOpenApi(openapi, caller);
  if (list !== undefined) {
    if (!Array.isArray(list)) throw new TypeError(`${caller}: routes must be an array of strings such as "GET /v2/device/{id}", got ${typeName(list)}`);
    routes.push(...list.map((r) => parseRoute(r, caller)));
  }
  const seen = new Set<string>();
  return routes.filter((r) => !seen.has(r.label) && Boolean(seen.add(r.label)));
}
