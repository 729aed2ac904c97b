// Type tests for xlink-errors/extended: checked by `tsc` (npm run typecheck), never run.
import {
  XLINK_EXTENDED_ERRORS,
  type XlinkExtendedErrorCode,
  type XlinkExtendedErrorName,
  type XlinkExtendedErrors,
} from 'xlink-errors/extended';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | void {}

// Each name keeps its literal code and texts.
assertType<Equal<typeof XLINK_EXTENDED_ERRORS.ACCESS_TOKEN_EXPIRED.code, 4031021>>();
assertType<Equal<typeof XLINK_EXTENDED_ERRORS.ACCESS_TOKEN_EXPIRED.msg, 'Access-Token expired'>>();
assertType<Equal<typeof XLINK_EXTENDED_ERRORS.USER_LOCKED.msgZh, '用户由于多次输入错误密码已被锁定'>>();
assertType<Equal<XlinkExtendedErrors['USER_LOCKED']['code'], 4001061>>();

// The unions are derived from the data.
assertType<Equal<Extract<XlinkExtendedErrorName, 'ACCESS_TOKEN_EXPIRED'>, 'ACCESS_TOKEN_EXPIRED'>>();
assertType<Equal<Extract<XlinkExtendedErrorCode, 4001061>, 4001061>>();
// @ts-expect-error a misspelt name
XLINK_EXTENDED_ERRORS.ACCESS_TOKEN_EXPIRE;
// @ts-expect-error one of the 82 is not an extended name
const official: XlinkExtendedErrorName = 'DEVICE_NOT_FOUND';
// 4001134, listed twice, keeps its first text; leaving it out keeps every other literal type.
assertType<Equal<typeof XLINK_EXTENDED_ERRORS.HOME_INVITER_REQUIRED.msgZh, '必须为Home邀请者'>>();
const { HOME_INVITER_REQUIRED: _dropped, ...rest } = XLINK_EXTENDED_ERRORS;
assertType<Equal<typeof rest.ACCESS_TOKEN_EXPIRED.code, 4031021>>();
// @ts-expect-error the left-out name is gone from the rest
const leftOut = rest.HOME_INVITER_REQUIRED;

// Read-only, like the frozen object.
// @ts-expect-error entries cannot be reassigned
XLINK_EXTENDED_ERRORS.USER_LOCKED = XLINK_EXTENDED_ERRORS.USER_LOCKED;
// @ts-expect-error fields cannot be reassigned
XLINK_EXTENDED_ERRORS.USER_LOCKED.msg = 'Locked';

// Usable wherever an entry map of { code, msg, msgZh? } is expected.
const asDefinitions: Readonly<Record<string, { readonly code: number; readonly msg: string; readonly msgZh?: string }>> = XLINK_EXTENDED_ERRORS;

void [official, leftOut, asDefinitions];
