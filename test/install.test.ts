/**
 * A new user's install: the packed tarball installed with npm into a fresh app (outside this
 * repository, with Express), as `npm install xlink-errors express` would. The dependencies come
 * from npm's cache (`npm ci` filled it) or the registry. (Needs `npm run build` first; `npm test` does it.)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..');
const app = mkdtempSync(join(tmpdir(), 'xlink-errors-fresh-app-'));
let output = '';
let status: number | null = null;

beforeAll(() => {
  const packed = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', app], { cwd: root, encoding: 'utf8' })) as [{ filename: string }];
  writeFileSync(join(app, 'package.json'), '{ "name": "fresh-app", "version": "1.0.0", "private": true }\n');
  const install = spawnSync('npm', ['install', `./${packed[0].filename}`, 'express', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: app, encoding: 'utf8', timeout: 180_000 });
  output = `${install.stdout}\n${install.stderr}`;
  status = install.status;
}, 200_000);

afterAll(() => rmSync(app, { recursive: true, force: true }));

test('npm installs the tarball into a fresh app', () => {
  expect({ status, output }).toEqual({ status: 0, output: expect.any(String) });
});

test('the install prints no warning naming this package (no install script, engines met)', () => {
  expect(output.split('\n').filter((line) => /xlink-errors/.test(line))).toEqual([]);
});

test('the published manifest has no install-time scripts', () => {
  const manifest = JSON.parse(readFileSync(join(app, 'node_modules', 'xlink-errors', 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  for (const script of ['preinstall', 'install', 'postinstall', 'prepare']) expect(manifest.scripts?.[script]).toBeUndefined();
});

test.each([
  ['CommonJS', ['-e']],
  ['ESM', ['--input-type=module', '-e']],
])('%s: the installed package answers, validates and checks envelopes', (kind, flags) => {
  const load = kind === 'ESM' ? "import * as x from 'xlink-errors'; import express from 'express';" : "const x = require('xlink-errors'); const express = require('express');";
  const program = `${load}
    const check = x.xlinkValidate({ body: { type: 'object', required: ['email'], properties: { email: { type: 'string', format: 'email' } } } });
    let code; check({ body: { email: 'nope' }, headers: {}, query: {}, params: {} }, {}, (err) => { code = err.code; });
    const app = express(); app.use(x.xlinkErrorHandler());
    console.log(JSON.stringify([code, x.validateXlinkEnvelope(x.xlinkError('DEVICE_NOT_FOUND').toJSON()), typeof app]));`;
  expect(execFileSync(process.execPath, [...flags, program], { cwd: app, encoding: 'utf8' }).trim()).toBe('[4001001,true,"function"]');
});
