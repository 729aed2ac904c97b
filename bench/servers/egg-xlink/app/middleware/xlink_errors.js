const { xlinkErrorHandler } = require('xlink-errors/koa');
module.exports = (options) => xlinkErrorHandler({ onError() {}, ...options });
