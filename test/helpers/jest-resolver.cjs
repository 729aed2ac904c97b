// Jest resolver: light-my-request (Fastify's `inject`) requires cookie@2, an ES module that
// Node 20 loads with require() but Jest's module system refuses. For that one requirer, the
// module resolves to a CommonJS copy made by TypeScript (test/helpers/cookie-cjs.cjs).
'use strict';
const { join } = require('node:path');

module.exports = (request, options) => {
  if (request === 'cookie' && /[\\/]light-my-request[\\/]/.test(options.basedir)) return join(__dirname, 'cookie-cjs.cjs');
  return options.defaultResolver(request, options);
};
