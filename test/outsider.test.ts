// Defects found by attacking the packed package as a new user would (issue 19).
import { setXlinkErrorDefaults, xlinkError } from 'xlink-errors';
import { expectXlinkError, xlinkMatchers } from 'xlink-errors/testing';

const json = { 'content-type': 'application/json; charset=utf-8' };
const deviceNotFound = { status: 404, headers: json, body: { error: { code: 4041008, msg: 'Device does not exist' } } };
const offline = { status: 404, headers: json, body: { error: { code: 4041008, msg: 'Lamp 7 is offline' } } };

describe('expectXlinkError() and toBeXlinkError() by an outsider', () => {
  test('a global or sticky msg pattern passes every time it is used, not every other time', () => {
    const global = /offline/g;
    const sticky = /Lamp/y;
    for (let i = 0; i < 3; i++) {
      expect(() => expectXlinkError(offline, 'DEVICE_NOT_FOUND', { msg: global })).not.toThrow();
      expect(() => expectXlinkError(offline, 'DEVICE_NOT_FOUND', { msg: sticky })).not.toThrow();
      expect(xlinkMatchers.toBeXlinkError.call({}, offline, 'DEVICE_NOT_FOUND', { msg: global }).pass).toBe(true);
    }
    expect(global.lastIndex).toBe(0); // the user's pattern is left as it was
  });

  test('a codeFormat, locale or msg it does not know is a TypeError naming it, not a silent default', () => {
    // From plain JavaScript (or through `as never`): a typo must not make the assertion check something else.
    expect(() => expectXlinkError(deviceNotFound, 'DEVICE_NOT_FOUND', { codeFormat: 'String' as never })).toThrow(
      new TypeError(`expectXlinkError: codeFormat must be 'number' or 'string', got "String"`),
    );
    expect(() => expectXlinkError(deviceNotFound, 'DEVICE_NOT_FOUND', { locale: 'zh' as never })).toThrow(
      new TypeError(`expectXlinkError: locale must be 'en' or 'zh-CN', got "zh"`),
    );
    expect(() => expectXlinkError(deviceNotFound, 'DEVICE_NOT_FOUND', { msg: 42 as never })).toThrow(
      new TypeError('expectXlinkError: msg must be a string or a RegExp, got a number'),
    );
    expect(() => expectXlinkError(deviceNotFound, 'DEVICE_NOT_FOUND', null as never)).toThrow(TypeError);
  });

  test('a status of the wrong type is named as such, not "expected 404, received 404"', () => {
    expect(() => expectXlinkError({ ...deviceNotFound, status: '404' as never }, 'DEVICE_NOT_FOUND')).toThrow(
      'status: expected 404, received "404" (a string)',
    );
  });
});

describe('xlinkError({ headers }) by an outsider', () => {
  test('a Map or a fetch Headers is a TypeError saying to pass a plain object, not headers silently dropped', () => {
    for (const headers of [new Map([['Retry-After', '30']]), new Headers({ 'Retry-After': '30' })]) {
      expect(() => xlinkError('DEVICE_NOT_FOUND', { headers: headers as never })).toThrow(
        new TypeError('xlinkError: options.headers must be a plain object of header names to values, got a Map or Headers (pass Object.fromEntries(headers))'),
      );
    }
    expect(xlinkError('DEVICE_NOT_FOUND', { headers: Object.fromEntries(new Headers({ 'Retry-After': '30' })) }).headers).toEqual({ 'retry-after': '30' });
  });
});

describe('setXlinkErrorDefaults() by an outsider', () => {
  test('anything but an object is a TypeError naming what it got, not a crash on reading it or a silent no-op', () => {
    for (const [value, got] of [[null, 'null'], [undefined, 'undefined'], ['stack', 'a string'], [true, 'a boolean']] as const) {
      expect(() => setXlinkErrorDefaults(value as never)).toThrow(new TypeError(`setXlinkErrorDefaults: expected an object such as { stack: true }, got ${got}`));
    }
  });
});
