// Type tests of xlink-errors/hono, written as docs/hono.md writes the code: checked by `tsc`, never run.
import { z } from 'zod';
import * as v from 'valibot';
import { Hono, type Context, type ErrorHandler, type MiddlewareHandler } from 'hono';
import { xlinkError, xlinkErrorHandler, xlinkNotFound, xlinkValidator, type XlinkErrorCode, type XlinkValidatorOutput } from 'xlink-errors/hono';

type Bindings = { Bindings: { DB: string }; Variables: { user: string } };
const app = new Hono<Bindings>();

app.use(
  xlinkErrorHandler({
    locale: 'auto',
    // An inline hook: Hono's Context, with the app's bindings; the literal codes.
    onError: (_err, xlinkErr, c) => {
      const code: XlinkErrorCode = xlinkErr.code;
      console.warn(code, c.req.path, c.env.DB);
    },
  }),
);
app.notFound(xlinkNotFound());
app.notFound(xlinkNotFound({ codeFormat: 'string' }));

// The same function as Hono's error handler: app.onError(xlinkErrorHandler()), with or without options.
app.onError(xlinkErrorHandler());
app.onError(
  xlinkErrorHandler({
    codeFormat: 'string',
    onError: (_err, xlinkErr, c) => {
      const code: XlinkErrorCode = xlinkErr.code;
      console.warn(code, c.env.DB, c.get('user'));
    },
  }),
);
// Both at once, one handler; a path's middleware; each type Hono has for them.
const both = xlinkErrorHandler<Bindings>({ locale: 'auto' });
new Hono<Bindings>().use(both).onError(both);
new Hono<Bindings>().use('/v2/*', both).onError(both);
const asErrorHandler: ErrorHandler<Bindings> = both;
const asMiddleware: MiddlewareHandler<Bindings> = both;
const asPlainErrorHandler: ErrorHandler = xlinkErrorHandler();
const asPlainMiddleware: MiddlewareHandler = xlinkErrorHandler();
void [asErrorHandler, asMiddleware, asPlainErrorHandler, asPlainMiddleware];
// Mounting it keeps the app's bindings for the routes after it.
new Hono<Bindings>()
  .use(xlinkErrorHandler())
  .onError(xlinkErrorHandler())
  .get('/v2/region', (c) => c.text(c.env.DB + c.get('user')));
// Called by hand, each way: (err, c) answers a Response; (c, next) is middleware.
export async function byHand(c: Context<Bindings>): Promise<void> {
  const res: Response = await both(new Error('x'), c);
  void res;
  await both(c, async () => {});
  // @ts-expect-error neither an error with a Context nor a Context with next
  both('x', c);
}

app.post(
  '/v2/user_auth',
  xlinkValidator('json', {
    type: 'object',
    required: ['corp_id', 'password'],
    properties: { corp_id: { type: 'string' }, password: { type: 'string' }, remember: { type: 'boolean' } },
  }),
  (c) => {
    const { corp_id, password, remember } = c.req.valid('json');
    const id: string = corp_id;
    const pass: string = password;
    const keep: boolean | undefined = remember;
    // @ts-expect-error not a property of the schema's type: a number is not a string
    const wrong: number = corp_id;
    void [id, pass, keep, wrong];
    // @ts-expect-error no query validator on this route
    c.req.valid('query');
    return c.json({ ok: true });
  },
);

app.get('/v2/devices', xlinkValidator('query', { type: 'object', properties: { limit: { type: 'integer', default: 20 } } }), (c) => {
  const limit: number = c.req.valid('query').limit;
  return c.json({ limit });
});

app.get('/v2/device/:id', xlinkValidator('param', { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } }), (c) => {
  const id: number = c.req.valid('param').id;
  if (id === 0) throw xlinkError('DEVICE_NOT_FOUND');
  return c.json({ id });
});

// @ts-expect-error not a target xlinkValidator knows
xlinkValidator('body', {});
// @ts-expect-error onError is synchronous
xlinkErrorHandler({ onError: async () => {} });

// A Standard Schema's output types c.req.valid(), inline handlers as users write them.
app.post('/v2/user_auth/zod', xlinkValidator('json', z.object({ corp_id: z.string(), limit: z.coerce.number().default(20) })), (c) => {
  const { corp_id, limit } = c.req.valid('json');
  const text: string = corp_id;
  const count: number = limit;
  // @ts-expect-error a field the schema lacks
  void c.req.valid('json').password;
  return c.json({ text, count });
});
app.post('/v2/user_auth/valibot', xlinkValidator('json', v.object({ corp_id: v.pipe(v.string(), v.transform((s) => s.length)) })), (c) => {
  const length: number = c.req.valid('json').corp_id; // the transform's output, not the input string
  // @ts-expect-error the output is a number
  const text: string = c.req.valid('json').corp_id;
  return c.json({ length, text });
});

type Standard = { readonly '~standard': { readonly version: 1; readonly vendor: 'x'; readonly types?: { readonly input: unknown; readonly output: { n: number } } } };
export const standardOutput: XlinkValidatorOutput<Standard> = { n: 1 };

export default app;
