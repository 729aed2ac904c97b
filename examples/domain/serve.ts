/**
 * Starting an example server, the same way for Express and Koa: the demo store (its enterprise
 * id from `XLINK_CORP_ID`), `PORT` and `HOST`, the access-token lifetime
 * (`XLINK_ACCESS_TOKEN_SECONDS`), deliberate timeouts, a clear message and exit code 1 when the
 * port is taken or a variable is wrong, and a clean stop on Ctrl-C or SIGTERM.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { banner } from './banner';
import { accessTokenSeconds } from './policy';
import { XlinkService, type ServiceOptions } from './service';
import { DEMO_CORP_ID, seededStore } from './store';

/** Timeouts a public-facing server should choose rather than inherit. */
export const SERVER_TIMEOUTS = {
  /** The whole request, headers and body, must arrive within this (slowloris). */
  requestTimeout: 30_000,
  headersTimeout: 10_000,
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeout: 5_000,
  /** Requests one connection may carry before it is closed. */
  maxRequestsPerSocket: 1_000,
} as const;

/** An HTTP server for a request listener, with SERVER_TIMEOUTS instead of Node's defaults. */
export function createXlinkServer(listener: RequestListener): Server {
  return Object.assign(createServer(listener), SERVER_TIMEOUTS);
}

/**
 * The service settings from the environment: `XLINK_TWO_FACTOR` (`email`, or unset/empty: off)
 * and `XLINK_TRUST_PROXY` (how many reverse proxies in front; unset: 0, the socket's address).
 * Anything else is one clear line and exit code 1, through `fail`.
 */
export function serviceOptionsFromEnv(env: NodeJS.ProcessEnv, fail: (message: string) => never): ServiceOptions {
  const twoFactor = env.XLINK_TWO_FACTOR ?? '';
  if (twoFactor !== '' && twoFactor !== 'email') fail(`XLINK_TWO_FACTOR must be "email" (or unset), got ${JSON.stringify(twoFactor)}`);
  const proxies = env.XLINK_TRUST_PROXY ?? '';
  if (proxies !== '' && !/^[0-9]$/.test(proxies)) fail(`XLINK_TRUST_PROXY must be the number of proxies in front (0 to 9), got ${JSON.stringify(proxies)}`);
  return { ...(twoFactor === 'email' ? { twoFactor } : {}), trustedProxies: Number(proxies) };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function serve(framework: string, listenerFor: (service: XlinkService) => RequestListener): Server {
  const fail = (message: string): never => {
    console.error(`[xlink-example] ${message}`);
    process.exit(1);
  };
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`PORT must be a port number (0 to 65535), got ${JSON.stringify(process.env.PORT)}`);
  const host = process.env.HOST ?? '127.0.0.1';
  const corpId = process.env.XLINK_CORP_ID || DEMO_CORP_ID;
  if (corpId.length > 64) fail('XLINK_CORP_ID is longer than 64 characters');
  const options = serviceOptionsFromEnv(process.env, fail);
  try {
    accessTokenSeconds(); // XLINK_ACCESS_TOKEN_SECONDS, checked here so a bad value is a clear message
  } catch (err) {
    fail((err as Error).message);
  }

  const server = createXlinkServer(listenerFor(new XlinkService(seededStore(Date.now, corpId), undefined, Date.now, options)));
  server.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE') fail(`${host}:${port} is already in use (another server running?). Stop it, or choose another port with PORT (PORT=3001)`);
    if (err.code === 'EACCES') fail(`not allowed to listen on ${host}:${port}; choose a port above 1023 with PORT`);
    fail(`cannot listen on ${host}:${port}: ${err.message}`);
  });
  server.listen(port, host, () => {
    console.log(banner(framework, `http://${host}:${(server.address() as AddressInfo).port}`, corpId, options));
  });

  // Ctrl-C, or SIGTERM (from npm, a container, a test): stop accepting, drop idle connections, exit.
  const stop = (signal: string) => {
    console.log(`\n[xlink-example] ${signal}: stopping`);
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 2_000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // `npm start` runs us under `sh -c`; npm passes SIGTERM to that shell, which dies without
  // passing it on. So stop, too, when the process that started us is gone.
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid !== parent || !isAlive(parent)) {
      clearInterval(watch);
      stop('parent process exited');
    }
  }, 500).unref();
  return server;
}
