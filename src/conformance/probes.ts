/**
 * The probes, as data: each a name, what it sends, and to which routes it applies. Per route:
 * bad `Access-Token`s, bad bodies, wrong path parameters, `Accept-Language: zh-CN`, HEAD, an
 * unlisted method; once per target: unknown paths, malformed percent-encoding, an 8 kB URL.
 */
import { takesBody, type ContractRoute, type ProbeSchema } from './routes.js';

/** One request a probe sends (the target path is relative to the base URL's path). */
export interface ProbeRequest {
  readonly method: string;
  /** The path and query, exactly as sent. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  /** What the body is, for reports (`2 MiB of JSON`, `{"a":`): never the whole body. */
  readonly sent?: string;
  /** The body waits for `100 Continue` (see `WireRequest`). */
  readonly expectContinue?: boolean;
}

/** A probe: a name, what it is for, and the request it makes (or `undefined` where it does not apply). */
export interface Probe<Scope extends ContractRoute | undefined = ContractRoute> {
  readonly name: string;
  readonly description: string;
  build(route: Scope, all: readonly ContractRoute[]): ProbeRequest | undefined;
}

/** The route's path with each parameter replaced, encoded unless `raw`. */
export function fillPath(route: ContractRoute, value?: (name: string) => string): string {
  return route.path.replace(/\{([^}]+)\}/g, (_, name: string) => (value ? value(name) : encodeURIComponent(route.params[name] ?? '1')));
}

const JSON_TYPE = { 'Content-Type': 'application/json' } as const;
/** Over body-parser's 100 kB and Fastify's 1 MiB default limits. */
export const OVERSIZED_BODY_BYTES = 2 * 1024 * 1024;
/** 8 kB of URL: well under Node's 16 kB header limit, so the app (not Node) answers. */
export const LONG_URL_BYTES = 8 * 1024;
const UNKNOWN_PATH = '/xlink-check/no-such-route';

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

/** A request to the route, with no token, optional extra headers and (for body methods) a body. */
function plain(route: ContractRoute, headers: Record<string, string> = {}, body: Buffer | undefined = takesBody(route.method) ? json({}) : undefined, sent?: string): ProbeRequest {
  return {
    method: route.method,
    path: fillPath(route),
    headers: body === undefined ? headers : { ...JSON_TYPE, ...headers },
    ...(body === undefined ? {} : { body, sent: sent ?? body.toString('utf8') }),
  };
}

/** A value of another type than the schema says, for each property (or a few fields of odd types). */
function wrongTypes(schema: ProbeSchema | undefined): Record<string, unknown> {
  const properties = schema?.properties;
  if (properties === undefined || Object.keys(properties).length === 0) return { id: { nested: [] }, name: 12345, enabled: 'yes', list: 'not-a-list' };
  const wrong: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(properties)) {
    const type = Array.isArray(property.type) ? property.type[0] : property.type;
    wrong[name] = type === 'string' ? 12345 : type === 'object' ? 'not-an-object' : type === 'array' ? { not: 'an array' } : type === 'boolean' ? 'yes' : type === 'number' || type === 'integer' ? 'not-a-number' : [{}];
  }
  return wrong;
}

/** The first route of each path: probes about a path rather than a method go there once. */
function firstOfPath(route: ContractRoute, all: readonly ContractRoute[]): boolean {
  return all.find((r) => r.path === route.path) === route;
}

export const ROUTE_PROBES: readonly Probe[] = [
  { name: 'no-access-token', description: 'no Access-Token header', build: (route) => plain(route) },
  { name: 'empty-access-token', description: 'an empty Access-Token', build: (route) => plain(route, { 'Access-Token': '' }) },
  { name: 'garbage-access-token', description: 'an Access-Token that is no token', build: (route) => plain(route, { 'Access-Token': 'xlink-check <not a token> "%00\' ;' }) },
  {
    name: 'malformed-json',
    description: 'a body that is not JSON',
    build: (route) => (takesBody(route.method) ? plain(route, {}, Buffer.from('{"xlink_check": ')) : undefined),
  },
  {
    name: 'json-not-object',
    description: 'a JSON body that is not an object',
    build: (route) => (takesBody(route.method) ? plain(route, {}, json('xlink-check')) : undefined),
  },
  {
    name: 'wrong-types',
    description: 'fields of the wrong types',
    build: (route) => (takesBody(route.method) ? plain(route, {}, json(wrongTypes(route.body))) : undefined),
  },
  {
    name: 'oversized-body',
    description: `a ${OVERSIZED_BODY_BYTES / 1024 / 1024} MiB JSON body`,
    build: (route) => {
      if (!takesBody(route.method)) return undefined;
      const pad = OVERSIZED_BODY_BYTES - '{"pad":""}'.length;
      return { ...plain(route, {}, Buffer.from(`{"pad":"${'x'.repeat(pad)}"}`), `${OVERSIZED_BODY_BYTES} bytes of JSON`), expectContinue: true };
    },
  },
  {
    name: 'wrong-path-params',
    description: 'path parameters of the wrong shape',
    build: (route) => (Object.keys(route.params).length === 0 ? undefined : { ...plain(route), path: fillPath(route, () => '-1.5%20x%3Cy%3E') }),
  },
  { name: 'accept-language-zh', description: 'Accept-Language: zh-CN', build: (route) => plain(route, { 'Accept-Language': 'zh-CN,zh;q=0.9' }) },
  { name: 'head', description: 'HEAD', build: (route, all) => (firstOfPath(route, all) ? { method: 'HEAD', path: fillPath(route), headers: {} } : undefined) },
  {
    name: 'unlisted-method',
    description: 'a method the path does not list',
    build: (route, all) => {
      if (!firstOfPath(route, all)) return undefined;
      const listed = new Set(all.filter((r) => r.path === route.path).map((r) => r.method));
      const method = ['PATCH', 'PUT', 'DELETE', 'POST', 'GET'].find((m) => !listed.has(m));
      return method === undefined ? undefined : plain({ ...route, method });
    },
  },
];

export const GLOBAL_PROBES: readonly Probe<undefined>[] = [
  { name: 'unknown-path', description: 'a path no route has', build: () => ({ method: 'GET', path: UNKNOWN_PATH, headers: {} }) },
  { name: 'unknown-path-head', description: 'HEAD of a path no route has', build: () => ({ method: 'HEAD', path: UNKNOWN_PATH, headers: {} }) },
  {
    name: 'unknown-path-post',
    description: 'a JSON POST to a path no route has',
    build: () => ({ method: 'POST', path: UNKNOWN_PATH, headers: JSON_TYPE, body: json({}), sent: '{}' }),
  },
  {
    name: 'malformed-percent-encoding',
    description: 'malformed percent-encoding in the path',
    build: (_, all) => {
      const withParam = all.find((r) => Object.keys(r.params).length > 0 && r.method === 'GET') ?? all.find((r) => Object.keys(r.params).length > 0);
      return withParam === undefined
        ? { method: 'GET', path: `${UNKNOWN_PATH}/%E0%A4%A`, headers: {} }
        : { ...plain(withParam), path: fillPath(withParam, () => '%E0%A4%A') };
    },
  },
  {
    name: 'long-url',
    description: `a ${LONG_URL_BYTES / 1024} kB URL`,
    build: () => ({ method: 'GET', path: `${UNKNOWN_PATH}/${'a'.repeat(LONG_URL_BYTES - UNKNOWN_PATH.length - 1)}`, headers: {} }),
  },
];

/** The request that asks whether the server still answers. */
export const LIVENESS: ProbeRequest = { method: 'GET', path: UNKNOWN_PATH, headers: {} };
