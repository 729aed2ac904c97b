/**
 * An app that validates with Standard Schemas only never loads ajv: Express with zod on both
 * builds in dist (`npm test` builds first), in fresh processes, over a real socket, valid and
 * invalid requests answered.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..');

const program = (load: string, zod: string) => `
  const pkg = ${load};
  const express = (${load.replace(/xlink-errors/, 'express')}).default ?? ${load.replace(/xlink-errors/, 'express')};
  const { z } = ${zod};
  const app = express();
  app.use(express.json());
  app.post('/login', pkg.xlinkValidate({ body: z.object({ password: z.string().min(6) }) }), (req, res) => res.json(req.body));
  app.use(pkg.xlinkErrorHandler());
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = 'http://127.0.0.1:' + server.address().port + '/login';
  const send = async (body) => { const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body }); return [res.status, await res.text()]; };
  const answers = [await send('{"password":"secret123"}'), await send('{}'), await send('{"password":1}')];
  server.close();
  const cache = Object.keys(process.getBuiltinModule('node:module')._cache);
  const packages = [...new Set(cache.map((f) => /[\\\\/]node_modules[\\\\/]((?:@[^\\\\/]+[\\\\/])?[^\\\\/]+)/.exec(f)?.[1]).filter(Boolean))];
  console.log(JSON.stringify({ answers, ajv: packages.filter((p) => p.startsWith('ajv')) }));`;

test.each([
  ['CommonJS', ['-e', `(async () => { ${program("require('xlink-errors')", "require('zod')")} })()`]],
  ['ESM', ['--input-type=module', '-e', program("await import('xlink-errors')", "await import('zod')")]],
])('%s build: Express with zod only loads no ajv', (_kind, args) => {
  const out = JSON.parse(execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' })) as { answers: unknown; ajv: string[] };
  expect(out.answers).toEqual([
    [200, '{"password":"secret123"}'],
    [400, '{"error":{"code":4001002,"msg":"Requested variable null."}}'],
    [400, '{"error":{"code":4001001,"msg":"Requested variable verification failed"}}'],
  ]);
  expect(out.ajv).toEqual([]);
}, 60_000);
