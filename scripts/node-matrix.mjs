// The package-level tests (test/pack.test.ts: the packed tarball loaded by CommonJS and ESM
// programs with Express 5/4 and Koa 3/2, every catalog entry and mapping row, hostile input,
// the test helpers) under every supported Node line other than the one running this script,
// which `npm test`'s full Jest run covers already.
//
// Node binaries come from the npm registry as packages (node-<platform>-<arch>@<version>), so
// nothing but npm is needed: no version manager, no other download site. Each is installed
// into .node-matrix/<version>/ (gitignored, never in package-lock.json) and reused while it is
// there; npm's cache serves it offline once fetched (--prefer-offline). Every step is bounded
// by a timeout and the versions run one after the other (they share the .pack-test sandbox).
// The strict TypeScript users' tests ("a strict ...") are left to the main run: they run tsc,
// whose result does not depend on the Node running it, and are a third of these tests' time.
//
// Usage: npm run test:node-matrix (builds first); `npm test` runs it last.
// XLINK_NODE_MATRIX=skip skips it (e.g. offline, on a machine that never fetched the binaries).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The supported Node lines (package.json `engines`: >=20), each pinned to a tested release. */
const MATRIX = { 20: '20.20.2', 22: '22.23.3', 24: '24.22.3' };
const INSTALL_TIMEOUT_MS = 5 * 60_000;
const TEST_TIMEOUT_MS = 10 * 60_000;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const folder = join(root, '.node-matrix');
const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;

if (process.env.XLINK_NODE_MATRIX === 'skip') {
  console.log('node-matrix: skipped (XLINK_NODE_MATRIX=skip)');
  process.exit(0);
}

const current = process.versions.node.split('.')[0];
const versions = Object.entries(MATRIX)
  .filter(([major]) => major !== current)
  .map(([, version]) => version);
const packageName = (version) => `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}@${version}`;
const binaryOf = (version) =>
  join(folder, version, 'node_modules', `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
const works = (version) => existsSync(binaryOf(version)) && spawnSync(binaryOf(version), ['--version'], { encoding: 'utf8' }).stdout?.trim() === `v${version}`;

/** Installs one Node release as an npm package into its own folder; resolves with a problem or null. */
function install(version) {
  if (works(version)) return Promise.resolve(null);
  const prefix = join(folder, version);
  mkdirSync(prefix, { recursive: true });
  // Its own package.json, so npm treats the folder as a project and never walks up to ours.
  writeFileSync(join(prefix, 'package.json'), '{ "private": true }\n');
  const args = ['install', packageName(version), '--prefix', prefix, '--no-save', '--no-package-lock', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];
  return new Promise((resolve) => {
    const child = spawn('npm', args, { cwd: prefix, stdio: ['ignore', 'inherit', 'inherit'], timeout: INSTALL_TIMEOUT_MS, shell: process.platform === 'win32' });
    child.on('error', (err) => resolve(`npm could not start: ${err.message}`));
    child.on('exit', (code, signal) => {
      if (signal) resolve(`npm install ${packageName(version)} stopped (${signal}) after ${INSTALL_TIMEOUT_MS / 1000} s`);
      else if (code !== 0) resolve(`npm install ${packageName(version)} failed (exit ${code})`);
      else resolve(works(version) ? null : `${binaryOf(version)} does not run as v${version}`);
    });
  });
}

console.log(`node-matrix: package-level tests on Node ${versions.join(', ')} (this Node, ${process.version}, runs the full suite)`);
const problems = (await Promise.all(versions.map(install))).filter(Boolean);
if (problems.length > 0) {
  console.error(`node-matrix: could not get the Node binaries from the npm registry:\n- ${problems.join('\n- ')}\nOffline? XLINK_NODE_MATRIX=skip skips this step.`);
  process.exit(1);
}
console.log(`node-matrix: binaries ready (${seconds()})`);

const failed = [];
for (const version of versions) {
  console.log(`\nnode-matrix: Node v${version}`);
  const jest = spawnSync(
    binaryOf(version),
    [join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', 'test/pack.test.ts', '--testNamePattern', '^(?!.*a strict )'],
    { cwd: root, stdio: 'inherit', timeout: TEST_TIMEOUT_MS },
  );
  if (jest.status !== 0) failed.push(`v${version}${jest.signal ? ` (stopped after ${TEST_TIMEOUT_MS / 1000} s)` : ''}`);
}
console.log(failed.length === 0 ? `\nnode-matrix: passed on Node ${versions.join(', ')} (${seconds()})` : `\nnode-matrix: FAILED on Node ${failed.join(', ')} (${seconds()})`);
process.exitCode = failed.length === 0 ? 0 : 1;
