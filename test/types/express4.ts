// Type tests against Express 4's own types (@types/express@4, installed as @types/express4): the
// same inline handlers as with Express 5 compile, and see the same types.
import express from 'express4';
import { xlinkErrorHandler, xlinkNotFound, xlinkValidate } from 'xlink-errors';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | void {}

const app = express();
app.get('/v2/device/:id', xlinkValidate({ params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } }), (req, res) => {
  assertType<Equal<typeof req.params.id, string>>();
  res.json({ id: req.params.id });
});
app.post('/v2/user_auth', express.json(), xlinkValidate({ body: { type: 'object', properties: { password: { type: 'string' } }, required: ['password'], additionalProperties: false } }), (req, res) => {
  assertType<Equal<typeof req.body.password, string>>();
  // @ts-expect-error the schema has no such property
  void req.body.email;
  res.end();
});
app.get('/v2/share/device/list', xlinkValidate({ query: { type: 'object', properties: { limit: { type: 'integer', default: 20 } } } }), (req, res) => {
  assertType<Equal<typeof req.query.limit, number>>();
  res.end();
});
app.use(xlinkNotFound());
// onError's request is `import('express').Request` (here Express 5's, as both are installed); the
// handler itself mounts on Express 4's app all the same.
app.use(xlinkErrorHandler({ onError: (_err, xlinkErr, req) => void [xlinkErr.code, req.originalUrl] }));
app.use(xlinkErrorHandler<express.Request>({ onError: (_err, _xlinkErr, req) => void req.originalUrl }));
