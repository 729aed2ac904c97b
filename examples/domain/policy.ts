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
  /** Client addresses whose quotas (CLIENT_LIMITS) are being counted. */
  clients: 20_000,
} as const;

/** A store cap by collection; tests pass lower ones (never 10,000 real requests). */
export type StoreCaps = { readonly [K in keyof typeof STORE_CAPS]: number };

/**
 * What one client (a socket address, see client-address.ts) may do, so that no single one can
 * fill a shared cap: reaching a quota refuses that client only, with a true `Retry-After`.
 * Filling the 10,000-code store takes 200 addresses a day; the user store, 500.
 */
export const CLIENT_LIMITS = {
  /** Verification codes (SMS or email, any purpose) one address may have sent in a day. */
  codeSends: { max: 50, seconds: 24 * 3600 },
  /** Accounts one address may register in a day. */
  registrations: { max: 20, seconds: 24 * 3600 },
} as const;

export type ClientLimits = { readonly [K in keyof typeof CLIENT_LIMITS]: { readonly max: number; readonly seconds: number } };

/**
 * Device shares one user may hold (pending, and finished ones still kept as history): at the
 * cap the user's finished ones are forgotten first; all pending, the user is refused until the
 * earliest one expires.
 */
export const SHARES_PER_USER = 100;

/** An extension property value, as written: its JSON at most this long and this deep. */
export const PROPERTY_VALUE_LIMITS = { bytes: 4096, depth: 8 } as const;

/** `XLINK_TWO_FACTOR=email`: the emailed login code lives this long ("the same rules" as the other codes). */
export const TWO_FACTOR_CODE_SECONDS = 10 * 60;

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
  /** 4001052 too, with its own message: a code was sent to this phone or email less than a minute ago. */
  codeResendWait: 'SMS_DAILY_LIMIT_REACHED',
  /** 4001080 "配额达到上限", with its own message: this address asked for CLIENT_LIMITS.codeSends codes today. */
  clientCodes: 'QUOTA_LIMIT_REACHED',
  /** 4001080, with its own message: this address registered CLIENT_LIMITS.registrations accounts today. */
  clientRegistrations: 'QUOTA_LIMIT_REACHED',
  /** 4001080, with its own message: this user holds SHARES_PER_USER pending shares. */
  userShares: 'QUOTA_LIMIT_REACHED',
} as const satisfies Record<string, keyof typeof EXTENDED_ERRORS>;

/** Limits that share a code get their own message, so a client (and its user) can tell them apart. */
export const LIMIT_MESSAGES: Partial<Record<keyof typeof LIMIT_ERRORS, string>> = {
  codeResendWait: 'A code was sent less than a minute ago; wait before asking again',
  clientCodes: 'Too many verification codes requested from this address today',
  clientRegistrations: 'Too many accounts registered from this address today',
  userShares: 'Too many pending device shares; cancel one or wait until one expires',
};

/**
 * `xlinkError` for the names registered above at runtime. They are not added to the
 * `XlinkErrorRegister` type here: the example shares one TypeScript project with the library's
 * own type tests, which must see only what they register. An application declares them there
 * (`declare module 'xlink-errors' { interface XlinkErrorRegister { extended: typeof EXTENDED_ERRORS } }`).
 */
const laterError = xlinkError as (key: (typeof LIMIT_ERRORS)[keyof typeof LIMIT_ERRORS], options?: XlinkErrorOptions) => XlinkError;

/** A limit hit: the error, with `Retry-After` when waiting helps. */
export function limitError(which: keyof typeof LIMIT_ERRORS, retryAfterSeconds?: number) {
  const msg = LIMIT_MESSAGES[which];
  return laterError(LIMIT_ERRORS[which], {
    stack: false,
    ...(msg === undefined ? {} : { msg }),
    ...(retryAfterSeconds === undefined ? {} : { headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) } }),
  });
}

/**
 * The store is full: a 503 whose reason goes to the log, never to the client. `Retry-After` only
 * when it is true: when the earliest entry expires (none when nothing will expire by itself).
 */
export function storeFull(what: keyof typeof STORE_CAPS, cap: number, retryAfterMs?: number) {
  return xlinkError('SERVER_EXCEPTION', {
    cause: new Error(`example store full: ${cap} ${what} (see STORE_CAPS in examples/domain/policy.ts)`),
    ...(retryAfterMs === undefined || !Number.isFinite(retryAfterMs) ? {} : { headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) } }),
  });
}
