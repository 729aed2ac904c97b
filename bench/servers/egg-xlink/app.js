// docs/koa.md's recipe: the handler right after notfound in Egg's core middleware.
module.exports = class AppBootHook {
  constructor(app) {
    this.app = app;
  }

  configWillLoad() {
    const list = this.app.config.coreMiddleware;
    list.splice(list.indexOf('notfound') + 1, 0, 'xlinkErrors');
  }
};
