// An Egg 4 app (the one named by the first argument: egg-xlink, the docs/koa.md recipe; egg-own,
// Egg's own error answer), started in single-process mode and served as Egg's app worker serves
// it: http.createServer(app.callback()) once the app is ready.
const Module = require('node:module');
const { createServer } = require('node:http');
const { join } = require('node:path');
const { startEgg } = require('egg');

// Each app folder has its own package.json (Egg reads it), which hides the package's
// self-reference by name: resolve 'xlink-errors' from here, where it resolves to dist/.
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  return resolveFilename.call(this, request, /^xlink-errors(\/|$)/.test(request) ? module : parent, ...rest);
};

startEgg({ baseDir: join(__dirname, process.argv[2]), env: 'prod' }).then(
  (app) => {
    const server = createServer(app.callback()).listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
  },
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
process.on('SIGINT', () => process.exit(0));
