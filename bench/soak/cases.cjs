// What the soak servers throw, case by case, and the code each must answer with. Shared by the
// servers and the load driver, so every single response can be checked.
'use strict';
const createError = require('http-errors');
const { XLINK_ERRORS, xlinkError } = require('xlink-errors');

const catalog = Object.keys(XLINK_ERRORS).map((name) => [() => xlinkError(name), XLINK_ERRORS[name].code]);
const failures = [
  [() => new Error('db down: password=hunter2'), 5031001],
  [() => createError(500, 'internal detail'), 5031001],
  [() => createError(404), 4041001],
  [() => createError(401), 4031001],
  [() => createError(429), 4001001],
  [() => 'a thrown string', 5031001],
  [() => Object.assign(new Error('x'), { status: 404.5 }), 5031001],
  [() => new Proxy({}, { get() { throw new Error('trap'); } }), 5031001],
  [() => { const e = new Error('loop'); e.self = e; return e; }, 5031001],
  [() => xlinkError('DEVICE_NOT_FOUND', { msg: `custom ${Math.random()}` }), 4041008],
  [() => xlinkError('ACCESS_TOKEN_INVALID', { headers: { 'WWW-Authenticate': 'Access-Token' } }), 4031003],
];
// Two catalog errors for every random failure, as a real server sees mostly expected errors.
const cases = [...catalog, ...catalog, ...failures];
module.exports = { cases };
