/**
 * Fastify's `onSend` hooks and the plugin's error replies: a hook sees an error reply's payload
 * as it sees any JSON reply's (a string), and a hook that throws on an error reply still ends in
 * an envelope (a 503 when the hook keeps failing), never Fastify's own format nor the hook's message.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { xlinkError } from 'xlink-errors';
import xlinkErrors from 'xlink-errors/fastify';
import { expectXlinkError } from 'xlink-errors/testing';

type Hook = (payload: unknown, statusCode: number) => unknown;

async function appWith(hook: Hook, reports: unknown[][]) {
  const app = Fastify();
  await app.register(xlinkErrors, { onError: (err, xlinkErr) => void reports.push(['onError', xlinkErr.code, err]) });
  app.addHook('onSend', async (_request, reply, payload) => hook(payload, reply.statusCode));
  app.get('/ok', async () => ({ ok: true }));
  app.get('/device', async () => {
    throw xlinkError('DEVICE_NOT_FOUND');
  });
  app.get('/zh', async () => {
    throw xlinkError('DEVICE_NOT_FOUND', { msg: '设备不存在 (自定义)' });
  });
  await app.ready();
  return app;
}

const get = (app: FastifyInstance, url: string) => app.inject({ method: 'GET', url });

describe('onSend hooks', () => {
  const seen: string[] = [];
  let app: FastifyInstance;
  const reports: unknown[][] = [];
  beforeAll(async () => {
    app = await appWith((payload) => {
      seen.push(typeof payload);
      return (payload as string).replace('"msg"', '"msg"'); // written for strings, as for any JSON reply
    }, reports);
  });
  afterAll(() => app.close());

  test.each(['/ok', '/device', '/nowhere', '/zh'])('%s: the hook gets a string', async (url) => {
    seen.length = 0;
    const res = await get(app, url);
    expect(seen).toEqual(['string']);
    if (url !== '/ok') expect(res.json()).toHaveProperty('error');
  });

  test('a non-ASCII custom message arrives intact as a string', async () => {
    const res = await get(app, '/zh');
    expect(res.payload).toBe('{"error":{"code":4041008,"msg":"设备不存在 (自定义)"}}');
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.payload)));
  });
});

describe('an onSend hook that throws on error replies', () => {
  const secret = 'hook-secret-detail';
  test.each(['/device', '/nowhere'])('%s: 503 5031001 envelope, the hook message not leaked, the failure reported', async (url) => {
    const reports: unknown[][] = [];
    const app = await appWith((payload, status) => {
      if (status >= 400) throw new TypeError(secret);
      return payload;
    }, reports);
    try {
      const res = await get(app, url);
      expectXlinkError({ status: res.statusCode, headers: res.headers, body: res.json() }, 'SERVER_EXCEPTION');
      expect(res.payload).not.toContain(secret);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(reports.some(([, code, err]) => code === 5031001 && (err as Error).message === secret)).toBe(true);
      expect((await get(app, '/ok')).json()).toEqual({ ok: true });
    } finally {
      await app.close();
    }
  });

  test('a hook that throws only once (on the 404) lets the 503 through its hooks', async () => {
    const reports: unknown[][] = [];
    let calls = 0;
    const seen: number[] = [];
    const app = await appWith((payload, status) => {
      seen.push(status);
      if (calls++ === 0) throw new TypeError(secret);
      return payload;
    }, reports);
    try {
      const res = await get(app, '/device');
      expect(res.statusCode).toBe(503);
      expect(res.payload).toBe('{"error":{"code":5031001,"msg":"Server exception"}}');
      expect(seen).toEqual([404, 503]);
    } finally {
      await app.close();
    }
  });
});
