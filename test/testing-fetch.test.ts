import { once } from 'node:events';
import type { AddressInfo, Server } from 'node:net';
import express from 'express';
import { xlinkError, xlinkErrorHandler } from 'xlink-errors';
import { expectXlinkError, expectXlinkResponse, xlinkMatchers } from 'xlink-errors/testing';

// A real server on 127.0.0.1, read with Node's own fetch.
let server: Server;
let base: string;
beforeAll(async () => {
  const app = express();
  app.get('/v2/device/:id', () => {
    throw xlinkError('DEVICE_NOT_FOUND');
  });
  app.get('/html', (_req, res) => void res.status(404).send('<html>Not Found</html>'));
  app.use(xlinkErrorHandler());
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((done) => server.close(done)));

describe('expectXlinkResponse(): a fetch Response', () => {
  test('reads the body and passes on the right error', async () => {
    await expect(expectXlinkResponse(await fetch(`${base}/v2/device/1`), 'DEVICE_NOT_FOUND')).resolves.toBeUndefined();
  });

  test('fails with the differences, as expectXlinkError() does', async () => {
    await expect(expectXlinkResponse(await fetch(`${base}/v2/device/1`), 'USER_NOT_FOUND')).rejects.toThrow(/code: expected 4041011 \(USER_NOT_FOUND\), received 4041008 \(DEVICE_NOT_FOUND\)/);
    await expect(expectXlinkResponse(await fetch(`${base}/html`), 'URL_NOT_FOUND')).rejects.toThrow(/body: not JSON \(it starts "<html>Not Found<\/html>"\)/);
  });

  test('takes what expectXlinkError() takes too', async () => {
    const res = { status: 404, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { error: { code: 4041008, msg: 'Device does not exist' } } };
    await expect(expectXlinkResponse(res, 'DEVICE_NOT_FOUND')).resolves.toBeUndefined();
  });

  test('a body already read is a TypeError saying so; an unknown name leaves the body unread', async () => {
    const used = await fetch(`${base}/v2/device/1`);
    await used.json();
    await expect(expectXlinkResponse(used, 'DEVICE_NOT_FOUND')).rejects.toThrow(/fetch Response whose body was already read/);
    const unread = await fetch(`${base}/v2/device/1`);
    await expect(expectXlinkResponse(unread, 'DEVICE_NOT_FOND' as never)).rejects.toThrow(/did you mean 'DEVICE_NOT_FOUND'\?/);
    expect(unread.bodyUsed).toBe(false);
    await unread.text();
  });
});

describe('the synchronous helpers given a fetch Response', () => {
  test('expectXlinkError() says the body was not read and what to use instead', async () => {
    const res = await fetch(`${base}/v2/device/1`);
    // @ts-expect-error a fetch Response does not type-check either
    expect(() => expectXlinkError(res, 'DEVICE_NOT_FOUND')).toThrow(
      new TypeError(
        'expectXlinkError: this is a fetch Response whose body has not been read: use `await expectXlinkResponse(res, key)`, or pass `{ status: res.status, headers: res.headers, body: await res.json() }`',
      ),
    );
    await res.text();
  });

  test('toBeXlinkError() says the same', async () => {
    const res = await fetch(`${base}/v2/device/1`);
    expect(() => xlinkMatchers.toBeXlinkError.call({}, res, 'DEVICE_NOT_FOUND')).toThrow(/fetch Response whose body has not been read/);
    // Read by hand, it is an ordinary response.
    expectXlinkError({ status: res.status, headers: res.headers, body: await res.json() }, 'DEVICE_NOT_FOUND');
  });
});
