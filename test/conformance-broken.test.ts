/**
 * Negative controls: deliberately broken APIs, one per problem of issue 25, each of which the
 * checker must catch with a failure that names the problem (a checker that cannot fail is not a
 * checker); and the answers it must not take for failures (an early 413, a listed code).
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { XLINK_ERRORS, xlinkErrorHandler, xlinkNotFound } from 'xlink-errors';
import xlinkErrors from 'xlink-errors/fastify';
import { checkXlinkContract, type XlinkContractOptions, type XlinkContractReport, type XlinkContractTarget } from 'xlink-errors/testing';

const quiet = { onError: () => {} };
const JSON_UTF8 = 'application/json; charset=utf-8';
const envelope = (code: unknown, msg: unknown) => JSON.stringify({ error: { code, msg } });

/** A raw listener that answers every request with one status, type and body. */
function answering(status: number, body: string, type = JSON_UTF8, extra: Record<string, string> = {}): RequestListener {
  return (_req, res) => {
    res.writeHead(status, { 'Content-Type': type, ...extra }).end(body);
  };
}

/** An Express app that keeps the contract, with `setup` adding the defect before the handlers. */
function expressWith(setup: (app: express.Express) => void, handlers = true): express.Express {
  const app = express();
  setup(app);
  if (handlers) {
    app.use(xlinkNotFound());
    app.use(xlinkErrorHandler(quiet));
  }
  return app;
}

interface Caught {
  readonly check: string;
  readonly probe?: string;
  readonly problem: RegExp;
}

const routes = ['GET /v2/device/{id}', 'POST /v2/user_auth'];

const broken: [string, () => XlinkContractTarget | Promise<XlinkContractTarget>, Caught, XlinkContractOptions?][] = [
  [
    'an HTML 500 from a forgotten path (no error handler)',
    () => expressWith((app) => app.get('/v2/device/:id', () => { throw new Error('db down'); }), false),
    { check: 'error-status', probe: 'no-access-token', problem: /^500 is not an Xlink error status \(400, 403, 404, 503\)$/ },
  ],
  [
    'an HTML 500: its Content-Type',
    () => expressWith((app) => app.get('/v2/device/:id', () => { throw new Error('db down'); }), false),
    { check: 'content-type', problem: /^Content-Type is "text\/html; charset=utf-8", not "application\/json; charset=utf-8"$/ },
  ],
  [
    "Express's default 404 page",
    () => expressWith(() => {}, false),
    { check: 'envelope', probe: 'unknown-path', problem: /^the body is not JSON: "<!DOCTYPE html>/ },
  ],
  [
    "a framework's default 404 body ({\"statusCode\":404,...}: Fastify without the plugin)",
    () => Fastify(),
    { check: 'envelope', probe: 'unknown-path', problem: /^the body has no "error" object: "\{\\"message\\":\\"Route GET:\/xlink-check\/no-such-route not found\\",\\"error\\":\\"Not Found\\",\\"statusCode\\":404\}"$/ },
  ],
  [
    'Fastify with the plugin but without frameworkErrors: its own answer to a malformed URL',
    async () => {
      const app = Fastify();
      await app.register(xlinkErrors, quiet);
      app.get('/v2/device/:id', async () => ({}));
      return app;
    },
    { check: 'envelope', probe: 'malformed-percent-encoding', problem: /FST_ERR_BAD_URL/ },
  ],
  [
    'a 404 carrying 4001001',
    () => answering(404, envelope(4001001, XLINK_ERRORS.PARAM_VERIFICATION_FAILED.msg)),
    { check: 'code-matches-status', problem: /^the code 4001001 belongs with status 400, but the status is 404$/ },
  ],
  [
    'the code sent as a string',
    () => expressWith(() => {}, false).use(xlinkNotFound()).use(xlinkErrorHandler({ codeFormat: 'string', ...quiet })),
    { check: 'envelope', problem: /^error\.code is "4041001" \(a string\), not a number$/ },
  ],
  [
    'a code no catalog has',
    () => answering(404, envelope(4049999, 'Gone fishing')),
    { check: 'known-code', problem: /^4049999 is not a known code \(official, defined, or listed with --codes\)$/ },
  ],
  [
    'a stack trace in a 503',
    () => expressWith((app) => app.use((_req, res) => {
      const err = new Error('connect ECONNREFUSED 10.0.0.5:5432');
      res.status(503).json({ error: { code: 5031001, msg: err.stack } });
    })),
    { check: 'no-stack-trace', problem: /^the message shows a stack trace or a file path: / },
  ],
  [
    'a stack trace in a 503: the message is not the catalog one',
    () => expressWith((app) => app.use((_req, res) => {
      res.status(503).json({ error: { code: 5031001, msg: new Error('connect ECONNREFUSED 10.0.0.5:5432').stack } });
    })),
    { check: 'server-error-message', problem: /^a 503 must carry the catalog message of 5031001 \("Server exception"\), got "Error: connect ECONNREFUSED 10\.0\.0\.5:5432/ },
  ],
  [
    "a 503 with the thrown error's own message",
    () => answering(503, envelope(5031001, 'relation "users" does not exist')),
    { check: 'server-error-message', problem: /got "relation \\"users\\" does not exist": a server error's own message may leak internals$/ },
  ],
  [
    "Express's default error page, with the stack (outside production)",
    () => expressWith((app) => app.get('/v2/device/:id', () => { throw new Error('db down'); }), false),
    { check: 'no-stack-trace', problem: /^the body shows a stack trace or a file path: / },
  ],
  [
    'a file path in a 4xx message',
    () => answering(400, envelope(4001001, 'ENOENT: no such file, open /srv/app/config/secrets.json')),
    { check: 'no-stack-trace', problem: /a stack trace or a file path: .*\/srv\/app\/config\/secrets\.json/ },
  ],
  [
    'a body on HEAD',
    () => ({ fetch: () => new Response(envelope(4041001, 'URL not found'), { status: 404, headers: { 'Content-Type': JSON_UTF8 } }) }),
    { check: 'head-without-body', probe: 'head', problem: /^the HEAD answer has a body \(\d+ bytes: "\{\\"error\\":\{\\"code\\":4041001/ },
  ],
  [
    'a { fetch } handler that throws (a runtime answers a bare 500)',
    () => ({
      fetch: () => {
        throw new Error('KV namespace not bound');
      },
    }),
    { check: 'envelope', problem: /^the body is not JSON: "the fetch handler threw: KV namespace not bound"$/ },
  ],
  [
    'a route that crashes on malformed JSON',
    () => (req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        try {
          JSON.parse(body || '{}');
        } catch {
          req.socket.destroy(); // what an uncaught throw in a body callback leaves a client with
          return;
        }
        res.writeHead(404, { 'Content-Type': JSON_UTF8 }).end(envelope(4041001, 'URL not found'));
      });
    },
    { check: 'answered', probe: 'malformed-json', problem: /^no answer: (ECONNRESET: the connection was reset before an answer|the server closed the connection without an answer) \(\d+ of \d+ body bytes were sent|the request was sent\)/ },
  ],
  [
    'a listener that throws on malformed JSON',
    () => (req, res) => {
      if (req.method === 'POST' && req.headers['content-length'] === '16') throw new SyntaxError('Unexpected end of JSON input');
      res.writeHead(404, { 'Content-Type': JSON_UTF8 }).end(envelope(4041001, 'URL not found'));
    },
    { check: 'answered', probe: 'malformed-json', problem: /; the app threw SyntaxError: Unexpected end of JSON input$/ },
  ],
  [
    'extra keys in the envelope',
    () => answering(404, JSON.stringify({ error: { code: 4041001, msg: 'URL not found', status: 404 }, statusCode: 404 })),
    { check: 'envelope', problem: /^the envelope has keys beyond "error", "code" and "msg": statusCode, error\.status$/ },
  ],
  [
    'JSON without the charset',
    () => answering(404, envelope(4041001, 'URL not found'), 'application/json'),
    { check: 'content-type', problem: /^Content-Type is "application\/json", not/ },
  ],
  [
    'a 401 (not an Xlink status)',
    () => answering(401, envelope(4031001, 'Access denied')),
    { check: 'error-status', problem: /^401 is not an Xlink error status/ },
  ],
  [
    'a route that never answers',
    () => (req, res) => {
      if (req.method === 'HEAD') return; // left hanging
      res.writeHead(404, { 'Content-Type': JSON_UTF8 }).end(envelope(4041001, 'URL not found'));
    },
    { check: 'answered', probe: 'head', problem: /^no answer: no answer within 300 ms \(the request was sent\)$/ },
    { timeout: 300 },
  ],
  [
    'a reset instead of an answer to an oversized body',
    () => (req, res) => {
      if (Number(req.headers['content-length']) > 100_000) return void req.socket.destroy();
      res.writeHead(404, { 'Content-Type': JSON_UTF8 }).end(envelope(4041001, 'URL not found'));
    },
    { check: 'answered', probe: 'oversized-body', problem: /^no answer: .*(reset|closed).*\(\d+ of 2097152 body bytes were sent\); asked again with the headers alone: .*(reset|closed)/ },
  ],
];

const failuresOf = (report: XlinkContractReport) => report.failures.map((f) => ({ check: f.check, probe: f.probe, problem: f.problem }));

// A rest parameter: Jest takes a test function with more parameters than a row for a done-callback test.
test.each(broken)('%s: caught, and named', async (...[, make, caught, options]) => {
  const report = await checkXlinkContract(await make(), { routes, ...options });
  expect(report.ok).toBe(false);
  expect(failuresOf(report)).toContainEqual({ check: caught.check, probe: caught.probe ?? expect.any(String), problem: expect.stringMatching(caught.problem) });
  const failure = report.failures.find((f) => f.check === caught.check)!;
  expect(failure.request.method).toMatch(/^[A-Z]+$/); // what reproduces it
});

describe('a server that dies', () => {
  let server: Server;
  beforeEach(async () => {
    server = createServer((req, res) => {
      if (req.method === 'POST' && req.headers['content-length'] === '16') {
        server.close();
        server.closeAllConnections(); // the process went away
        return;
      }
      res.writeHead(404, { 'Content-Type': JSON_UTF8 }).end(envelope(4041001, 'URL not found'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterEach(() => server.close());

  test('is a failure that says after which probe; the rest are not sent', async () => {
    const report = await checkXlinkContract(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { routes });
    expect(report.ok).toBe(false);
    expect(report.failures.slice(-1)[0]).toMatchObject({
      check: 'server-alive',
      probe: 'malformed-json',
      route: 'POST /v2/user_auth',
      problem: 'the server stopped answering after malformed-json on POST /v2/user_auth; the remaining probes were not sent',
    });
    expect(report.skipped).toBeGreaterThan(0);
    expect(report.requests).toBe(report.results.length + 1);
  });
});

test('the budget counts every request: the liveness checks after probes that got no answer too, and one last one may follow', async () => {
  const resetting: RequestListener = (req, res) => {
    if (req.url?.startsWith('/v2/')) return void req.socket.destroy();
    res.writeHead(404, { 'Content-Type': JSON_UTF8 }).end(envelope(4041001, 'URL not found'));
  };
  const report = await checkXlinkContract(resetting, { routes: ['GET /v2/device/{id}'], maxRequests: 4 });
  expect([report.requests, report.results.length]).toEqual([5, 2]); // probe, liveness, probe, liveness; then the last liveness
  expect(report.failures.map((f) => f.check)).toEqual(['answered', 'answered']);
});

test('a redirect is a failure, and is not followed', async () => {
  let elsewhere = 0;
  const other = createServer((_req, res) => {
    elsewhere++;
    res.end('{}');
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  try {
    const location = `http://127.0.0.1:${(other.address() as AddressInfo).port}/login`;
    const report = await checkXlinkContract(answering(302, '', 'text/plain', { Location: location }), { routes });
    expect(failuresOf(report)).toContainEqual({ check: 'error-status', probe: 'no-access-token', problem: `302 is not an Xlink error status (400, 403, 404, 503); a redirect to ${location}, not followed` });
    expect(elsewhere).toBe(0);
  } finally {
    other.close();
  }
});

describe('what is not a failure', () => {
  test('an early 413 answered before the body is read, then the connection reset: judged as the answer it is', async () => {
    const app = expressWith((app) =>
      app.use((req, res, next) => {
        if (Number(req.headers['content-length']) <= 100_000) return next();
        res.setHeader('Connection', 'close');
        res.status(400).type('json').end(envelope(4001001, XLINK_ERRORS.PARAM_VERIFICATION_FAILED.msg), () => req.socket.destroy());
      }),
    );
    const report = await checkXlinkContract(app, { routes });
    expect(report.failures).toEqual([]);
    expect(report.results.find((r) => r.probe === 'oversized-body')!.status).toBe(400);
  });

  test('a code listed with codes, and a defined status', async () => {
    const report = await checkXlinkContract(answering(409, envelope(4091001, 'Device is busy')), { routes, codes: [4091001] });
    expect(report.failures).toEqual([]);
  });

  test("codeFormat 'string' accepts codes as strings (and refuses numbers)", async () => {
    const strings = expressWith(() => {}, false).use(xlinkNotFound()).use(xlinkErrorHandler({ codeFormat: 'string', ...quiet }));
    expect((await checkXlinkContract(strings, { routes, codeFormat: 'string' })).failures).toEqual([]);
    const numbers = await checkXlinkContract(answering(404, envelope(4041001, 'URL not found')), { routes, codeFormat: 'string' });
    expect(failuresOf(numbers)[0]).toMatchObject({ check: 'envelope', problem: "error.code is 4041001, not a 7-digit string (codeFormat 'string')" });
  });

  test("a 503 in Chinese carries the catalog's Chinese message", async () => {
    const report = await checkXlinkContract(answering(503, envelope(5031001, '服务端发生异常')), { routes });
    expect(report.failures).toEqual([]);
  });
});

describe('hostile servers', () => {
  test('an answer without end is cut off at 1 MiB and judged, not read into memory', async () => {
    const endless: RequestListener = (req, res) => {
      res.writeHead(404, { 'Content-Type': JSON_UTF8 });
      if (req.method === 'HEAD') return void res.end(); // Node sends no body on HEAD: nothing to pump
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = () => {
        if (res.destroyed || res.writableEnded) return;
        if (res.write(chunk)) setImmediate(pump);
        else res.once('drain', pump);
      };
      pump();
    };
    const report = await checkXlinkContract(endless, { routes: ['GET /v2/device/{id}'], maxRequests: 1 }); // the first probe is enough
    const failure = report.failures.find((f) => f.probe === 'no-access-token' && f.check === 'envelope')!;
    expect(failure.problem).toMatch(/^the body is not JSON: "xxxx/);
    expect(String(failure.body).length).toBeLessThanOrEqual(2001);
  }, 20_000);

  test('headers without end: no answer, said so', async () => {
    const server = await new Promise<Server>((resolve) => {
      const s = createServer();
      s.on('connection', (socket) => {
        socket.on('error', () => {});
        const line = Buffer.from(`X-Pad: ${'y'.repeat(1000)}\r\n`);
        socket.write('HTTP/1.1 404 Not Found\r\n');
        const pump = () => {
          if (socket.destroyed) return;
          if (socket.write(line)) setImmediate(pump);
          else socket.once('drain', pump);
        };
        pump();
      });
      s.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const report = await checkXlinkContract(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { maxRequests: 1 });
      expect(report.failures[0]).toMatchObject({ check: 'answered', problem: 'no answer: more than 1048576 bytes without the end of the headers' });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

test('a server that does not speak HTTP: no answer, and what it said', async () => {
  const server = await new Promise<Server>((resolve) => {
    const s = createServer();
    s.on('connection', (socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n'));
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    const report = await checkXlinkContract(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { maxRequests: 1 });
    expect(report.failures[0]).toMatchObject({ check: 'answered', status: null, problem: 'no answer: not an HTTP answer: "SSH-2.0-OpenSSH_9.6\\r\\n"' });
  } finally {
    server.close();
  }
});

describe('hooks that fail', () => {
  test('an onProgress that throws, or whose promise rejects, is reported once each and the check goes on', async () => {
    const reports: unknown[][] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void reports.push(args));
    try {
      let calls = 0;
      const app = answering(404, envelope(4041001, 'URL not found'));
      const report = await checkXlinkContract(app, {
        routes,
        onProgress: () => {
          calls++;
          if (calls === 1) throw new Error('progress bar broke');
          if (calls === 2) return Promise.reject(new Error('async progress broke')) as never;
        },
      });
      expect(report.failures).toEqual([]);
      expect(calls).toBe(report.results.length);
      await new Promise((resolve) => setImmediate(resolve));
      expect(reports.map(([what, err]) => `${String(what)} ${(err as Error).message}`)).toEqual([
        'xlink-errors: checkXlinkContract: onProgress threw: progress bar broke',
        'xlink-errors: checkXlinkContract: the promise returned by onProgress rejected: async progress broke',
      ]);
    } finally {
      spy.mockRestore();
    }
  });
});
