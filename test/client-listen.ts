// Shared by the client tests: a request listener on 127.0.0.1, port 0, with a log of what reached it.
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listening {
  readonly url: string;
  /** `METHOD /path token`, one line per request that reached the server. */
  readonly log: string[];
  close(): Promise<void>;
}

export async function listen(listener: RequestListener): Promise<Listening> {
  const log: string[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    log.push(`${req.method} ${req.url} ${req.headers['access-token'] ?? '-'}`);
    listener(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
