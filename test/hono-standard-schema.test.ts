/**
 * Hono's `xlinkValidator` with Standard Schemas (zod 4, valibot 1, arktype 2), over a real
 * socket: 4001002 for a missing or null required value, 4001001 for any other issue, the
 * schema's output (coercions, transforms, defaults) in `c.req.valid(...)`, async refinements,
 * and no submitted value in `err.validation` or in what `onError` hears.
 */
import { type } from 'arktype';
import { Hono } from 'hono';
import * as v from 'valibot';
import { z } from 'zod';
import { xlinkErrorHandler, xlinkNotFound, xlinkValidator, type XlinkError } from 'xlink-errors/hono';
import { fetchWire, serveFetch, type Served } from './web-serve';

const PASSWORD = 'secret-pw-hunter2';

/** One login schema per library: corp_id and email strings (email trimmed and lower-cased), a password of 6 or more. */
const logins = {
  zod: z.object({ corp_id: z.string(), email: z.string().transform((e) => e.trim().toLowerCase()), password: z.string().min(6) }),
  valibot: v.object({ corp_id: v.string(), email: v.pipe(v.string(), v.transform((e) => e.trim().toLowerCase())), password: v.pipe(v.string(), v.minLength(6)) }),
  arktype: type({ corp_id: 'string', email: type('string').pipe((e) => e.trim().toLowerCase()), password: 'string >= 6' }),
} as const;

type Library = keyof typeof logins;
const libraries = Object.keys(logins) as Library[];

const heard: XlinkError[] = [];
const servers: Partial<Record<Library, Served>> = {};

function appFor(library: Library): Hono {
  const app = new Hono();
  app.use(xlinkErrorHandler({ onError: (_err, xlinkErr) => void heard.push(xlinkErr) }));
  app.notFound(xlinkNotFound());
  // Hono's handler types come from each library's output type; the route echoes what it sees.
  if (library === 'zod') app.post('/v2/user_auth', xlinkValidator('json', logins.zod), (c) => c.json(c.req.valid('json')));
  if (library === 'valibot') app.post('/v2/user_auth', xlinkValidator('json', logins.valibot), (c) => c.json(c.req.valid('json')));
  if (library === 'arktype') app.post('/v2/user_auth', xlinkValidator('json', logins.arktype), (c) => c.json(c.req.valid('json')));
  app.get(
    '/v2/devices',
    xlinkValidator('query', z.object({ limit: z.coerce.number().int().min(1).default(20), name: z.string().optional() })),
    (c) => c.json(c.req.valid('query')),
  );
  app.post(
    '/v2/share',
    xlinkValidator('json', z.object({ invite_code: z.string().refine(async (code) => code !== 'taken', 'invite code taken') })),
    (c) => c.json(c.req.valid('json')),
  );
  return app;
}

beforeAll(async () => {
  for (const library of libraries) servers[library] = await serveFetch(appFor(library).fetch);
});

afterAll(async () => {
  for (const served of Object.values(servers)) await served.close();
});

beforeEach(() => {
  heard.length = 0;
});

const post = (library: Library, path: string, body: unknown) =>
  // Xlink clients label JSON as a form, or send no type at all: the body is read as JSON anyway.
  fetchWire(servers[library]!, path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

describe.each(libraries)('%s', (library) => {
  test('the schema output reaches c.req.valid: the email transformed', async () => {
    const res = await post(library, '/v2/user_auth', { corp_id: 'c1', email: '  Demo@Example.COM ', password: PASSWORD });
    expect([res.status, JSON.parse(res.body)]).toEqual([200, { corp_id: 'c1', email: 'demo@example.com', password: PASSWORD }]);
  });

  test.each([
    ['a missing required field', 4001002, { corp_id: 'c1', email: 'a@b.c' }],
    ['a required field that is null', 4001002, { corp_id: 'c1', email: 'a@b.c', password: null }],
    ['no body at all', 4001002, undefined],
    ['a wrong type', 4001001, { corp_id: 7, email: 'a@b.c', password: PASSWORD }],
    ['a password too short', 4001001, { corp_id: 'c1', email: 'a@b.c', password: 'hunt' }],
  ])('%s: 400 %d', async (_title, code, body) => {
    const res = await post(library, '/v2/user_auth', body);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(res.body).error.code).toBe(code);
  });

  test('no submitted value in err.validation or in what onError hears', async () => {
    const short = 'hunt9';
    await post(library, '/v2/user_auth', { corp_id: 'c1', email: 'a@b.c', password: short });
    expect(heard).toHaveLength(1);
    const validation = (heard[0] as XlinkError & { validation?: { part: string; errors: { path: unknown; message: string }[] } }).validation;
    expect(validation?.part).toBe('body');
    expect(validation?.errors[0]?.path).toEqual(['password']);
    expect(JSON.stringify(validation)).not.toContain(short);
  });
});

test('query: coerced and defaulted by the schema (zod)', async () => {
  expect(JSON.parse((await fetchWire(servers.zod!, '/v2/devices?limit=5')).body)).toEqual({ limit: 5 });
  expect(JSON.parse((await fetchWire(servers.zod!, '/v2/devices')).body)).toEqual({ limit: 20 });
  const bad = await fetchWire(servers.zod!, '/v2/devices?limit=abc');
  expect([bad.status, JSON.parse(bad.body).error.code]).toEqual([400, 4001001]);
});

test('an async refinement is awaited (zod)', async () => {
  expect((await post('zod', '/v2/share', { invite_code: 'free' })).status).toBe(200);
  const taken = await post('zod', '/v2/share', { invite_code: 'taken' });
  expect([taken.status, JSON.parse(taken.body)]).toEqual([400, { error: { code: 4001001, msg: 'Requested variable verification failed' } }]);
});

test('a malformed Standard Schema is a TypeError that names xlinkValidator', () => {
  expect(() => xlinkValidator('json', { '~standard': { version: 2 } } as never)).toThrow(/xlinkValidator: the body schema has a "~standard" property but is not a Standard Schema v1/);
});
