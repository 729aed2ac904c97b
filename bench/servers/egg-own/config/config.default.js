const { tmpdir } = require('node:os');
const { join } = require('node:path');
// Logs and run files in a folder of the process's own, which bench/egg.mjs removes.
const dir = join(tmpdir(), 'xlink-errors-bench-egg', String(process.pid));
module.exports = { keys: 'bench', logger: { dir: join(dir, 'logs') }, rundir: join(dir, 'run') };
