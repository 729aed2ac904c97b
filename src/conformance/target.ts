/**
 * What can be checked, and how it is reached: a base URL on this machine, or an app served for
 * the check on 127.0.0.1 (a port of its own, closed afterwards). A Node request listener (an
 * Express app, `koaApp.callback()`), a Koa app, a Fastify instance, or `{ fetch }`.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { typeName } from '../core/headers.js';

/** A web-standard handler, the shape Bun, Deno and Workers export. */
export interface XlinkFetchTarget {
  fetch(request: Request): Response | Promise<Response>;
}

/** What `checkXlinkContract()` takes as its target. */
export type XlinkContractTarget =
  | string
  | URL
  | ((req: IncomingMessage, res: ServerResponse) => unknown)
  | { callback(): (req: IncomingMessage, res: ServerResponse) => unknown }
  | { readonly server: Server; ready(): PromiseLike<unknown> }
  | XlinkFetchTarget;

/** A target reached: where to send, the path prefix, what a listener threw, and how to let it go. */
export interface ReachedTarget {
  readonly host: string;
  readonly port: number;
  readonly basePath: string;
  /** Errors the served listener threw synchronously, oldest first (taken by the checker). */
  readonly thrown: unknown[];
  close(): Promise<void>;
}

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)$/i;

/** Whether a host name is this machine's loopback: the only place the checker sends anything. */
export function isLoopback(hostname: string): boolean {
  return LOOPBACK.test(hostname);
}

/** Parses a base URL, refusing anything but http: on the loopback. */
export function parseBaseUrl(value: string | URL, caller: string): URL {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new TypeError(`${caller}: the target ${JSON.stringify(String(value))} is not a URL (give one such as http://127.0.0.1:3000)`);
  }
  if (url.protocol !== 'http:') throw new TypeError(`${caller}: the target must be an http: URL, got ${url.protocol} (${url.href})`);
  if (!isLoopback(url.hostname)) throw new TypeError(`${caller}: the target must be on this machine (127.0.0.1, localhost or [::1]); got ${url.hostname}. The checker sends deliberately bad requests and sends them nowhere else`);
  if (url.port === '0') throw new TypeError(`${caller}: the target's port must be 1 to 65535, got 0`);
  if (url.search !== '' || url.hash !== '') throw new TypeError(`${caller}: the base URL must have no query or fragment, got ${url.href}`);
  return url;
}

/** Reaches a target: a URL as it is, an app by serving it on 127.0.0.1:0. */
export async function reach(target: XlinkContractTarget, caller: string): Promise<ReachedTarget> {
  if (typeof target === 'string' || target instanceof URL) {
    const url = parseBaseUrl(target, caller);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = url.port === '' ? 80 : Number(url.port);
    return { host: host === 'localhost' ? '127.0.0.1' : host, port, basePath: url.pathname.replace(/\/+$/, ''), thrown: [], close: async () => {} };
  }
  return serve(await listenerOf(target, caller));
}

async function listenerOf(target: unknown, caller: string): Promise<RequestListener> {
  if (typeof target === 'function') return target as RequestListener;
  if (target === null || typeof target !== 'object') {
    throw new TypeError(`${caller}: the target must be a base URL, a request listener, a Koa app, a Fastify instance or { fetch }, got ${typeName(target)}`);
  }
  const app = target as { callback?: unknown; use?: unknown; server?: unknown; ready?: unknown; fetch?: unknown };
  if (typeof app.callback === 'function' && typeof app.use === 'function') return (app.callback as () => RequestListener).call(target); // Koa
  if (typeof app.ready === 'function' && app.server !== null && typeof app.server === 'object' && typeof (app.server as Server).emit === 'function') {
    // Fastify: its server has the request listener from the start; ready() runs the plugins.
    await (app.ready as () => PromiseLike<unknown>).call(target);
    const server = app.server as Server;
    return (req, res) => void server.emit('request', req, res);
  }
  if (typeof app.fetch === 'function') return fetchListener(target as XlinkFetchTarget);
  throw new TypeError(`${caller}: the target must be a base URL, a request listener, a Koa app, a Fastify instance or { fetch }, got an object with none of callback(), ready() with a server, or fetch()`);
}

/** Serves a listener on 127.0.0.1:0; a synchronous throw is recorded and its connection dropped. */
function serve(listener: RequestListener): Promise<ReachedTarget> {
  const thrown: unknown[] = [];
  const server = createServer((req, res) => {
    try {
      const result = listener(req, res) as unknown;
      if (result instanceof Promise) result.catch((err: unknown) => fail(err, res));
    } catch (err) {
      fail(err, res);
    }
  });
  const fail = (err: unknown, res: ServerResponse) => {
    thrown.push(err);
    res.destroy();
  };
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        host: '127.0.0.1',
        port,
        basePath: '',
        thrown,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** A Node listener over a web-standard `fetch` handler. */
function fetchListener(target: XlinkFetchTarget): RequestListener {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) {
          if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        const method = req.method ?? 'GET';
        const hasBody = method !== 'GET' && method !== 'HEAD';
        const request = new Request(`http://${req.headers.host ?? '127.0.0.1'}${req.url ?? '/'}`, { method, headers, ...(hasBody ? { body: Buffer.concat(chunks) } : {}) });
        let response: Response;
        try {
          response = await target.fetch(request);
        } catch (err) {
          // What a runtime does with a handler that throws: a bare 500 (Bun, Deno and workerd alike).
          res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`the fetch handler threw: ${err instanceof Error ? err.message : String(err)}`);
          return;
        }
        if (!(response instanceof Response)) {
          res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`the fetch handler returned ${typeName(response)}, not a Response`);
          return;
        }
        const out: Record<string, string | string[]> = {};
        response.headers.forEach((value, name) => (out[name] = value));
        const cookies = response.headers.getSetCookie();
        if (cookies.length > 0) out['set-cookie'] = cookies;
        const body = Buffer.from(await response.arrayBuffer());
        if (method === 'HEAD' && body.length > 0) {
          // node:http drops a HEAD answer's body; the handler's bytes go out as it gave them,
          // as a runtime that does not drop them would send them: the checker is there to see them.
          const fields = Object.entries(out).flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${name}: ${v}\r\n`));
          req.socket.end(Buffer.concat([Buffer.from(`HTTP/1.1 ${response.status} ${response.statusText}\r\n${fields.join('')}Connection: close\r\n\r\n`, 'latin1'), body]));
          return;
        }
        res.writeHead(response.status, out);
        res.end(body);
      })();
    });
  };
}
