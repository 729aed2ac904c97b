// Fastify keeps its own JSON Schema validation; a Fastify user who prefers zod (or valibot,
// arktype) checks in a `preHandler` with xlinkCheck, and the plugin answers what it throws.
import Fastify, { type FastifyInstance } from 'fastify';
import * as v from 'valibot';
import { z } from 'zod';
import { xlinkCheck, type XlinkValidationError } from 'xlink-errors';
import xlinkErrors from 'xlink-errors/fastify';
import { expectXlinkError } from 'xlink-errors/testing';

const login = z.strictObject({ corp_id: z.string().transform((s) => s.toUpperCase()), password: z.string().min(6), remember: z.boolean().default(false) });
const listQuery = v.object({ limit: v.optional(v.pipe(v.string(), v.transform(Number), v.number(), v.integer()), '20') });
const taken = z.object({ name: z.string().refine(async (name) => name !== 'taken', 'taken') });

let app: FastifyInstance;
const seen: unknown[] = [];

beforeAll(async () => {
  app = Fastify();
  await app.register(xlinkErrors, { onError: (err) => void seen.push(err) });
  app.post('/v2/user_auth', {
    preHandler: async (request) => {
      request.body = await xlinkCheck(login, request.body);
    },
    handler: async (request) => ({ body: request.body }),
  });
  app.get('/v2/share/device/list', {
    // A synchronous schema needs no await: xlinkCheck returns the value or throws.
    preHandler: (request, _reply, done) => {
      request.query = xlinkCheck(listQuery, request.query, 'query') as typeof request.query;
      done();
    },
    handler: async (request) => ({ query: request.query }),
  });
  app.post('/v2/name', { preHandler: async (request) => void (request.body = await xlinkCheck(taken, request.body)) }, async (request) => request.body);
  await app.ready();
});
afterAll(() => app.close());

const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as object, headers: { 'content-type': 'application/json' } });

test('a valid body reaches the handler as the schema outputs it', async () => {
  const res = await post('/v2/user_auth', { corp_id: 'c1', password: 'secret123' });
  expect(res.statusCode).toBe(200);
  expect(res.json()).toEqual({ body: { corp_id: 'C1', password: 'secret123', remember: false } });
});

test.each([
  [{ corp_id: 'c1' }, 'PARAM_NULL'],
  [{ corp_id: 'c1', password: null }, 'PARAM_NULL'],
  [{ corp_id: 'c1', password: '1' }, 'PARAM_VERIFICATION_FAILED'],
  [{ corp_id: 'c1', password: 'secret123', admin: true }, 'PARAM_VERIFICATION_FAILED'],
] as const)('%j is %s, an envelope from the plugin', async (payload, expected) => {
  const res = await post('/v2/user_auth', payload);
  expectXlinkError({ status: res.statusCode, headers: res.headers, body: res.json() }, expected);
  expect((seen[seen.length - 1] as XlinkValidationError).validation.part).toBe('body');
});

test('a query checked synchronously: coerced by the schema, 4001001 when it cannot be', async () => {
  expect((await app.inject('/v2/share/device/list?limit=5')).json()).toEqual({ query: { limit: 5 } });
  expect((await app.inject('/v2/share/device/list')).json()).toEqual({ query: { limit: 20 } });
  const res = await app.inject('/v2/share/device/list?limit=many');
  expectXlinkError({ status: res.statusCode, headers: res.headers, body: res.json() }, 'PARAM_VERIFICATION_FAILED');
  expect((seen[seen.length - 1] as XlinkValidationError).validation).toEqual({ part: 'query', errors: [{ path: ['limit'], message: 'Invalid type: Expected number' }] });
});

test('an async refinement', async () => {
  const res = await post('/v2/name', { name: 'taken' });
  expectXlinkError({ status: res.statusCode, headers: res.headers, body: res.json() }, 'PARAM_VERIFICATION_FAILED');
  expect((await post('/v2/name', { name: 'free' })).json()).toEqual({ name: 'free' });
});
