// Type tests of the Egg.js recipe (docs/koa.md#eggjs), written as an Egg app in TypeScript writes
// it: checked by `npm run typecheck`, never run (test/egg.test.ts runs the JavaScript recipe).
import type { Application, ILifecycleBoot } from 'egg';
import type { XlinkHandlerOptions } from 'xlink-errors';
import { xlinkErrorHandler, type XlinkKoaContext } from 'xlink-errors/koa';

// app/middleware/xlink_errors.ts
export const xlinkErrors = (options: XlinkHandlerOptions<XlinkKoaContext>) => xlinkErrorHandler({ onError() {}, ...options });

// config/config.default.ts: the handler options, hooks written inline.
export const config: { xlinkErrors: XlinkHandlerOptions<XlinkKoaContext> } = {
  xlinkErrors: {
    locale: 'auto',
    map: (err) => (err instanceof RangeError ? 'DEVICE_NOT_FOUND' : undefined),
    onError: (err, xlinkErr, ctx) => {
      const path: string = ctx.path; // Koa's own context
      const code: number = xlinkErr.code;
      void [err, path, code];
    },
  },
};

export const wrong: XlinkHandlerOptions<XlinkKoaContext>[] = [
  // @ts-expect-error not a locale
  { locale: 'fr' },
  // @ts-expect-error a misspelt name does not compile in map
  { map: () => 'DEVICE_NOT_FOND' },
  // @ts-expect-error onError is synchronous: an async one does not compile
  { onError: async () => undefined },
];

// app.ts
export default class AppBootHook implements ILifecycleBoot {
  readonly app: Application;

  constructor(app: Application) {
    this.app = app;
  }

  configWillLoad() {
    const list: string[] = this.app.config.coreMiddleware;
    list.splice(list.indexOf('notfound') + 1, 0, 'xlinkErrors');
  }
}
