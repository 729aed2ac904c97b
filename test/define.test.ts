// defineXlinkErrors(): the rules, and every surface of the core knowing the defined codes.
// The registry is process-wide; Jest gives each test file its own globalThis, so what this file
// defines stays in this file. Names defined here are unique to each test.
import createError from 'http-errors';
import { Ajv } from 'ajv';
import {
  XLINK_ERRORS,
  XlinkError,
  defineXlinkErrors,
  isXlinkError,
  toXlinkError,
  validateXlinkEnvelope,
  xlinkEnvelopeSchema,
  xlinkEnvelopeStringSchema,
  xlinkError,
  xlinkMessage,
} from 'xlink-errors';
import { expectXlinkError, xlinkMatchers } from 'xlink-errors/testing';
import { knownRecords } from '../src/core/catalog';
import { appErrors } from './helpers/app-errors';

expect.extend(xlinkMatchers);

const json = { 'content-type': 'application/json; charset=utf-8' };
/** Defines through an untyped door, as JavaScript users (and bad input) can. */
const defineAny = (entries: unknown) => defineXlinkErrors(entries as never);
const definedCount = () => knownRecords().length - 82;

describe('defineXlinkErrors(): what it returns', () => {
  test('the entries, frozen, each with its status derived from its code', () => {
    expect(appErrors).toEqual({
      ACCESS_TOKEN_EXPIRED: { code: 4031021, status: 403, msg: 'Access-Token expired', msgZh: 'Access-Token过期' },
      DEVICE_BUSY: { code: 4091001, status: 409, msg: 'Device is busy' },
      DATABASE_UNAVAILABLE: { code: 5001001, status: 500, msg: 'Database unavailable', msgZh: '数据库不可用' },
    });
    expect(Object.isFrozen(appErrors)).toBe(true);
    expect(Object.isFrozen(appErrors.DEVICE_BUSY)).toBe(true);
    expect('msgZh' in appErrors.DEVICE_BUSY).toBe(false);
  });

  test('an identical definition again is a no-op, and so is defining the returned map', () => {
    const before = definedCount();
    expect(defineXlinkErrors({ DEVICE_BUSY: { code: 4091001, msg: 'Device is busy' } })).toEqual({ DEVICE_BUSY: appErrors.DEVICE_BUSY });
    expect(defineXlinkErrors(appErrors)).toEqual(appErrors);
    expect(definedCount()).toBe(before);
  });

  test('the official catalog is untouched: XLINK_ERRORS keeps its 82 entries', () => {
    expect(Object.keys(XLINK_ERRORS)).toHaveLength(82);
    expect('DEVICE_BUSY' in XLINK_ERRORS).toBe(false);
  });

  test('knownRecords(): the 82 in catalog order, then the defined ones in definition order', () => {
    const records = knownRecords();
    expect(records.slice(0, 82).map((r) => r.name)).toEqual(Object.keys(XLINK_ERRORS));
    expect(records.slice(0, 82).every((r) => r.official)).toBe(true);
    expect(records.slice(82, 85).map(({ name, code, status, msg, msgZh, official }) => ({ name, code, status, msg, msgZh, official }))).toEqual([
      { name: 'ACCESS_TOKEN_EXPIRED', code: 4031021, status: 403, msg: 'Access-Token expired', msgZh: 'Access-Token过期', official: false },
      { name: 'DEVICE_BUSY', code: 4091001, status: 409, msg: 'Device is busy', msgZh: 'Device is busy', official: false },
      { name: 'DATABASE_UNAVAILABLE', code: 5001001, status: 500, msg: 'Database unavailable', msgZh: '数据库不可用', official: false },
    ]);
  });
});

describe('defineXlinkErrors(): what it refuses, with a TypeError, defining nothing', () => {
  const refused = (entries: unknown, message: RegExp | string) => {
    const before = definedCount();
    expect(() => defineAny(entries)).toThrow(TypeError);
    expect(() => defineAny(entries)).toThrow(message);
    expect(definedCount()).toBe(before);
  };

  test('a name of the official catalog, naming both entries', () => {
    refused({ DEVICE_NOT_FOUND: { code: 4041901, msg: 'Gone' } }, 'DEVICE_NOT_FOUND (4041901 "Gone") has the name of the official DEVICE_NOT_FOUND (4041008 "Device does not exist")');
  });

  test('a code of the official catalog, naming both entries', () => {
    refused({ DEVICE_GONE: { code: 4041008, msg: 'Gone' } }, 'DEVICE_GONE (4041008 "Gone") has the code of the official DEVICE_NOT_FOUND (4041008 "Device does not exist")');
  });

  test('a name defined earlier with another code, message or Chinese message', () => {
    refused({ DEVICE_BUSY: { code: 4091002, msg: 'Device is busy' } }, 'DEVICE_BUSY (4091002 "Device is busy") differs from the DEVICE_BUSY (4091001 "Device is busy") defined earlier');
    refused({ DEVICE_BUSY: { code: 4091001, msg: 'Busy' } }, /DEVICE_BUSY \(4091001 "Busy"\) differs from the DEVICE_BUSY \(4091001 "Device is busy"\)/);
    refused({ DEVICE_BUSY: { code: 4091001, msg: 'Device is busy', msgZh: '设备忙' } }, /differs from the DEVICE_BUSY/);
    refused({ ACCESS_TOKEN_EXPIRED: { code: 4031021, msg: 'Access-Token expired' } }, /differs from the ACCESS_TOKEN_EXPIRED/);
  });

  test('a code defined earlier under another name', () => {
    refused({ DEVICE_OCCUPIED: { code: 4091001, msg: 'Device is busy' } }, 'DEVICE_OCCUPIED (4091001 "Device is busy") has the code of DEVICE_BUSY (4091001 "Device is busy"), defined earlier');
  });

  test('a code twice in one call, naming both names', () => {
    refused({ TWIN_ONE: { code: 4091801, msg: 'One' }, TWIN_TWO: { code: 4091801, msg: 'Two' } }, 'TWIN_TWO and TWIN_ONE both have the code 4091801');
  });

  test.each([
    ['lower case', 'deviceBusy'],
    ['a hyphen', 'DEVICE-BUSY'],
    ['a double underscore', 'DEVICE__BUSY'],
    ['a leading underscore', '_DEVICE_BUSY'],
    ['a trailing underscore', 'DEVICE_BUSY_'],
    ['a leading digit', '1DEVICE'],
    ['an empty name', ''],
    ['a space', 'DEVICE BUSY'],
  ])('a name that is not UPPER_SNAKE_CASE: %s', (_title, name) => {
    refused({ [name]: { code: 4091901, msg: 'x' } }, `the name ${JSON.stringify(name)} is not UPPER_SNAKE_CASE`);
  });

  test.each([
    ['a string', '4091901', 'must be an integer of 7 digits, got a string'],
    ['a fraction', 4091901.5, 'must be an integer of 7 digits, got 4091901.5'],
    ['6 digits', 409190, 'must be an integer of 7 digits, got 409190'],
    ['8 digits', 40919010, 'must be an integer of 7 digits, got 40919010'],
    ['negative', -4091901, 'must be an integer of 7 digits, got -4091901'],
    ['NaN', NaN, 'must be an integer of 7 digits, got NaN'],
    ['missing', undefined, 'must be an integer of 7 digits, got undefined'],
    ['a 2xx status', 2001001, 'must start with an HTTP error status (400-599), not 200'],
    ['a 3xx status', 3021001, 'must start with an HTTP error status (400-599), not 302'],
    ['600', 6001001, 'must start with an HTTP error status (400-599), not 600'],
    ['a 1xx status', 1001001, 'must start with an HTTP error status (400-599), not 100'],
  ])('a malformed code: %s', (_title, code, message) => {
    refused({ BAD_CODE: { code, msg: 'x' } }, `BAD_CODE.code ${typeof code === 'number' && message.includes('start') ? `${code} ` : ''}${message}`);
  });

  test.each([
    ['missing', undefined, 'got undefined'],
    ['empty', '', 'got an empty one'],
    ['a number', 42, 'got a number'],
    ['an object', { en: 'x' }, 'got an object'],
  ])('a message that is not a non-empty string: %s', (_title, msg, message) => {
    refused({ BAD_MSG: { code: 4091902, msg } }, `BAD_MSG.msg must be a non-empty string, ${message}`);
    refused({ BAD_MSG_ZH: { code: 4091903, msg: 'ok', msgZh: msg ?? null } }, `BAD_MSG_ZH.msgZh must be a non-empty string when given, ${msg === undefined ? 'got null' : message}`);
  });

  test('an entry that is not an object, and entries that are not an object of entries', () => {
    refused({ NOT_AN_ENTRY: 'Device is busy' }, 'NOT_AN_ENTRY must be an object { code, msg, msgZh? }, got a string');
    refused({ NOT_AN_ENTRY: null }, 'got null');
    refused({ NOT_AN_ENTRY: [4091904, 'x'] }, 'got an array');
    for (const entries of [null, undefined, [], 'DEVICE_BUSY', 4091001]) refused(entries, 'defineXlinkErrors: expected an object of entries keyed by name');
  });

  test('an unknown field (a misspelt msgZh), or a status that is not the code’s', () => {
    refused({ TYPO_ENTRY: { code: 4091905, msg: 'x', msgzh: '忙' } }, 'TYPO_ENTRY has an unknown field "msgzh"; an entry is { code, msg, msgZh? }');
    refused({ WRONG_STATUS: { code: 4091906, msg: 'x', status: 400 } }, 'WRONG_STATUS.status 400 does not match its code 4091906, whose status is 409');
  });

  test('one bad entry refuses the whole call: the good entries before it are not defined', () => {
    refused({ GOOD_BEFORE_BAD: { code: 4091907, msg: 'Fine' }, BAD_AFTER_GOOD: { code: 4041008, msg: 'Taken' } }, /official DEVICE_NOT_FOUND/);
    expect(() => xlinkError('GOOD_BEFORE_BAD' as never)).toThrow(TypeError);
    expect(() => xlinkError(4091907 as never)).toThrow(TypeError);
    // ...and can be defined on its own afterwards.
    expect(defineXlinkErrors({ GOOD_BEFORE_BAD: { code: 4091907, msg: 'Fine' } }).GOOD_BEFORE_BAD.status).toBe(409);
  });

  test('each field is read once, so a getter cannot pass the check and then change', () => {
    let reads = 0;
    const entry = {
      get code() {
        reads++;
        return reads === 1 ? 4091908 : 4041008;
      },
      msg: 'Read once',
    };
    const defined = defineAny({ READ_ONCE: entry }) as Record<string, { code: number }>;
    expect(defined.READ_ONCE!.code).toBe(4091908);
    expect(xlinkError('READ_ONCE' as never).code).toBe(4091908);
  });
});

describe('every surface knows a defined code', () => {
  test('xlinkError() by name, number and 7-digit string: status, code, name, message', () => {
    for (const key of ['DEVICE_BUSY', 4091001, '4091001'] as const) {
      const err = xlinkError(key);
      expect([err.status, err.statusCode, err.code, err.errorName, err.message, err.expose]).toEqual([409, 409, 4091001, 'DEVICE_BUSY', 'Device is busy', true]);
      expect(err).toBeInstanceOf(XlinkError);
      expect(createError.isHttpError(err)).toBe(true);
      expect(JSON.stringify(err)).toBe('{"error":{"code":4091001,"msg":"Device is busy"}}');
    }
  });

  test('a misspelt defined name gets the "did you mean" hint too', () => {
    expect(() => xlinkError('DEVICE_BUZY' as never)).toThrow("xlinkError: unknown Xlink error 'DEVICE_BUZY': did you mean 'DEVICE_BUSY'?");
  });

  test('isXlinkError() and a custom msg for a defined 4xx', () => {
    const err = xlinkError('ACCESS_TOKEN_EXPIRED', { msg: 'Token expired at 12:00' });
    expect(isXlinkError(err)).toBe(true);
    expect(err.toJSON()).toEqual({ error: { code: 4031021, msg: 'Token expired at 12:00' } });
  });

  test('a defined 5xx: not exposed, keeps its stack, and its envelope never shows the thrown message', () => {
    const err = xlinkError('DATABASE_UNAVAILABLE', { msg: 'password=hunter2 at db1' });
    expect([err.status, err.expose]).toEqual([500, false]);
    expect(err.stack).toContain('\n    at ');
    expect(JSON.stringify(err)).toBe('{"error":{"code":5001001,"msg":"Database unavailable"}}');
  });

  test('toXlinkError(): map returning a defined name, code, code string or error', () => {
    const dbError = Object.assign(new Error('lock wait timeout on devices'), { code: 'ER_LOCK_WAIT_TIMEOUT' });
    for (const answer of ['DEVICE_BUSY', 4091001, '4091001', xlinkError('DEVICE_BUSY')] as const) {
      const err = toXlinkError(dbError, { map: () => answer });
      expect([err.status, err.code, err.errorName]).toEqual([409, 4091001, 'DEVICE_BUSY']);
    }
    expect(toXlinkError(dbError, { map: () => 'DEVICE_BUSY' }).cause).toBe(dbError);
    const hidden = toXlinkError(dbError, { map: () => 'DATABASE_UNAVAILABLE' });
    expect([hidden.status, hidden.message, JSON.stringify(hidden)]).toEqual([500, 'Database unavailable', '{"error":{"code":5001001,"msg":"Database unavailable"}}']);
  });

  test('toXlinkError(): a map returning an undefined code still gives a 503', () => {
    expect(toXlinkError(new Error('x'), { map: () => 4091999 as never }).code).toBe(5031001);
  });

  test('xlinkMessage(): English, Chinese, and Chinese falling back to msg', () => {
    expect(xlinkMessage('ACCESS_TOKEN_EXPIRED')).toBe('Access-Token expired');
    expect(xlinkMessage(4031021, 'zh-CN')).toBe('Access-Token过期');
    expect(xlinkMessage('DEVICE_BUSY', 'zh-CN')).toBe('Device is busy');
  });

  test('validateXlinkEnvelope(): defined codes pass in both code formats; unknown ones still fail', () => {
    expect(validateXlinkEnvelope({ error: { code: 4091001, msg: 'Device is busy' } })).toBe(true);
    expect(validateXlinkEnvelope({ error: { code: '4031021', msg: 'x' } }, { codeFormat: 'string' })).toBe(true);
    expect(validateXlinkEnvelope({ error: { code: 4091999, msg: 'x' } })).toBe(false);
  });

  test('validateXlinkEnvelope() compiled before a definition knows the code defined after it', () => {
    const envelope = { error: { code: 4221001, msg: 'Unprocessable' } };
    expect(validateXlinkEnvelope(envelope)).toBe(false);
    expect(validateXlinkEnvelope({ error: { code: '4221001', msg: 'x' } }, { codeFormat: 'string' })).toBe(false);
    defineXlinkErrors({ LATE_DEFINED: { code: 4221001, msg: 'Unprocessable' } });
    expect(validateXlinkEnvelope(envelope)).toBe(true);
    expect(validateXlinkEnvelope({ error: { code: '4221001', msg: 'x' } }, { codeFormat: 'string' })).toBe(true);
  });

  test('xlinkEnvelopeSchema: its enum is read when read, so a validator compiled after a definition knows it', () => {
    const enumOf = (schema: typeof xlinkEnvelopeSchema | typeof xlinkEnvelopeStringSchema) => schema.properties.error.properties.code.enum as readonly unknown[];
    expect(enumOf(xlinkEnvelopeSchema)).not.toContain(4231001);
    const before = new Ajv().compile(xlinkEnvelopeSchema);
    defineXlinkErrors({ SCHEMA_LATE: { code: 4231001, msg: 'Locked' } });
    expect(enumOf(xlinkEnvelopeSchema)).toContain(4231001);
    expect(enumOf(xlinkEnvelopeStringSchema)).toContain('4231001');
    expect(enumOf(xlinkEnvelopeSchema).slice(0, 82)).toEqual(Object.values(XLINK_ERRORS).map((e) => e.code));
    expect(new Ajv().compile(xlinkEnvelopeSchema)({ error: { code: 4231001, msg: 'Locked' } })).toBe(true);
    expect(before({ error: { code: 4231001, msg: 'Locked' } })).toBe(false); // compiled before: as documented
    // Still frozen, and still plain JSON for tools that serialise it.
    expect(Object.isFrozen(enumOf(xlinkEnvelopeSchema))).toBe(true);
    expect(JSON.parse(JSON.stringify(xlinkEnvelopeSchema)).properties.error.properties.code.enum).toContain(4231001);
    expect(structuredClone(xlinkEnvelopeStringSchema).properties.error.properties.code.enum).toContain('4231001');
  });

  test('expectXlinkError() and toBeXlinkError(): defined codes, by name and code, English, Chinese and string codes', () => {
    const busy = { status: 409, headers: json, body: { error: { code: 4091001, msg: 'Device is busy' } } };
    const expiredZh = { status: 403, headers: json, body: { error: { code: '4031021', msg: 'Access-Token过期' } } };
    expect(() => expectXlinkError(busy, 'DEVICE_BUSY')).not.toThrow();
    expect(() => expectXlinkError(busy, 4091001, { locale: 'zh-CN' })).not.toThrow(); // no msgZh: msg
    expect(() => expectXlinkError(expiredZh, 'ACCESS_TOKEN_EXPIRED', { locale: 'zh-CN', codeFormat: 'string' })).not.toThrow();
    expect(busy).toBeXlinkError('DEVICE_BUSY');
    expect(expiredZh).toBeXlinkError('4031021', { locale: 'zh-CN', codeFormat: 'string' });
    expect(busy).not.toBeXlinkError('ACCESS_TOKEN_EXPIRED');
    expect(() => expectXlinkError({ ...busy, status: 400 }, 'DEVICE_BUSY')).toThrow('status: expected 409, received 400');
  });
});

describe('copies of the package share one registry', () => {
  type Package = typeof import('xlink-errors');
  const anotherCopy = (): Package => {
    let copy: Package | undefined;
    jest.isolateModules(() => {
      copy = jest.requireActual<Package>('../src/index');
    });
    return copy!;
  };

  test('another copy knows what this one defined, and this one what the other defines', () => {
    const other = anotherCopy();
    expect(other.XlinkError).not.toBe(XlinkError); // really another copy
    expect(other.xlinkError('DEVICE_BUSY').status).toBe(409);
    other.defineXlinkErrors({ FROM_OTHER_COPY: { code: 4291001, msg: 'Slow down' } });
    expect(xlinkError('FROM_OTHER_COPY' as never).status).toBe(429);
    expect(validateXlinkEnvelope({ error: { code: 4291001, msg: 'x' } })).toBe(true);
    // The same definition from either copy is a no-op; a different one is refused by both.
    expect(() => defineXlinkErrors({ FROM_OTHER_COPY: { code: 4291001, msg: 'Slow down' } })).not.toThrow();
    expect(() => other.defineXlinkErrors({ DEVICE_BUSY: { code: 4091001, msg: 'Busy' } })).toThrow(/differs from the DEVICE_BUSY/);
  });

  test('an error of a defined code from another copy is adopted with its status, code and message', () => {
    const other = anotherCopy();
    const foreign = other.xlinkError('DEVICE_BUSY', { msg: 'Device 42 is busy', headers: { 'Retry-After': '5' } });
    const adopted = toXlinkError(foreign);
    expect(adopted).not.toBe(foreign);
    expect([adopted.status, adopted.code, adopted.errorName, adopted.message, adopted.headers]).toEqual([409, 4091001, 'DEVICE_BUSY', 'Device 42 is busy', { 'Retry-After': '5' }]);
    const foreign5xx = other.xlinkError('DATABASE_UNAVAILABLE', { msg: 'secret' });
    expect(JSON.stringify(toXlinkError(foreign5xx))).toBe('{"error":{"code":5001001,"msg":"Database unavailable"}}');
  });
});

describe('the shared registry: nothing but defineXlinkErrors changes it', () => {
  interface Registry {
    entries(): readonly { name: string; code: number; msg: string; msgZh?: string }[];
    add(entries: readonly unknown[]): void;
  }
  const registry = () => (globalThis as Record<symbol, unknown>)[Symbol.for('xlink-errors.definedErrors.v2')] as Registry;
  const otherCopy = (): { knownRecords: typeof knownRecords; xlinkError: typeof xlinkError } => {
    let other!: { knownRecords: typeof knownRecords; xlinkError: typeof xlinkError };
    jest.isolateModules(() => {
      other = { ...(require('../src/core/catalog') as { knownRecords: typeof knownRecords }), ...(require('xlink-errors') as { xlinkError: typeof xlinkError }) };
    });
    return other;
  };
  const names = (records: readonly { name: string }[]) => records.map((r) => r.name);

  test('its entries are plain frozen data: pushing, emptying or editing them is a TypeError', () => {
    const { entries } = registry();
    expect(Object.isFrozen(registry())).toBe(true);
    expect(JSON.parse(JSON.stringify(entries().slice(0, 2)))).toEqual([
      { name: 'ACCESS_TOKEN_EXPIRED', code: 4031021, msg: 'Access-Token expired', msgZh: 'Access-Token过期' },
      { name: 'DEVICE_BUSY', code: 4091001, msg: 'Device is busy' },
    ]);
    const list = entries() as { name: string; code: number; msg: string }[];
    expect(() => list.push({ name: 'SNEAKY', code: 4041008, msg: 'x' })).toThrow(TypeError);
    expect(() => {
      list.length = 0;
    }).toThrow(TypeError);
    expect(() => {
      list[1]!.msg = 'Changed';
    }).toThrow(TypeError);
    expect(() => {
      (registry() as { add: unknown }).add = () => undefined;
    }).toThrow(TypeError);
    expect(() => Object.defineProperty(globalThis, Symbol.for('xlink-errors.definedErrors.v2'), { value: { entries: () => [], add: () => undefined } })).toThrow(TypeError);
    expect(xlinkError('DEVICE_BUSY').message).toBe('Device is busy');
    expect(names(entries())).not.toContain('SNEAKY');
  });

  test('adding through the registry directly obeys the rules of defineXlinkErrors', () => {
    const before = registry().entries().length;
    for (const refused of [
      [{ name: 'SNEAKY', code: 4041008, msg: 'An official code' }],
      [{ name: 'DEVICE_NOT_FOUND', code: 4041999, msg: 'An official name' }],
      [{ name: 'DEVICE_BUSY', code: 4091001, msg: 'Busy' }],
      [{ name: 'DEVICE_OCCUPIED', code: 4091001, msg: 'Device is busy' }],
      [{ name: 'lower_case', code: 4091992, msg: 'x' }],
      [{ name: 'BAD_CODE', code: 123, msg: 'x' }],
      [{ name: 'NOT_AN_ERROR', code: 2001001, msg: 'x' }],
      [{ name: 'NO_MSG', code: 4091993 }],
      [{ name: 'TWICE_A', code: 4091994, msg: 'a' }, { name: 'TWICE_B', code: 4091994, msg: 'b' }],
      [{ name: 'GOOD_ONE', code: 4091995, msg: 'x' }, null],
      [{
        get name(): string {
          throw new Error('hostile');
        },
      }],
    ]) {
      expect(() => registry().add(refused)).toThrow(TypeError);
    }
    expect(() => registry().add('DEVICE_BUSY' as never)).toThrow(TypeError);
    expect(registry().entries().length).toBe(before);
    expect(() => xlinkError('GOOD_ONE' as never)).toThrow(TypeError);
    // defineXlinkErrors still works, and checks against the entries.
    expect(defineXlinkErrors({ AFTER_ATTEMPTS: { code: 4091991, msg: 'Still fine' } }).AFTER_ATTEMPTS.status).toBe(409);
    expect(() => defineXlinkErrors({ DEVICE_BUSY: { code: 4091001, msg: 'Busy' } })).toThrow(/differs from the DEVICE_BUSY/);
  });

  test('every copy of the package always sees the same entries', () => {
    const other = otherCopy();
    expect(names(other.knownRecords())).toEqual(names(knownRecords()));
    defineXlinkErrors({ SEEN_BY_ALL: { code: 4091996, msg: 'Seen by all' } });
    expect(names(other.knownRecords())).toEqual(names(knownRecords()));
    expect(other.xlinkError('SEEN_BY_ALL' as never).status).toBe(409);
  });
});
