// Type tests: Express 5 and 4's xlinkValidate() with Standard Schemas (zod, valibot, arktype),
// handlers inline: the handlers after it see the schemas' output types.
import { type } from 'arktype';
import express from 'express';
import express4 from 'express4';
import * as v from 'valibot';
import { z } from 'zod';
import { xlinkValidate } from 'xlink-errors';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | void {}

const login = z.object({ corp_id: z.string(), password: z.string().min(6), remember: z.boolean().default(false) });

const app = express();
{
  app.post('/v2/user_auth', express.json(), xlinkValidate({ body: login }), (req, res) => {
    assertType<Equal<typeof req.body, { corp_id: string; password: string; remember: boolean }>>();
    // @ts-expect-error the schema has no such property
    void req.body.email;
    res.json({ corp: req.body.corp_id.toUpperCase() });
  });
  app.get(
    '/v2/device/:id',
    xlinkValidate({ params: z.object({ id: z.coerce.number().int() }), query: v.object({ limit: v.optional(v.pipe(v.string(), v.transform(Number)), '20') }) }),
    (req, res) => {
      assertType<Equal<typeof req.params.id, number>>();
      assertType<Equal<typeof req.query.limit, number>>();
      // @ts-expect-error the schema has no such property
      void req.params.name;
      res.json({ id: req.params.id + 1, limit: req.query.limit });
    },
  );
  app.post('/v2/arktype', express.json(), xlinkValidate({ body: type({ name: 'string', 'tags?': 'string[]' }) }), (req, res) => {
    assertType<Equal<typeof req.body.name, string>>();
    assertType<Equal<typeof req.body.tags, string[] | undefined>>();
    // @ts-expect-error the schema has no such property
    void req.body.email;
    res.end();
  });
  // A JSON Schema and a Standard Schema side by side.
  app.post('/v2/both', express.json(), xlinkValidate({ body: login, query: { type: 'object', properties: { dry: { type: 'boolean' } } } }), (req, res) => {
    assertType<Equal<typeof req.body.remember, boolean>>();
    assertType<Equal<typeof req.query.dry, boolean | undefined>>();
    res.end();
  });
}

// Express 4's own types (@types/express@4): the same inline handlers.
const app4 = express4();
app4.post('/v2/user_auth', express4.json(), xlinkValidate({ body: login }), (req, res) => {
  assertType<Equal<typeof req.body, { corp_id: string; password: string; remember: boolean }>>();
  // @ts-expect-error the schema has no such property
  void req.body.email;
  res.json({ corp: req.body.corp_id.toUpperCase() });
});
app4.get('/v2/device/:id', xlinkValidate({ params: v.object({ id: v.pipe(v.string(), v.transform(Number)) }), query: type({ 'limit?': 'string.integer.parse' }) }), (req, res) => {
  assertType<Equal<typeof req.params.id, number>>();
  assertType<Equal<typeof req.query.limit, number | undefined>>();
  // @ts-expect-error the schema has no such property
  void req.params.name;
  res.json({ id: req.params.id });
});
