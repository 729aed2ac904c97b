// Type tests for checkXlinkContract and toKeepXlinkContract: checked by `tsc` (npm run typecheck),
// never run. Written the way a user's test writes them; each @ts-expect-error must fail to compile.
import { expect as jestExpect } from '@jest/globals';
import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import { createServer } from 'node:http';
import { checkXlinkContract, xlinkMatchers, type XlinkContractFailure, type XlinkContractReport } from 'xlink-errors/testing';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | void {}

export async function targets(): Promise<void> {
  const app = express();
  app.get('/v2/device/:id', (req, res) => {
    res.json({ id: req.params.id });
  });
  await checkXlinkContract(app, { routes: ['GET /v2/device/{id}'] });
  await checkXlinkContract(new Koa(), { routes: ['GET /v2/device/:id'] });
  await checkXlinkContract(new Koa().callback());
  await checkXlinkContract(Fastify());
  await checkXlinkContract((req, res) => res.end(req.url));
  await checkXlinkContract({ fetch: (request: Request) => new Response(request.url) });
  await checkXlinkContract({ fetch: async () => new Response(null, { status: 404 }) });
  await checkXlinkContract('http://127.0.0.1:3000');
  await checkXlinkContract(new URL('http://127.0.0.1:3000'));
  await checkXlinkContract('http://127.0.0.1:3000', {
    openapi: { openapi: '3.1.0', paths: {} },
    codes: [4091001, '4091002'],
    codeFormat: 'string',
    maxRequests: 500,
    timeout: 2000,
    concurrency: 2,
    onProgress: (done, total, label) => console.log(`${done}/${total} ${label}`),
  });

  // @ts-expect-error a server is not a target: give its URL, or its request listener
  await checkXlinkContract(createServer());
  // @ts-expect-error a port is not a target
  await checkXlinkContract(3000);
  // @ts-expect-error routes is a list
  await checkXlinkContract(app, { routes: 'GET /v2/device/{id}' });
  // @ts-expect-error no such option
  await checkXlinkContract(app, { route: ['GET /x'] });
  // @ts-expect-error codeFormat is 'number' or 'string'
  await checkXlinkContract(app, { codeFormat: 'hex' });
  // @ts-expect-error a fetch handler returns a Response
  await checkXlinkContract({ fetch: () => 'ok' });
}

export async function report(): Promise<void> {
  const result = await checkXlinkContract(express(), { routes: ['POST /v2/user_auth'] });
  assertType<Equal<typeof result, XlinkContractReport>>();
  assertType<Equal<typeof result.ok, boolean>>();
  assertType<Equal<typeof result.requests, number>>();
  const [first] = result.failures;
  if (first !== undefined) {
    assertType<Equal<typeof first, XlinkContractFailure>>();
    assertType<Equal<typeof first.status, number | null>>();
    const { route, probe, check, problem, headers, body } = first;
    console.log(route.toUpperCase(), probe.length, check, problem, headers['content-type'], body);
    // @ts-expect-error the report is read-only
    first.problem = 'fine';
  }
}

// The matcher, from Jest's global expect and from @jest/globals, after expect.extend.
export async function matcher(): Promise<void> {
  expect.extend(xlinkMatchers);
  expect(await checkXlinkContract(express())).toKeepXlinkContract();
  expect(await checkXlinkContract(express())).not.toKeepXlinkContract();
  jestExpect.extend(xlinkMatchers);
  jestExpect(await checkXlinkContract(express())).toKeepXlinkContract();
  // @ts-expect-error the matcher takes no argument
  expect(await checkXlinkContract(express())).toKeepXlinkContract('GET /x');
}
