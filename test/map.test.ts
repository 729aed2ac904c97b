import createError from 'http-errors';
import { XLINK_ERRORS, XlinkError, toXlinkError, xlinkError } from 'xlink-errors';
import { falsyRows, mappingRows } from './helpers/mapping-rows';

describe('toXlinkError(): the default mapping of API.md', () => {
  test.each([...mappingRows, ...falsyRows].map((r) => [r.title, r] as const))('%s', (_title, row) => {
    const thrown = row.thrown();
    const err = toXlinkError(thrown);
    expect(err).toBeInstanceOf(XlinkError);
    expect(err.errorName).toBe(row.expected);
    expect(err.cause).toBe(thrown);
  });

  test('an XlinkError stays the very same object', () => {
    const err = xlinkError('DEVICE_NOT_FOUND');
    expect(toXlinkError(err)).toBe(err);
  });

  test('a foreign 4xx keeps its valid headers, a 5xx none', () => {
    const unauthorized = createError(401, { headers: { 'WWW-Authenticate': 'Token', 'Bad\nName': 'x', 'X-Bad': 'a\r\nb' } });
    expect(toXlinkError(unauthorized).headers).toEqual({ 'WWW-Authenticate': 'Token' });
    expect(toXlinkError(createError(500, { headers: { 'X-Internal': 'db1' } })).headers).toBeUndefined();
  });

  test('a 503 keeps the thrown message for logs; non-errors are described', () => {
    expect(toXlinkError(new Error('db down')).message).toBe('db down');
    expect(toXlinkError({ a: 1 }).message).toBe('Non-error thrown: { a: 1 }');
  });

  test('an XlinkError from another copy is rebuilt from its name, with its msg and headers', () => {
    const other = Object.assign(Object.create({ [Symbol.for('xlink-errors.XlinkError')]: true }), {
      errorName: 'USER_NOT_FOUND',
      message: 'No such user',
      headers: { 'X-A': '1' },
    });
    const err = toXlinkError(other);
    expect(err).toMatchObject({ code: 4041011, status: 404, message: 'No such user', headers: { 'X-A': '1' } });
  });

  test('a forged marker with garbage fields gives a 503', () => {
    const forged = Object.create({ [Symbol.for('xlink-errors.XlinkError')]: true, errorName: 'NOPE' });
    expect(toXlinkError(forged).code).toBe(5031001);
  });

  describe('options.map', () => {
    class DbError extends Error {}
    test.each<[string, () => unknown, number]>([
      ['an XlinkError', () => xlinkError('DEVICE_NOT_FOUND'), 4041008],
      ['a name', () => 'USER_NOT_FOUND', 4041011],
      ['a code', () => 4001007, 4001007],
      ['a code string', () => '4031003', 4031003],
      ['undefined, for the defaults', () => undefined, 5031001],
      ['garbage: an unknown name', () => 'NOT_A_NAME', 5031001],
      ['garbage: an object', () => ({ code: 4041008 }), 5031001],
      ['nothing: it throws', () => { throw new Error('map broke'); }, 5031001],
    ])('returning %s', (_what, map, code) => {
      expect(toXlinkError(new DbError('x'), { map: map as never }).code).toBe(code);
    });

    test('a mapped XlinkError made from a key keeps the thrown value as cause', () => {
      const thrown = new DbError('x');
      expect(toXlinkError(thrown, { map: () => 'USER_NOT_FOUND' }).cause).toBe(thrown);
    });
  });

  test('every catalog entry thrown maps to itself', () => {
    for (const name of Object.keys(XLINK_ERRORS) as (keyof typeof XLINK_ERRORS)[]) expect(toXlinkError(xlinkError(name)).errorName).toBe(name);
  });
});
