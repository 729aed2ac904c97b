// docs/koa.md's recipe, as test/egg.test.ts tests it: the handler right after notfound in Egg's core middleware.
module.exports = require('../../../test/fixtures/egg-app/app.js');
