// Type tests of registered codes: checked by `tsc` (npm run typecheck), never run. The codes of
// test/helpers/app-errors.ts are registered as README shows; this file registers a second map.
import express from 'express';
import Koa from 'koa';
import {
  XLINK_ERRORS,
  defineXlinkErrors,
  isXlinkError,
  toXlinkError,
  xlinkError,
  xlinkErrorHandler,
  xlinkMessage,
  type XlinkCodeOf,
  type XlinkError,
  type XlinkErrorCode,
  type XlinkErrorEntry,
  type XlinkErrorKey,
  type XlinkErrorName,
  type XlinkNameOf,
  type XlinkStatus,
  type XlinkStatusOf,
} from 'xlink-errors';
import { xlinkErrorHandler as xlinkKoaErrorHandler } from 'xlink-errors/koa';
import { expectXlinkError, xlinkMatchers } from 'xlink-errors/testing';
import { appErrors } from '../helpers/app-errors';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | void {}

// A bare call placed before the registration below must not make the registration circular.
// @ts-expect-error misspelt name
xlinkError('DEVICE_BUZY');

// A second registered map, without `as const` (the parameter keeps literals by itself).
const moreErrors = defineXlinkErrors({
  TOO_MANY_REQUESTS: { code: 4291001, msg: 'Too many requests', msgZh: '请求过于频繁' },
});
declare module 'xlink-errors' {
  interface XlinkErrorRegister {
    more: typeof moreErrors;
  }
}

// What defineXlinkErrors returns: literal codes and messages, the status derived from the code.
assertType<Equal<typeof appErrors.DEVICE_BUSY.code, 4091001>>();
assertType<Equal<typeof appErrors.DEVICE_BUSY.status, 409>>();
assertType<Equal<typeof appErrors.ACCESS_TOKEN_EXPIRED.status, 403>>();
assertType<Equal<typeof appErrors.DATABASE_UNAVAILABLE.status, 500>>();
assertType<Equal<typeof appErrors.ACCESS_TOKEN_EXPIRED.msgZh, 'Access-Token过期'>>();
assertType<Equal<typeof moreErrors.TOO_MANY_REQUESTS.code, 4291001>>();
assertType<Equal<typeof moreErrors.TOO_MANY_REQUESTS.status, 429>>();
// @ts-expect-error DEVICE_BUSY has no msgZh
void appErrors.DEVICE_BUSY.msgZh;
// @ts-expect-error the entries are read-only
appErrors.DEVICE_BUSY.msg = 'x';
// @ts-expect-error msg is a string
defineXlinkErrors({ BAD_MSG: { code: 4091002, msg: 42 } });
// @ts-expect-error msg is required
defineXlinkErrors({ NO_MSG: { code: 4091003 } });
// @ts-expect-error code is a number
defineXlinkErrors({ STRING_CODE: { code: '4091004', msg: 'x' } });

// The registered names and codes widen the unions; the official ones stay.
assertType<Equal<Extract<XlinkErrorName, 'DEVICE_BUSY' | 'ACCESS_TOKEN_EXPIRED' | 'TOO_MANY_REQUESTS' | 'DEVICE_NOT_FOUND'>, 'DEVICE_BUSY' | 'ACCESS_TOKEN_EXPIRED' | 'TOO_MANY_REQUESTS' | 'DEVICE_NOT_FOUND'>>();
assertType<Equal<Extract<XlinkErrorCode, 4091001 | 4031021 | 4291001 | 4041008>, 4091001 | 4031021 | 4291001 | 4041008>>();
assertType<Equal<Extract<XlinkErrorKey, '4091001'>, '4091001'>>();
assertType<Equal<XlinkStatus, 400 | 403 | 404 | 409 | 429 | 500 | 503>>();
assertType<Equal<XlinkCodeOf<'DEVICE_BUSY'>, 4091001>>();
assertType<Equal<XlinkNameOf<4031021>, 'ACCESS_TOKEN_EXPIRED'>>();
assertType<Equal<XlinkStatusOf<4291001>, 429>>();
assertType<Equal<XlinkErrorEntry<'DEVICE_BUSY'>, { readonly code: 4091001; readonly status: 409; readonly msg: 'Device is busy' }>>();
// @ts-expect-error misspelt names still fail
const badName: XlinkErrorName = 'DEVICE_BUZY';
// @ts-expect-error undefined codes still fail
const badCode: XlinkErrorCode = 4091009;
// @ts-expect-error XLINK_ERRORS is the official catalog only
void XLINK_ERRORS.DEVICE_BUSY;

// Errors keep the literal status and code of each name, by name, code or 7-digit string.
const busy = xlinkError('DEVICE_BUSY');
assertType<Equal<typeof busy.status, 409>>();
assertType<Equal<typeof busy.code, 4091001>>();
assertType<Equal<typeof busy.errorName, 'DEVICE_BUSY'>>();
const expired = xlinkError(4031021);
const down = xlinkError('5001001');
const tooMany = xlinkError('TOO_MANY_REQUESTS');
assertType<Equal<typeof expired.errorName, 'ACCESS_TOKEN_EXPIRED'>>();
assertType<Equal<typeof down.status, 500>>();
assertType<Equal<typeof tooMany.status, 429>>();
const typedBusy: XlinkError<'DEVICE_BUSY'> = busy;
// @ts-expect-error misspelt name
xlinkError('DEVICE_BUZY');
// @ts-expect-error undefined code
xlinkError(4091009);
// @ts-expect-error undefined code string
xlinkError('4091009');

// The guard narrows to names that include the registered ones.
const thrown: unknown = busy;
if (isXlinkError(thrown) && thrown.errorName === 'DEVICE_BUSY') void thrown.status;
const zh: string = xlinkMessage('ACCESS_TOKEN_EXPIRED', 'zh-CN');

// map returns a registered name or code, inline, in toXlinkError and both handlers.
const mapped = toXlinkError(new Error('lock'), { map: (err) => (err instanceof RangeError ? 'DEVICE_BUSY' : 4031021) });
// @ts-expect-error misspelt name from map
toXlinkError(new Error('lock'), { map: () => 'DEVICE_BUZY' });
express().use(xlinkErrorHandler({ map: () => 'DEVICE_BUSY', onError: (_err, xlinkErr) => void (xlinkErr.status === 409) }));
new Koa().use(xlinkKoaErrorHandler({ map: () => 'ACCESS_TOKEN_EXPIRED', locale: 'zh-CN' }));
// @ts-expect-error misspelt name from the Koa handler's map
xlinkKoaErrorHandler({ map: () => 'DEVICE_BUZY' });

// The testing helpers take registered keys; misspellings fail there too.
expect.extend(xlinkMatchers);
expectXlinkError({ status: 409 }, 'DEVICE_BUSY');
expectXlinkError({ status: 403 }, 4031021, { locale: 'zh-CN' });
expect({}).toBeXlinkError('TOO_MANY_REQUESTS');
expect({}).not.toBeXlinkError('4091001');
// @ts-expect-error misspelt name
expectXlinkError({ status: 409 }, 'DEVICE_BUZY');
// @ts-expect-error misspelt name
expect({}).toBeXlinkError('DEVICE_BUZY');

void [badName, badCode, typedBusy, zh, mapped];
