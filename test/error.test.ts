import createError from 'http-errors';
import { XLINK_ERRORS, XlinkError, isXlinkError, setXlinkErrorDefaults, xlinkError, type XlinkErrorName } from 'xlink-errors';

const names = Object.keys(XLINK_ERRORS) as (keyof typeof XLINK_ERRORS)[];

describe('xlinkError()', () => {
  test.each(names)('%s is made by name, by code and by 7-digit string alike', (name) => {
    const { code, status, msg } = XLINK_ERRORS[name];
    for (const key of [name, code, String(code)] as const) {
      const err = xlinkError(key as XlinkErrorName);
      expect(err).toBeInstanceOf(XlinkError);
      expect(err).toBeInstanceOf(Error);
      expect({ code: err.code, status: err.status, statusCode: err.statusCode, name: err.errorName, message: err.message }).toEqual({
        code,
        status,
        statusCode: status,
        name,
        message: msg,
      });
      expect(err.expose).toBe(status < 500);
    }
  });

  test('is an http-errors HttpError', () => {
    const err = xlinkError('DEVICE_NOT_FOUND');
    expect(createError.isHttpError(err)).toBe(true);
    expect(err).toBeInstanceOf(createError.HttpError);
    expect(err.name).toBe('XlinkError');
    expect(err.stack).toMatch(/^XlinkError: Device does not exist\n/);
  });

  test('options.msg replaces the message, options.cause is kept, options.headers travel', () => {
    const cause = new Error('underlying');
    const err = xlinkError('ACCESS_DENIED', { msg: 'Device is offline', cause, headers: { 'Retry-After': '30', 'X-Count': 2 } });
    expect(err.message).toBe('Device is offline');
    expect(err.cause).toBe(cause);
    expect(err.headers).toEqual({ 'Retry-After': '30', 'X-Count': '2' });
    expect(Object.isFrozen(err.headers)).toBe(true);
  });

  test.each([
    ['NOT_A_CODE', /unknown Xlink error 'NOT_A_CODE'/],
    ['device_not_found', /unknown Xlink error 'device_not_found'/],
    [4041999, /unknown Xlink error 4041999/],
    ['4041999', /unknown Xlink error '4041999'/],
    [' 4041008', /unknown Xlink error ' 4041008'/],
    ['04041008', /unknown Xlink error/],
    [4041008.5, /unknown Xlink error 4041008.5/],
    [undefined, /unknown Xlink error \(undefined\)/],
    [null, /unknown Xlink error \(null\)/],
    [{}, /unknown Xlink error \(an object\)/],
    ['toString', /unknown Xlink error 'toString'/],
    ['__proto__', /unknown Xlink error '__proto__'/],
  ])('rejects the key %p with a TypeError that names it', (key, message) => {
    expect(() => xlinkError(key as never)).toThrow(TypeError);
    expect(() => xlinkError(key as never)).toThrow(message);
  });

  test.each([
    [{ msg: 42 }, /options.msg must be a string, got a number/],
    [{ msg: null }, /options.msg must be a string, got null/],
    [{ headers: 'Retry-After: 1' }, /options.headers must be an object/],
    [{ headers: { 'X-Evil': 'a\r\nSet-Cookie: x=1' } }, /header "X-Evil" has a value with characters HTTP forbids/],
    [{ headers: { 'X-Evil': 'a\nb' } }, /header "X-Evil"/],
    [{ headers: { 'X-Nul': 'a\u0000b' } }, /header "X-Nul"/],
    [{ headers: { 'Bad Name': 'x' } }, /invalid header name "Bad Name"/],
    [{ headers: { 'X-A\r\nB': 'x' } }, /invalid header name/],
    [{ headers: { 'Content-Length': '0' } }, /"Content-Length" is written by the handler/],
    [{ headers: { 'content-type': 'text/html' } }, /"content-type" is written by the handler/],
    [{ headers: { 'Transfer-Encoding': 'chunked' } }, /written by the handler/],
    [{ headers: { 'X-Obj': {} } }, /header "X-Obj" must be a string/],
    [{ headers: { 'Set-Cookie': ['a=1', 'b=2'] } }, /header "Set-Cookie" must be a string or a finite number, got an array/],
    [{ headers: { 'X-Nan': NaN } }, /header "X-Nan" must be a string/],
    [{ stack: 'no' }, /options.stack must be a boolean/],
  ])('rejects bad options %p with a clear TypeError', (options, message) => {
    expect(() => xlinkError('DEVICE_NOT_FOUND', options as never)).toThrow(TypeError);
    expect(() => xlinkError('DEVICE_NOT_FOUND', options as never)).toThrow(message);
  });

  test('stack: false skips the stack trace; the default keeps it', () => {
    expect(xlinkError('DEVICE_NOT_FOUND', { stack: false }).stack).toBe('XlinkError: Device does not exist');
    expect(xlinkError('DEVICE_NOT_FOUND').stack).toContain('\n    at ');
  });

  test('in production, 4xx errors skip their stack by default; 503s keep theirs', () => {
    const saved = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      jest.isolateModules(() => {
        const fresh = jest.requireActual<typeof import('../src/core/error')>('../src/core/error');
        expect(fresh.xlinkError('DEVICE_NOT_FOUND').stack).toBe('XlinkError: Device does not exist');
        expect(fresh.xlinkError('SERVER_EXCEPTION').stack).toContain('\n    at ');
        expect(fresh.xlinkError('DEVICE_NOT_FOUND', { stack: true }).stack).toContain('\n    at ');
      });
    } finally {
      process.env.NODE_ENV = saved;
    }
  });

  test('setXlinkErrorDefaults({ stack: false }) skips stacks of 4xx only', () => {
    setXlinkErrorDefaults({ stack: false });
    try {
      expect(xlinkError('DEVICE_NOT_FOUND').stack).not.toContain('\n    at ');
      expect(xlinkError('SERVER_EXCEPTION').stack).toContain('\n    at ');
      expect(xlinkError('DEVICE_NOT_FOUND', { stack: true }).stack).toContain('\n    at ');
    } finally {
      setXlinkErrorDefaults({ stack: true });
    }
    expect(() => setXlinkErrorDefaults({ stack: 'no' as never })).toThrow(new TypeError('setXlinkErrorDefaults: stack must be a boolean'));
  });

  test('toJSON() is the envelope, and a 503 shows only the catalog message', () => {
    expect(JSON.stringify(xlinkError('DEVICE_NOT_FOUND'))).toBe('{"error":{"code":4041008,"msg":"Device does not exist"}}');
    expect(xlinkError('SERVER_EXCEPTION', { msg: 'db password is hunter2' }).toJSON()).toEqual({
      error: { code: 5031001, msg: 'Server exception' },
    });
  });

  test('toJSON() of an error whose fields were changed by hand still gives an envelope', () => {
    const err = xlinkError('DEVICE_NOT_FOUND');
    Object.assign(err, { errorName: 'NOPE' });
    expect(err.toJSON()).toEqual({ error: { code: 4041008, msg: 'Device does not exist' } });
    Object.assign(err, { code: 1 });
    expect(err.toJSON()).toEqual({ error: { code: 5031001, msg: 'Server exception' } });
  });

  test('expose can be overridden on an instance', () => {
    const err = xlinkError('DEVICE_NOT_FOUND');
    err.expose = false;
    expect(err.expose).toBe(false);
    expect(xlinkError('DEVICE_NOT_FOUND').expose).toBe(true);
  });
});

describe('isXlinkError()', () => {
  test('recognises XlinkErrors, and not a plain Error that merely has an Xlink code', () => {
    expect(isXlinkError(xlinkError('DEVICE_NOT_FOUND'))).toBe(true);
    expect(isXlinkError(Object.assign(new Error('Device does not exist'), { code: 4041008, status: 404 }))).toBe(false);
    expect(isXlinkError(createError(404))).toBe(false);
    for (const value of [undefined, null, 0, 'DEVICE_NOT_FOUND', 4041008, {}, []]) expect(isXlinkError(value)).toBe(false);
  });

  test('recognises errors of another copy of the package by its marker, also with instanceof', () => {
    const foreignCopy = Object.create({ [Symbol.for('xlink-errors.XlinkError')]: true }) as object;
    expect(isXlinkError(foreignCopy)).toBe(true);
    expect(foreignCopy instanceof XlinkError).toBe(true);
  });

  test('never throws, even on a Proxy whose traps throw', () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('trap'); }, getPrototypeOf: () => { throw new Error('trap'); } });
    expect(isXlinkError(hostile)).toBe(false);
    expect(hostile instanceof XlinkError).toBe(false);
  });

  test('subclasses keep the ordinary instanceof', () => {
    class DeviceGone extends XlinkError<'DEVICE_NOT_FOUND'> {
      constructor() {
        super('DEVICE_NOT_FOUND');
      }
    }
    expect(new DeviceGone()).toBeInstanceOf(DeviceGone);
    expect(new DeviceGone()).toBeInstanceOf(XlinkError);
    expect(xlinkError('DEVICE_NOT_FOUND')).not.toBeInstanceOf(DeviceGone);
  });
});
