import { XlinkError, toXlinkError, xlinkError, xlinkMessage } from 'xlink-errors';
import { expectXlinkError, xlinkMatchers } from 'xlink-errors/testing';
import { didYouMean } from '../src/core/suggest';

const names = ['DEVICE_NOT_FOUND', 'USER_NOT_FOUND', 'DEVICE_MAC_EXISTS', 'URL_NOT_FOUND'];
const hint = "unknown Xlink error 'DEVICE_NOT_FOND': did you mean 'DEVICE_NOT_FOUND'?";

describe('didYouMean()', () => {
  test.each([
    ['DEVICE_NOT_FOND', 'DEVICE_NOT_FOUND'], // a letter missing
    ['DEVICE_NOT_FUOND', 'DEVICE_NOT_FOUND'], // two letters swapped
    ['DEVICE_NOT_FOUNDD', 'DEVICE_NOT_FOUND'], // a letter too many
    ['device_not_found', 'DEVICE_NOT_FOUND'], // case
    ['device-not-found', 'DEVICE_NOT_FOUND'], // dashes
    ['USR_NOT_FOUND', 'USER_NOT_FOUND'],
  ])('%s finds %s', (input, expected) => {
    expect(didYouMean(input, names)).toBe(expected);
  });

  test.each([['DEVICE_MISSING'], ['NOPE'], [''], ['X'.repeat(10_000)]])('%s is too far from every name: no hint', (input) => {
    expect(didYouMean(input, names)).toBeUndefined();
  });

  test('the closest candidate wins, the first on a tie', () => {
    expect(didYouMean('XSER_NOT_FOUND', ['USER_NOT_FOUNX', 'YSER_NOT_FOUND'])).toBe('YSER_NOT_FOUND');
    expect(didYouMean('XSER_NOT_FOUND', ['USER_NOT_FOUND', 'YSER_NOT_FOUND'])).toBe('USER_NOT_FOUND');
  });
});

describe('every function that takes a catalog key hints at the name meant', () => {
  test('xlinkError() and new XlinkError()', () => {
    expect(() => xlinkError('DEVICE_NOT_FOND' as never)).toThrow(new TypeError(`xlinkError: ${hint}`));
    expect(() => new XlinkError('DEVICE_NOT_FOND' as never)).toThrow(new TypeError(`xlinkError: ${hint}`));
  });

  test('xlinkMessage()', () => {
    expect(() => xlinkMessage('DEVICE_NOT_FOND' as never)).toThrow(new TypeError(`xlinkMessage: ${hint}`));
  });

  test('a name returned by map: the 503 keeps the hint in its cause, for the logs', () => {
    const thrown = new Error('offline');
    const err = toXlinkError(thrown, { map: () => 'DEVICE_NOT_FOND' as never });
    expect(err.errorName).toBe('SERVER_EXCEPTION');
    const [original, failure] = (err.cause as AggregateError).errors;
    expect(original).toBe(thrown);
    expect(failure).toEqual(new TypeError(`xlink-errors: map() returned: ${hint}`));
  });

  test('expectXlinkError() and toBeXlinkError()', () => {
    const res = { status: 404, headers: {}, body: {} };
    expect(() => expectXlinkError(res, 'DEVICE_NOT_FOND' as never)).toThrow(new TypeError(`expectXlinkError: ${hint}`));
    expect(() => xlinkMatchers.toBeXlinkError.call({}, res, 'DEVICE_NOT_FOND' as never)).toThrow(new TypeError(`expectXlinkError: ${hint}`));
  });

  test('a key with nothing close says what a key looks like', () => {
    expect(() => xlinkError('DEVICE_MISSING' as never)).toThrow(
      new TypeError("xlinkError: unknown Xlink error 'DEVICE_MISSING': expected a catalog name such as 'DEVICE_NOT_FOUND' or a 7-digit code string such as '4041008'"),
    );
  });
});
