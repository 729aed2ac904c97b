/**
 * Malformed HTTP never reaches Fastify's router: Node's parser fails and Fastify's
 * `clientErrorHandler` answers on the socket, by default in Fastify's own format. The package's
 * `xlinkClientErrorHandler()` answers 400 4001001 as an envelope instead. Raw sockets against a
 * real server on 127.0.0.1, port 0.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import xlinkErrors, { xlinkClientErrorHandler, xlinkFrameworkErrors } from 'xlink-errors/fastify';

/** Sends raw bytes, reads until the server closes the connection. */
function raw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? resolve(text) : reject(err)));
    socket.on('close', () => resolve(text));
    socket.write(bytes);
  });
}

function parse(response: string) {
  const [head = '', body = ''] = response.split('\r\n\r\n');
  const [statusLine, ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { statusLine, headers, body: Buffer.from(body, 'latin1').toString('utf8') };
}

const MALFORMED: [string, string][] = [
  ['an invalid method', 'G@T / HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['a header line without a colon', 'GET / HTTP/1.1\r\nHost: x\r\nNot a header\r\n\r\n'],
  ['a bad HTTP version', 'GET / HTTP/9.9\r\nHost: x\r\n\r\n'],
  ['headers over Node\'s limit', `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`],
  ['both Content-Length and chunked', 'POST /ok HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
  ['a control character in the URL', 'GET /\x01 HTTP/1.1\r\nHost: x\r\n\r\n'],
];

async function serve(options?: Parameters<typeof xlinkClientErrorHandler>[0]) {
  const app = Fastify({ clientErrorHandler: xlinkClientErrorHandler(options), frameworkErrors: xlinkFrameworkErrors(options) });
  await app.register(xlinkErrors, { ...options });
  app.get('/ok', async () => ({ ok: true }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app;
}
const portOf = (app: FastifyInstance) => (app.server.address() as AddressInfo).port;

describe('xlinkClientErrorHandler()', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await serve();
  });
  afterAll(() => app.close());

  test.each(MALFORMED)('%s: 400 4001001 as an envelope, then the connection closes', async (_name, bytes) => {
    const { statusLine, headers, body } = parse(await raw(portOf(app), bytes));
    expect(statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(headers['content-type']).toBe('application/json; charset=utf-8');
    expect(headers['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(headers.connection).toBe('close');
    expect(body).toBe('{"error":{"code":4001001,"msg":"Requested variable verification failed"}}');
  });

  test('the server still answers afterwards', async () => {
    await raw(portOf(app), 'G@T / HTTP/1.1\r\n\r\n');
    expect((await app.inject({ method: 'GET', url: '/ok' })).json()).toEqual({ ok: true });
    const ok = parse(await raw(portOf(app), 'GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
    expect([ok.statusLine, ok.body]).toEqual(['HTTP/1.1 200 OK', '{"ok":true}']);
  });
});

test('codeFormat and locale apply', async () => {
  const app = await serve({ codeFormat: 'string', locale: 'zh-CN' });
  try {
    expect(parse(await raw(portOf(app), 'G@T / HTTP/1.1\r\n\r\n')).body).toBe('{"error":{"code":"4001001","msg":"请求数据字段验证不通过"}}');
  } finally {
    await app.close();
  }
});

test("locale 'auto' has no request to negotiate from: English", async () => {
  const app = await serve({ locale: 'auto' });
  try {
    expect(parse(await raw(portOf(app), 'G@T / HTTP/1.1\r\nAccept-Language: zh-CN\r\n\r\n')).body).toBe('{"error":{"code":4001001,"msg":"Requested variable verification failed"}}');
  } finally {
    await app.close();
  }
});

test('bad options are a TypeError naming them', () => {
  expect(() => xlinkClientErrorHandler({ codeFormat: 'text' as never })).toThrow(/codeFormat must be 'number' or 'string'/);
  expect(() => xlinkClientErrorHandler(null as never)).toThrow(TypeError);
});
