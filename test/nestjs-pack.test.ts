/**
 * xlink-errors/nestjs as users get it: the packed tarball in a fresh app outside the repository
 * (its node_modules linked from this one's), a strict TypeScript Nest 12 app compiled by tsc to
 * CommonJS and to an ES module and run on both platforms; the root entry, which never loads
 * Nest; and the package without @nestjs/swagger. The same compiled app runs on Nest 11 too, installed
 * from test/nestjs-fixtures/nest11 (npm ci) into node_modules/.cache/xlink-nest11, kept there
 * for later runs (npm's cache serves it offline once fetched). (Needs `npm run build` first; `npm test` does it.)
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..');
const modules = join(root, 'node_modules');
let sandbox: string, tarball: string;
const run = (command: string, args: string[], cwd: string) => {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}${stderr ?? ''}`);
  }
};

/**
 * A fresh app folder: the unpacked package, and every dev dependency but those `leaveOut` names
 * (`@nestjs`, `@nestjs/swagger`), linked; with `nest11`, Nest 11's packages (and what they depend
 * on) are linked first, so that they stand in for Nest 12's.
 */
function appFolder(name: string, leaveOut: readonly string[] = [], nest11?: string): string {
  const folder = join(sandbox, name);
  const own = join(folder, 'node_modules');
  mkdirSync(join(own, '@nestjs'), { recursive: true });
  for (const from of nest11 === undefined ? [modules] : [join(nest11, 'node_modules'), modules]) {
    for (const entry of readdirSync(from)) {
      if (entry.startsWith('.') || entry === '@nestjs' || entry === 'xlink-errors' || existsSync(join(own, entry))) continue;
      symlinkSync(join(from, entry), join(own, entry));
    }
    if (leaveOut.includes('@nestjs') || !existsSync(join(from, '@nestjs'))) continue;
    for (const pkg of readdirSync(join(from, '@nestjs'))) {
      if (!leaveOut.includes(`@nestjs/${pkg}`) && !existsSync(join(own, '@nestjs', pkg))) symlinkSync(join(from, '@nestjs', pkg), join(own, '@nestjs', pkg));
    }
  }
  mkdirSync(join(own, 'xlink-errors'));
  run('tar', ['-xzf', tarball, '-C', join(own, 'xlink-errors'), '--strip-components=1'], folder);
  return folder;
}

beforeAll(() => {
  sandbox = mkdtempSync(join(tmpdir(), 'xlink-nestjs-'));
  const packed = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', sandbox], root)) as [{ filename: string }];
  tarball = join(sandbox, packed[0].filename);
}, 60_000);

afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

test('a strict TypeScript Nest app, compiled to CommonJS and to an ES module, keeps the contract on both platforms', () => {
  const folder = appFolder('app');
  copyFileSync(join(__dirname, 'nestjs-fixtures', 'app.ts'), join(folder, 'app.cts'));
  copyFileSync(join(__dirname, 'nestjs-fixtures', 'app.ts'), join(folder, 'app.mts'));
  writeFileSync(join(folder, 'package.json'), '{ "private": true }\n');
  writeFileSync(
    join(folder, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', types: ['node'], experimentalDecorators: true, emitDecoratorMetadata: true, skipLibCheck: true, outDir: 'out' },
      files: ['app.cts', 'app.mts'],
    }),
  );
  run(process.execPath, [join(modules, 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], folder);
  expect(run(process.execPath, ['out/app.cjs'], folder).trim()).toBe('ok');
  expect(run(process.execPath, ['out/app.mjs'], folder).trim()).toBe('ok');
  // The same compiled app on Nest 11 (CommonJS packages): both module forms, both platforms.
  const nest11 = appFolder('nest11', [], installNest11());
  cpSync(join(folder, 'out'), join(nest11, 'out'), { recursive: true });
  expect(run(process.execPath, ['-p', "require('@nestjs/core/package.json').version"], nest11).trim()).toMatch(/^11\./);
  expect(run(process.execPath, ['out/app.cjs'], nest11).trim()).toBe('ok');
  expect(run(process.execPath, ['out/app.mjs'], nest11).trim()).toBe('ok');
}, 180_000);

/** Nest 11, installed once from its fixture's lock file (the repository's own devDependencies are Nest 12). */
function installNest11(): string {
  const folder = join(modules, '.cache', 'xlink-nest11');
  const fixture = join(__dirname, 'nestjs-fixtures', 'nest11');
  const stamp = join(folder, 'node_modules', '.xlink-installed');
  if (!existsSync(stamp)) {
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
    for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(fixture, file), join(folder, file));
    run('npm', ['ci', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'], folder);
    writeFileSync(stamp, '');
  }
  return folder;
}

test('the root entry loads no Nest package: it works without them, and loads none where they are', () => {
  const bare = appFolder('no-nest', ['@nestjs']);
  const check = "if (typeof x.xlinkErrorHandler !== 'function' || x.xlinkError('DEVICE_NOT_FOUND').code !== 4041008) throw new Error('broken'); console.log('ok')";
  expect(run(process.execPath, ['-e', `const x = require('xlink-errors'); ${check}`], bare).trim()).toBe('ok');
  expect(run(process.execPath, ['--input-type=module', '-e', `import * as x from 'xlink-errors'; ${check}`], bare).trim()).toBe('ok');
  const loaded = "const x = require('xlink-errors'); require('xlink-errors/fastify'); console.log(Object.keys(require.cache).filter((f) => f.includes('@nestjs')).length)";
  expect(run(process.execPath, ['-e', loaded], appFolder('with-nest')).trim()).toBe('0');
}, 60_000);

test('without @nestjs/swagger, xlink-errors/nestjs loads and ApiXlinkErrorResponses says what is missing', () => {
  const folder = appFolder('no-swagger', ['@nestjs/swagger']);
  const script = (load: string) =>
    `${load}; if (typeof n.XlinkExceptionFilter !== 'function') throw new Error('no filter'); try { n.ApiXlinkErrorResponses('DEVICE_NOT_FOUND'); } catch (err) { console.log(err.constructor.name + ': ' + err.message); }`;
  const expected = 'TypeError: ApiXlinkErrorResponses: @nestjs/swagger is not installed (npm install @nestjs/swagger)';
  expect(run(process.execPath, ['-e', script("const n = require('xlink-errors/nestjs')")], folder).trim()).toBe(expected);
  expect(run(process.execPath, ['--input-type=module', '-e', script("import * as n from 'xlink-errors/nestjs'")], folder).trim()).toBe(expected);
}, 60_000);
