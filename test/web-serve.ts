// Serving for the web and Hono tests: a fetch handler (or an Express app) on 127.0.0.1, port 0,
// over a real socket, and what an answer looked like on the wire, for comparisons.
import { createAdaptorServer } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { RequestListener, Server } from 'node:http';
import { createServer } from 'node:http';

export interface Served {
  readonly url: string;
  close(): Promise<void>;
}

function listen(server: Server): Promise<Served> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise<void>((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}

/** A web-standard fetch handler (a Hono app's `fetch` too) on @hono/node-server. */
export function serveFetch(fetch: (request: Request) => Response | Promise<Response>): Promise<Served> {
  return listen(createAdaptorServer({ fetch }) as Server);
}

/** A Node request listener (an Express app). */
export function serveNode(listener: RequestListener): Promise<Served> {
  return listen(createServer(listener));
}

/** What a client sees of an answer: the status line, the headers (but those of the connection) and the body. */
export interface Wire {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const CONNECTION_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

export async function wireOf(res: Response): Promise<Wire> {
  const headers: Record<string, string> = {};
  for (const [name, value] of res.headers) if (!CONNECTION_HEADERS.has(name)) headers[name] = value;
  return { status: res.status, statusText: res.statusText, headers, body: await res.text() };
}

/** Fetches a path of a served app and reads the answer. */
export async function fetchWire(served: Served, path: string, init?: RequestInit): Promise<Wire> {
  return wireOf(await fetch(served.url + path, init));
}
