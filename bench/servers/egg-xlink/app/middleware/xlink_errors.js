// docs/koa.md's recipe, as test/egg.test.ts tests it.
module.exports = require('../../../../../test/fixtures/egg-app/app/middleware/xlink_errors.js');
