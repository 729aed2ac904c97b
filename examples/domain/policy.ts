/**
 * The example's security and memory policy, in one place: how long things live, how many
 * guesses and sends are allowed, how much the in-memory store may hold, and which catalog
 * error answers each limit.
 */
import { defineXlinkErrors, xlinkError, type XlinkError, type XlinkErrorOptions } from 'xlink-errors';
import { XLINK_EXTENDED_ERRORS } from 'xlink-errors/extended';

export const ACCESS_TOKEN_SECONDS = 7200; // "调用凭证有效期为2个小时"
/** The longest lifetime XLINK_ACCESS_TOKEN_SECONDS may set: 30 days. */
const MAX_ACCESS_TOKEN_SECONDS = 30 * 24 * 3600;

/**
 * The access-token lifetime in force, in seconds: `XLINK_ACCESS_TOKEN_SECONDS` when set (so a
 * client's refresh path can be tried in seconds), else ACCESS_TOKEN_SECONDS. A value that is not
 * a whole number of seconds from 1 to 30 days is a TypeError naming the variable.
 */
export function accessTokenSeconds(value: string | undefined = process.env.XLINK_ACCESS_TOKEN_SECONDS): number {
  if (value === undefined || value === '') return ACCESS_TOKEN_SECONDS;
  const seconds = /^[1-9]\d*$/.test(value) ? Number(value) : NaN;
  if (!(seconds <= MAX_ACCESS_TOKEN_SECONDS)) {
    throw new TypeError(`XLINK_ACCESS_TOKEN_SECONDS must be a whole number of seconds from 1 to ${MAX_ACCESS_TOKEN_SECONDS}, got ${JSON.stringify(value)}`);
  }
  return seconds;
}
/** How long an expired session is remembered, so its token answers "expired" rather than "invalid". */
export const EXPIRED_SESSION_MEMORY_SECONDS = 3600;
export const SMS_CODE_SECONDS = 120; // "手机验证码有效期是120秒"
export const ACTIVATION_CODE_SECONDS = 24 * 3600;
export const RESET_EMAIL_CODE_SECONDS = 30 * 60;

/** Wrong guesses a verification code survives: the fifth wrong one voids it. */
export const CODE_MAX_WRONG_GUESSES = 5;
/** One code per phone or email per minute, and so many a day. */
export const CODE_RESEND_SECONDS = 60;
export const CODE_DAILY_SENDS = 10;

/** The Xlink docs (找回密码): "1分钟内输入错误密码5次，将锁定用户，限制5分钟内不能登录". */
export const LOGIN_MAX_WRONG_PASSWORDS = 5;
export const LOGIN_FAILURE_WINDOW_SECONDS = 60;
export const LOGIN_LOCK_SECONDS = 5 * 60;

/** Sessions one user may hold at once; the oldest goes first. */
export const SESSIONS_PER_USER = 20;

/** Device extension properties: "扩展属性限制为10个". */
export const DEVICE_PROPERTY_LIMIT = 10;

/** What the in-memory store may hold: beyond this, a clear 503 instead of growing without end. */
export const STORE_CAPS = {
  users: 10_000,
  sessions: 20_000,
  codes: 10_000,
  loginFailures: 10_000,
  shares: 10_000,
} as const;

/**
 * The later official codes of the Xlink table, from `xlink-errors/extended`, registered with the
 * package once: every handler, locale and test helper knows them from then on.
 */
export const EXTENDED_ERRORS = defineXlinkErrors(XLINK_EXTENDED_ERRORS);

/** The error each limit answers with: the platform's own later codes. */
export const LIMIT_ERRORS = {
  /** 4031021 "Access-Token过期". */
  tokenExpired: 'ACCESS_TOKEN_EXPIRED',
  /** 4031022 "Access-Token被刷新": a token that a refresh replaced. */
  tokenRefreshed: 'ACCESS_TOKEN_REFRESHED',
  /** 4001052 "该手机今日发送短信的次数已达上限" (also for the once-a-minute limit, with its Retry-After). */
  tooManyCodes: 'SMS_DAILY_LIMIT_REACHED',
  /** 4001061 "用户由于多次输入错误密码已被锁定". */
  accountLocked: 'USER_LOCKED',
} as const satisfies Record<string, keyof typeof EXTENDED_ERRORS>;

/**
 * `xlinkError` for the names registered above at runtime. They are not added to the
 * `XlinkErrorRegister` type here: the example shares one TypeScript project with the library's
 * own type tests, which must see only what they register. An application declares them there
 * (`declare module 'xlink-errors' { interface XlinkErrorRegister { extended: typeof EXTENDED_ERRORS } }`).
 */
const laterError = xlinkError as (key: (typeof LIMIT_ERRORS)[keyof typeof LIMIT_ERRORS], options?: XlinkErrorOptions) => XlinkError;

/** A limit hit: the error, with `Retry-After` when waiting helps. */
export function limitError(which: keyof typeof LIMIT_ERRORS, retryAfterSeconds?: number) {
  return laterError(LIMIT_ERRORS[which], {
    stack: false,
    ...(retryAfterSeconds === undefined ? {} : { headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) } }),
  });
}

/** The store is full: a 503 whose reason goes to the log, never to the client. */
export function storeFull(what: keyof typeof STORE_CAPS) {
  return xlinkError('SERVER_EXCEPTION', {
    cause: new Error(`example store full: ${STORE_CAPS[what]} ${what} (see STORE_CAPS in examples/domain/policy.ts)`),
    headers: { 'Retry-After': '60' },
  });
}
