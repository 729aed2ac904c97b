// Type tests: checked by `tsc` (npm run typecheck), never run. Each @ts-expect-error must fail to compile.
import createError from 'http-errors';
import express from 'express';
import {
  XLINK_ERRORS,
  XlinkError,
  isXlinkError,
  toXlinkError,
  validateXlinkEnvelope,
  xlinkError,
  xlinkErrorHandler,
  xlinkNotFound,
  type XlinkErrorCode,
  type XlinkErrorName,
} from 'xlink-errors';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | void {}

// The unions are derived from the catalog.
assertType<Equal<Extract<XlinkErrorName, 'DEVICE_NOT_FOUND'>, 'DEVICE_NOT_FOUND'>>();
assertType<Equal<Extract<XlinkErrorCode, 4041008>, 4041008>>();
// @ts-expect-error not a catalog name
const badName: XlinkErrorName = 'DEVICE_MISSING';
// @ts-expect-error not a catalog code (4001040 is absent from the Xlink table)
const badCode: XlinkErrorCode = 4001040;

// Literal types survive.
const byName = xlinkError('DEVICE_NOT_FOUND');
assertType<Equal<typeof byName.code, 4041008>>();
assertType<Equal<typeof byName.status, 404>>();
assertType<Equal<typeof byName.errorName, 'DEVICE_NOT_FOUND'>>();
const byCode = xlinkError(4001007);
assertType<Equal<typeof byCode.errorName, 'PASSWORD_WRONG'>>();
const byString = xlinkError('5031001');
assertType<Equal<typeof byString.status, 503>>();
assertType<Equal<typeof XLINK_ERRORS.ACCESS_DENIED.code, 4031001>>();
assertType<Equal<typeof XLINK_ERRORS.ACCESS_DENIED.status, 403>>();

// Unknown keys and bad options do not compile.
// @ts-expect-error unknown name
xlinkError('DEVICE_MISSING');
// @ts-expect-error unknown code
xlinkError(4049999);
// @ts-expect-error unknown code string
xlinkError('4049999');
// @ts-expect-error msg must be a string
xlinkError('DEVICE_NOT_FOUND', { msg: 42 });
// @ts-expect-error header values are strings, numbers or string arrays
xlinkError('DEVICE_NOT_FOUND', { headers: { 'Retry-After': true } });
// @ts-expect-error the catalog is read-only
XLINK_ERRORS.DEVICE_NOT_FOUND.msg = 'x';

// It is an Error and an http-errors HttpError.
const asError: Error = byName;
const asHttpError: createError.HttpError = byName;

// The guard narrows.
const thrown: unknown = byName;
if (isXlinkError(thrown)) {
  const code: XlinkErrorCode = thrown.code;
  void code;
}
const mapped: XlinkError = toXlinkError(new Error('x'), { map: (err) => (err instanceof RangeError ? 'PARAM_VERIFICATION_FAILED' : undefined) });
// @ts-expect-error map returns an XlinkError, a catalog key or undefined
toXlinkError(1, { map: () => 'NOPE' });
const body: unknown = {};
if (validateXlinkEnvelope(body)) {
  const msg: string = body.error.msg;
  void msg;
}

// The handlers mount on a typed Express app as they are.
const app = express();
app.use(xlinkNotFound());
app.use(xlinkErrorHandler());
app.use(xlinkErrorHandler({ codeFormat: 'string', onError: (err, xlinkErr, req) => void [err, xlinkErr.code, req.url] }));
// @ts-expect-error codeFormat is 'number' or 'string'
xlinkErrorHandler({ codeFormat: 'text' });

void [badName, badCode, asError, asHttpError, mapped];

// Koa: the handler mounts on a typed Koa app; options see the context.
import Koa from 'koa';
import { xlinkErrorHandler as xlinkKoaErrorHandler } from 'xlink-errors/koa';
new Koa().use(xlinkKoaErrorHandler({ codeFormat: 'string', onError: (_err, xlinkErr, ctx) => void [xlinkErr.code, ctx.method] }));
// @ts-expect-error locale is 'en', 'zh-CN' or 'auto'
xlinkKoaErrorHandler({ locale: 'fr' });

// The Jest matcher is declared on jest.Matchers once the testing module is imported.
import { expectXlinkError, xlinkMatchers } from 'xlink-errors/testing';
expect.extend(xlinkMatchers);
expect({}).toBeXlinkError('DEVICE_NOT_FOUND', { codeFormat: 'string' });
expect({}).not.toBeXlinkError(4041008);
// @ts-expect-error unknown names do not compile
expect({}).toBeXlinkError('DEVICE_MISSING');
// @ts-expect-error unknown codes do not compile
expectXlinkError({ status: 404 }, 4049999);

// Validation: the error type carries the ajv errors; schemas must be objects (or booleans).
import { xlinkValidate, type XlinkValidationError } from 'xlink-errors';
import { xlinkValidate as xlinkKoaValidate } from 'xlink-errors/koa';
app.post('/v2/user_auth', express.json(), xlinkValidate({ body: { type: 'object', required: ['corp_id'] } }));
new Koa().use(xlinkKoaValidate({ query: { type: 'object' } }));
declare const failure: XlinkValidationError;
const failedPart: 'headers' | 'params' | 'query' | 'body' = failure.validation.part;
const failedCode: 4001001 | 4001002 = failure.code;
// @ts-expect-error unknown request part
xlinkValidate({ bdy: {} });
// @ts-expect-error a schema is an object
xlinkValidate({ body: 'object' });
void [failedPart, failedCode];

// Inline handlers after xlinkValidate() see the validated parts typed from the schemas, the rest
// as Express types it (the README's examples, written inline).
app.get('/v2/device/:id', xlinkValidate({ params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } }), (req, res) => {
  assertType<Equal<typeof req.params.id, string>>();
  res.json({ id: req.params.id });
});
const loginSchema = {
  type: 'object',
  required: ['corp_id', 'password'],
  properties: { corp_id: { type: 'string' }, password: { type: 'string', minLength: 6 }, remember: { type: 'boolean', default: false } },
  additionalProperties: false,
} as const;
app.post('/v2/user_auth/:corp', express.json(), xlinkValidate({ body: loginSchema }), (req, res) => {
  assertType<Equal<typeof req.body.password, string>>();
  assertType<Equal<typeof req.body.remember, boolean>>(); // a default makes it present
  // @ts-expect-error the schema has no such property (additionalProperties: false)
  void req.body.email;
  const corp: string = req.params.corp; // no params schema: Express's own route parameters
  res.json({ corp, user: req.body.corp_id, q: req.query });
});
app.get('/v2/share/device/list', xlinkValidate({ query: { type: 'object', properties: { limit: { type: 'integer', default: 20 }, q: { type: 'string' } } } }), (req, res) => {
  assertType<Equal<typeof req.query.limit, number>>();
  assertType<Equal<typeof req.query.q, string | undefined>>();
  res.json(req.query.limit === 10);
});

// onError written inline sees Express's own Request.
app.use(xlinkErrorHandler({ onError: (_err, _xlinkErr, req) => void [req.originalUrl, req.ip, req.get('user-agent')] }));

// Koa: onError written inline sees Koa's own context.
new Koa().use(xlinkKoaErrorHandler({ onError: (_err, _xlinkErr, ctx) => void [ctx.path, ctx.state, ctx.request.ip] }));

// Hooks are synchronous: an async onError or map does not compile; a logger's return value is fine.
declare const winstonLike: { warn(msg: unknown): typeof winstonLike };
app.use(xlinkErrorHandler({ onError: (err) => winstonLike.warn(err) }));
app.use(xlinkErrorHandler({ onError: (err) => console.error(err) }));
// @ts-expect-error an async onError: its rejection would go unhandled
app.use(xlinkErrorHandler({ onError: async (err) => console.error(err) }));
// @ts-expect-error a promise is no mapping
app.use(xlinkErrorHandler({ map: async () => 'DEVICE_NOT_FOUND' as const }));
// @ts-expect-error an async onError, on Koa too
new Koa().use(xlinkKoaErrorHandler({ onError: async () => {} }));
