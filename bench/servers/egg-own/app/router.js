module.exports = (app) => {
  // The route throws, and Egg's own onerror plugin answers: {"message":"Device does not exist"}
  // (JSON, as the client accepts it).
  app.router.get('/v2/device/:id', async (ctx) => {
    ctx.throw(404, 'Device does not exist');
  });
  // The route writes the envelope itself, without throwing: the error path's limit.
  app.router.get('/v2/hand/:id', async (ctx) => {
    ctx.status = 404;
    ctx.body = { error: { code: 4041008, msg: 'Device does not exist' } };
  });
};
