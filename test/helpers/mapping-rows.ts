import createError from 'http-errors';
import type { XlinkErrorName } from 'xlink-errors';

/** One row of API.md's default mapping: what a route throws, and the catalog entry it becomes. */
export interface MappingRow {
  readonly title: string;
  readonly thrown: () => unknown;
  readonly expected: XlinkErrorName;
}

const secret = 'secret-db-password-hunter2';

/** Every row of the mapping table, with the values a route really throws. */
export const mappingRows: readonly MappingRow[] = [
  { title: 'http-errors 400', thrown: () => createError(400, 'bad field'), expected: 'PARAM_VERIFICATION_FAILED' },
  { title: 'bad JSON from a body parser', thrown: () => Object.assign(new SyntaxError('Unexpected token'), { status: 400, type: 'entity.parse.failed' }), expected: 'PARAM_VERIFICATION_FAILED' },
  { title: 'body too large (413)', thrown: () => createError(413, 'request entity too large'), expected: 'PARAM_VERIFICATION_FAILED' },
  { title: 'bad charset (415)', thrown: () => createError(415, 'unsupported charset "X"'), expected: 'PARAM_VERIFICATION_FAILED' },
  { title: 'http-errors 405', thrown: () => createError(405), expected: 'PARAM_VERIFICATION_FAILED' },
  { title: 'http-errors 409', thrown: () => createError(409), expected: 'PARAM_VERIFICATION_FAILED' },
  { title: 'http-errors 422', thrown: () => createError(422), expected: 'PARAM_VERIFICATION_FAILED' },
  { title: 'http-errors 429', thrown: () => createError(429), expected: 'PARAM_VERIFICATION_FAILED' },
  { title: 'a statusCode-carrying error, 400', thrown: () => Object.assign(new Error('x'), { statusCode: 400 }), expected: 'PARAM_VERIFICATION_FAILED' },
  { title: 'http-errors 401', thrown: () => createError(401), expected: 'ACCESS_DENIED' },
  { title: 'http-errors 403', thrown: () => createError(403), expected: 'ACCESS_DENIED' },
  { title: 'a status-carrying error, 401', thrown: () => Object.assign(new Error('no'), { status: 401 }), expected: 'ACCESS_DENIED' },
  { title: 'http-errors 404', thrown: () => createError(404), expected: 'URL_NOT_FOUND' },
  { title: 'a statusCode-carrying error, 404', thrown: () => Object.assign(new Error('gone'), { statusCode: 404 }), expected: 'URL_NOT_FOUND' },
  { title: 'http-errors 500', thrown: () => createError(500, secret), expected: 'SERVER_EXCEPTION' },
  { title: 'http-errors 502', thrown: () => createError(502, secret), expected: 'SERVER_EXCEPTION' },
  { title: 'http-errors 503 marked exposable', thrown: () => createError(503, secret, { expose: true }), expected: 'SERVER_EXCEPTION' },
  { title: 'a plain Error', thrown: () => new Error(secret), expected: 'SERVER_EXCEPTION' },
  { title: 'a TypeError', thrown: () => new TypeError(secret), expected: 'SERVER_EXCEPTION' },
  { title: 'a plain Error with an Xlink code', thrown: () => Object.assign(new Error(secret), { code: 4041008 }), expected: 'SERVER_EXCEPTION' },
  { title: 'an Error with status 200', thrown: () => Object.assign(new Error(secret), { status: 200 }), expected: 'SERVER_EXCEPTION' },
  { title: 'an Error with status "404" as a string', thrown: () => Object.assign(new Error(secret), { status: '404' }), expected: 'SERVER_EXCEPTION' },
  { title: 'an Error with status 600', thrown: () => Object.assign(new Error(secret), { status: 600 }), expected: 'SERVER_EXCEPTION' },
  { title: 'a string', thrown: () => secret, expected: 'SERVER_EXCEPTION' },
  { title: 'a number', thrown: () => 42, expected: 'SERVER_EXCEPTION' },
  { title: 'a plain object', thrown: () => ({ status: 404, message: secret }), expected: 'SERVER_EXCEPTION' },
  { title: 'a symbol', thrown: () => Symbol(secret), expected: 'SERVER_EXCEPTION' },
];

/**
 * Values Express treats as "no error" when thrown synchronously or passed to next(): its router
 * checks `if (err)`, so they never reach error middleware. Koa and the core map them to 503.
 */
export const falsyRows: readonly MappingRow[] = [
  { title: 'undefined', thrown: () => undefined, expected: 'SERVER_EXCEPTION' },
  { title: 'null', thrown: () => null, expected: 'SERVER_EXCEPTION' },
  { title: '0', thrown: () => 0, expected: 'SERVER_EXCEPTION' },
  { title: 'an empty string', thrown: () => '', expected: 'SERVER_EXCEPTION' },
];

export { secret };
