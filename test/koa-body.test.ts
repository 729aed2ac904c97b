/**
 * Koa serialises a JSON body after the middleware returned, in its own `respond()`: a body that
 * cannot become JSON (a BigInt, a cycle, a throwing `toJSON`) failed there, with Koa's
 * `500 text/plain`. With the handler mounted it is 503 5031001, as on Express and Fastify, and a
 * success body is still serialised once. Koa 3 and 2, real apps through supertest.
 */
import Koa from 'koa';
import Koa2 from 'koa2';
import request from 'supertest';
import { xlinkErrorHandler } from 'xlink-errors/koa';
import { expectXlinkError } from 'xlink-errors/testing';

const cycle = (): object => {
  const a: Record<string, unknown> = { id: 1 };
  a.self = a;
  return a;
};
const BODIES: [string, () => unknown][] = [
  ['a BigInt', () => ({ id: 1n })],
  ['a cycle', cycle],
  [
    'a throwing toJSON',
    () => ({
      toJSON() {
        throw new Error('secret-in-toJSON');
      },
    }),
  ],
  ['an array holding a BigInt', () => [1, 2n]],
];

describe.each([
  ['Koa 3', Koa],
  ['Koa 2', Koa2 as unknown as typeof Koa],
])('%s', (_label, KoaApp) => {
  function appFor(body: () => unknown, reports: unknown[]) {
    const app = new KoaApp();
    app.silent = true;
    app.use(async (ctx, next) => {
      ctx.set('X-Request-Id', 'r1'); // upstream: stays
      await next();
    });
    app.use(xlinkErrorHandler({ onError: (err, xlinkErr) => void reports.push([xlinkErr.code, err]) }));
    app.use((ctx) => {
      ctx.set('ETag', '"downstream"');
      ctx.set('X-Downstream', 'yes');
      ctx.body = body();
    });
    return app.callback();
  }

  test.each(BODIES)('%s: 503 5031001, no-store, upstream headers kept, downstream ones cleared, reported', async (_name, body) => {
    const reports: unknown[] = [];
    const res = await request(appFor(body, reports)).get('/');
    expectXlinkError(res, 'SERVER_EXCEPTION');
    expect(res.text).toBe('{"error":{"code":5031001,"msg":"Server exception"}}');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-request-id']).toBe('r1');
    expect([res.headers['x-downstream'], res.headers.etag]).toEqual([undefined, undefined]);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toEqual([5031001, expect.any(Error)]);
  });

  test.each(BODIES)('%s, HEAD: 503 with no body', async (_name, body) => {
    const res = await request(appFor(body, [])).head('/');
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.text).toBeUndefined();
  });

  test('a success body is serialised once, and sent as Koa sends it', async () => {
    let calls = 0;
    const reports: unknown[] = [];
    const res = await request(
      appFor(
        () => ({
          toJSON() {
            calls++;
            return { ok: '好' };
          },
        }),
        reports,
      ),
    ).get('/');
    expect([res.status, res.text, res.headers['content-type'], res.headers['content-length']]).toEqual([200, '{"ok":"好"}', 'application/json; charset=utf-8', '12']);
    expect(calls).toBe(1);
    expect(reports).toEqual([]);
  });
});
