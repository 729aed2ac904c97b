// The Express 5 apps of the validation benchmark (bench/validate.mjs): one login route, one
// schema (as JSON Schema, and as zod), five ways to check the body. Each answers a valid body 200 {"ok":true} and a
// body missing `password` 400 {"error":{"code":4001002,"msg":"Requested variable null."}}, any
// other violation 400 4001001, as xlinkValidate does. Shared by the in-process run and by the
// server processes (bench/servers/validate.cjs).
'use strict';
const express = require('express');
const { Ajv } = require('ajv');
const addFormats = require('ajv-formats').default;
const { body, checkExact, validationResult } = require('express-validator');
const { z } = require('zod');
const { XLINK_ERRORS, xlinkErrorHandler, xlinkValidate } = require('xlink-errors');

/** The schema every variant enforces, here as JSON Schema. */
const loginSchema = {
  type: 'object',
  required: ['corp_id', 'password'],
  properties: {
    corp_id: { type: 'string', minLength: 1, maxLength: 32 },
    email: { type: 'string', format: 'email' },
    password: { type: 'string', minLength: 6, maxLength: 16 },
  },
  additionalProperties: false,
};
const validBody = { corp_id: '100fa2b4', email: 'ada@example.com', password: 's3cret-pw' };
const invalidBody = { corp_id: '100fa2b4', email: 'ada@example.com' };
const paramNull = { error: { code: XLINK_ERRORS.PARAM_NULL.code, msg: XLINK_ERRORS.PARAM_NULL.msg } };
const paramFailed = { error: { code: XLINK_ERRORS.PARAM_VERIFICATION_FAILED.code, msg: XLINK_ERRORS.PARAM_VERIFICATION_FAILED.msg } };

function loginApp(validation) {
  const app = express();
  app.use(express.json());
  app.post('/v2/login', ...validation, (req, res) => void res.json({ ok: true }));
  app.use(xlinkErrorHandler()); // bad JSON and the like, in every variant
  return app;
}

/** xlink-errors: the schema, and the handler answers what it throws. */
function xlink() {
  return [xlinkValidate({ body: loginSchema })];
}

/** What a user writes by hand with ajv: compiled once, answered in place. */
function handAjv() {
  const ajv = new Ajv();
  addFormats(ajv);
  const validate = ajv.compile(loginSchema);
  return [
    (req, res, next) => {
      if (validate(req.body)) return next();
      const missing = validate.errors.some((e) => e.keyword === 'required');
      res.status(400).json(missing ? paramNull : paramFailed);
    },
  ];
}

/** express-validator: a chain per field, `checkExact` for unknown fields. */
function expressValidator() {
  const required = (field) => body(field).exists({ values: 'null' }).withMessage('null').bail();
  return [
    checkExact([
      required('corp_id').isString().isLength({ min: 1, max: 32 }),
      body('email').optional().isString().bail().isEmail(),
      required('password').isString().isLength({ min: 6, max: 16 }),
    ]),
    (req, res, next) => {
      const result = validationResult(req);
      if (result.isEmpty()) return next();
      res.status(400).json(result.array().some((e) => e.msg === 'null') ? paramNull : paramFailed);
    },
  ];
}

/** The schema as zod: a strict object. */
const zodLogin = z.strictObject({
  corp_id: z.string().min(1).max(32),
  email: z.email().optional(),
  password: z.string().min(6).max(16),
});

/** xlink-errors with the zod schema (Standard Schema): the handler answers what it throws. */
function xlinkZod() {
  return [xlinkValidate({ body: zodLogin })];
}

/** zod by hand: `safeParse` per request, the envelope written in place. */
function zod() {
  const schema = zodLogin;
  return [
    (req, res, next) => {
      const result = schema.safeParse(req.body);
      if (result.success) return next();
      const missing = result.error.issues.some((i) => i.code === 'invalid_type' && i.path.length === 1 && req.body[i.path[0]] == null);
      res.status(400).json(missing ? paramNull : paramFailed);
    },
  ];
}

/** Each variant's validation middleware (a list, as Express takes it). */
const validations = {
  'xlinkValidate': xlink,
  'hand-written ajv middleware': handAjv,
  'express-validator': expressValidator,
  'zod middleware': zod,
  'xlinkValidate (zod)': xlinkZod,
};
/** Which variant each other is compared with: the JSON Schema one with every other, the zod one with zod by hand. */
const comparisons = [
  ...Object.keys(validations)
    .filter((name) => name !== 'xlinkValidate' && name !== 'xlinkValidate (zod)')
    .map((other) => ['xlinkValidate', other]),
  ['xlinkValidate (zod)', 'zod middleware'],
];
/** Each variant's whole app. */
const apps = Object.fromEntries(Object.entries(validations).map(([name, make]) => [name, () => loginApp(make())]));

module.exports = { apps, validations, comparisons, validBody, invalidBody, paramNull };
