const { xlinkError } = require('xlink-errors');
module.exports = (app) => {
  app.router.get('/v2/device/:id', async () => {
    throw xlinkError('DEVICE_NOT_FOUND');
  });
};
