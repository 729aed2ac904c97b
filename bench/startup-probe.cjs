// Preloaded (`node --require`) into every process bench/startup.mjs starts, bare ones included:
// at exit, prints the CPU time the process spent after node's own start-up (from here to exit:
// the program, i.e. the import measured) and the ajv modules it loaded, as one line of JSON.
// Leaving node's bootstrap out of the figure leaves out most of a loaded machine's noise.
'use strict';
const Module = require('node:module');
const { writeSync } = require('node:fs');

const start = process.cpuUsage();
process.on('exit', () => {
  const { user, system } = process.cpuUsage(start);
  // ajv is CommonJS: even an ES module's `import` of it lands in the CommonJS cache.
  const ajv = Object.keys(Module._cache).filter((file) => /[\\/]node_modules[\\/]ajv(-formats)?[\\/]/.test(file));
  writeSync(1, `\n${JSON.stringify({ cpuMs: (user + system) / 1000, ajv })}\n`);
});
