/**
 * The Xlink User Identity and Device Sharing APIs, framework-free: every failure is an
 * `xlinkError(...)` from the catalog. The Express and Koa examples only wire HTTP to this.
 */
import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { xlinkError } from 'xlink-errors';
import { BoundedMap } from './bounded-map';
import { ClientQuota } from './client-quota';
import { hashPassword, passwordMatches } from './passwords';
import {
  ACTIVATION_CODE_SECONDS,
  CLIENT_LIMITS,
  CODE_DAILY_SENDS,
  CODE_MAX_WRONG_GUESSES,
  CODE_RESEND_SECONDS,
  DEVICE_PROPERTY_LIMIT,
  EXPIRED_SESSION_MEMORY_SECONDS,
  LOGIN_FAILURE_WINDOW_SECONDS,
  LOGIN_LOCK_SECONDS,
  LOGIN_MAX_WRONG_PASSWORDS,
  PROPERTY_VALUE_LIMITS,
  RESET_EMAIL_CODE_SECONDS,
  SHARES_PER_USER,
  SMS_CODE_SECONDS,
  STORE_CAPS,
  TWO_FACTOR_CODE_SECONDS,
  accessTokenSeconds,
  limitError,
  storeFull,
  type ClientLimits,
  type StoreCaps,
} from './policy';
import { canonicalPhone, type Device, type Session, type Share, type Store, type User } from './store';

/** Where verification codes go: the console in the example, an SMS or mail gateway for real. */
export interface Notifier {
  send(to: string, what: string, code: string): void;
}

export const consoleNotifier: Notifier = {
  send: (to, what, code) => console.log(`[xlink-example] ${what} for ${to}: ${code}`),
};

/** An account as requests name it: an email or a phone (with its zone). */
export interface Account {
  corp_id: string;
  email?: string;
  phone?: string;
  phone_zone?: string;
}

/** The codes sent to one phone or email for one purpose, kept for a day to count the sends. */
interface CodeRecord {
  /** The live code; undefined once used or voided. */
  code?: string;
  expiresAt: number;
  wrongGuesses: number;
  /** Voided by too many wrong guesses: answered as invalid until a new code is sent. */
  voided: boolean;
  sends: number;
  lastSentAt: number;
  /** When the daily count starts again (and the record may go). */
  dayEndsAt: number;
}

interface LoginFailures {
  count: number;
  /** When the first of these wrong passwords was given: the window counts from it. */
  firstAt: number;
  lockedUntil: number;
}

const DAY_MS = 24 * 3600 * 1000;
/** Keys that mean something to JavaScript objects: refused like the documented illegal ones. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Fields of a device record that extension properties may not use. */
const RESERVED_PROPERTY_KEYS = new Set(['id', 'mac', 'product_id', 'name', 'is_active', 'active_date', 'is_online', 'last_login', 'active_code', 'authorize_code', 'mcu_mod', 'mcu_version', 'firmware_mod', 'firmware_version', 'access_key', 'role', 'authority', 'source', 'soft_init_date', 'sn', 'subscribe_date', 'groups']);

/** How the service is set up: the example's defaults, or lower caps from a test. */
export interface ServiceOptions {
  /** `'email'` (XLINK_TWO_FACTOR=email): password logins by email need an emailed code too. */
  twoFactor?: 'email';
  /** Caps of the service's own collections (codes, login failures, counted clients). */
  caps?: Partial<StoreCaps>;
  clientLimits?: Partial<ClientLimits>;
  sharesPerUser?: number;
  /** Proxies in front of the server whose `X-Forwarded-For` entry is trusted (XLINK_TRUST_PROXY): see client-address.ts. */
  trustedProxies?: number;
}

const token = () => randomBytes(24).toString('hex');
const sixDigits = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

export class XlinkService {
  /** Verification codes by purpose and account: `register:<corp>:+86 138...`, `forgot:1001`... */
  private readonly codes: BoundedMap<string, CodeRecord>;
  /** Wrong passwords by user id, forgotten a lock period after the last one. */
  private readonly loginFailures: BoundedMap<number, LoginFailures>;
  /** Per-address quotas (CLIENT_LIMITS): codes sent, accounts registered. */
  private readonly clientCodes: ClientQuota;
  private readonly clientRegistrations: ClientQuota;
  private readonly sharesPerUser: number;
  /** Whether password logins by email need an emailed code (XLINK_TWO_FACTOR=email). */
  readonly twoFactor: 'email' | undefined;
  readonly trustedProxies: number;
  /** Access tokens a refresh replaced, remembered as long as expired sessions are: they answer 4031022. */
  private readonly replacedTokens: BoundedMap<string, true>;
  /** The access-token lifetime in force (XLINK_ACCESS_TOKEN_SECONDS, default 7200), read when the service starts. */
  readonly accessTokenSeconds = accessTokenSeconds();

  /** `now` is the clock for every expiry and limit: tests pass one they control. */
  constructor(
    private readonly store: Store,
    private readonly notifier: Notifier = consoleNotifier,
    private readonly now: () => number = Date.now,
    options: ServiceOptions = {},
  ) {
    const caps = { ...STORE_CAPS, ...options.caps };
    const limits = { ...CLIENT_LIMITS, ...options.clientLimits };
    this.codes = new BoundedMap(caps.codes, now, (ms) => storeFull('codes', caps.codes, ms));
    this.loginFailures = new BoundedMap(caps.loginFailures, now, (ms) => storeFull('loginFailures', caps.loginFailures, ms));
    const clientsFull = (ms: number) => storeFull('clients', caps.clients, ms);
    this.clientCodes = new ClientQuota(limits.codeSends, now, (s) => limitError('clientCodes', s), caps.clients, clientsFull);
    this.clientRegistrations = new ClientQuota(limits.registrations, now, (s) => limitError('clientRegistrations', s), caps.clients, clientsFull);
    this.sharesPerUser = options.sharesPerUser ?? SHARES_PER_USER;
    this.twoFactor = options.twoFactor;
    this.trustedProxies = options.trustedProxies ?? 0;
    this.replacedTokens = new BoundedMap(caps.sessions, now, (ms) => storeFull('sessions', caps.sessions, ms));
  }

  /** How much the service holds now: what the caps bound. */
  sizes() {
    return { ...this.store.sizes(), codes: this.codes.size, loginFailures: this.loginFailures.size, clients: Math.max(this.clientCodes.size, this.clientRegistrations.size) };
  }

  // --- Access tokens -------------------------------------------------------------------------

  /**
   * The user of an `Access-Token` header: 4031002 without one, 4031003 for an unknown or revoked
   * one, "refreshed" (4031022) for one a refresh replaced, "expired" (4031021) for an expired one.
   */
  authenticate(accessToken: string | undefined): number {
    if (accessToken === undefined || accessToken === '') throw xlinkError('ACCESS_TOKEN_REQUIRED');
    const session = this.store.sessionByAccessToken(accessToken);
    if (session === undefined) {
      if (this.replacedTokens.get(accessToken) === true) throw limitError('tokenRefreshed');
      throw xlinkError('ACCESS_TOKEN_INVALID', { stack: false });
    }
    if (session.expiresAt <= this.now()) throw limitError('tokenExpired');
    return session.userId;
  }

  // --- Registration --------------------------------------------------------------------------

  /**
   * POST /v2/user_register/verifycode: an SMS code for registering a phone. `client` is the
   * caller's address (client-address.ts), for its quota; in-process callers leave it out.
   */
  sendRegisterSms(input: { corp_id: string; phone: string; phone_zone?: string }, client?: string): void {
    this.requireCorp(input.corp_id);
    if (this.store.userByAccount(input.corp_id, { phone: input.phone })) throw xlinkError('PHONE_ALREADY_REGISTERED');
    this.issueCode(`register:${input.corp_id}:${zoned(input)}`, zoned(input), 'SMS registration code', SMS_CODE_SECONDS, client);
  }

  /**
   * POST /v2/user_register, by email: the account waits for activation (an emailed code) and is
   * purged if not activated while its code lives. Registrations count against the address's quota.
   */
  registerByEmail(input: { email: string; corp_id: string; password: string; source: number | string; nickname?: string; local_lang?: string }, client?: string) {
    this.requireCorp(input.corp_id);
    const activateKey = `activate:${input.corp_id}:${input.email.toLowerCase()}`;
    const existing = this.store.userByAccount(input.corp_id, { email: input.email });
    if (existing !== undefined) {
      // The same registration again, before activation (same password): a new activation code,
      // the way to replace one voided by wrong guesses. Anyone else: already registered.
      if (existing.is_vaild || !passwordMatches(input.password, existing.passwordHash)) throw xlinkError('EMAIL_ALREADY_REGISTERED');
      this.issueCode(activateKey, input.email, 'activation code', ACTIVATION_CODE_SECONDS, client);
      this.store.expireUnactivated(existing.id, this.now() + ACTIVATION_CODE_SECONDS * 1000);
      return { email: existing.email, status: 1 };
    }
    this.clientRegistrations.check(client);
    this.clientCodes.check(client); // before the cost of hashing: no code, no account
    const user = this.store.addUser({
      corp_id: input.corp_id,
      email: input.email,
      phone_zone: '+86',
      nickname: input.nickname ?? input.email.split('@')[0]!,
      passwordHash: hashPassword(input.password),
      source: Number(input.source),
      local_lang: input.local_lang ?? 'zh-cn',
      status: 1,
      is_vaild: false,
      gender: -1,
      age: 0,
      create_date: new Date(this.now()).toISOString(),
    });
    try {
      this.issueCode(activateKey, input.email, 'activation code', ACTIVATION_CODE_SECONDS, client);
    } catch (err) {
      this.store.removeUser(user); // no code, no account: nothing accumulates while codes are refused
      throw err;
    }
    this.store.expireUnactivated(user.id, this.now() + ACTIVATION_CODE_SECONDS * 1000);
    this.clientRegistrations.spend(client);
    return { email: input.email, status: 1 };
  }

  /** POST /v2/user_email_activate. */
  activateEmail(input: { corp_id: string; email: string; verifycode: string }): void {
    this.requireCorp(input.corp_id);
    const user = this.store.userByAccount(input.corp_id, { email: input.email });
    if (user === undefined) throw xlinkError('USER_NOT_FOUND');
    this.useCode(`activate:${input.corp_id}:${input.email.toLowerCase()}`, input.verifycode, 'email');
    user.is_vaild = true;
  }

  /** POST /v2/user_register, by phone, with the SMS code. */
  registerByPhone(input: { phone: string; phone_zone?: string; nickname: string; corp_id: string; verifycode: string; password: string; source: number | string; local_lang?: string }) {
    this.requireCorp(input.corp_id);
    if (this.store.userByAccount(input.corp_id, { phone: input.phone })) throw xlinkError('PHONE_ALREADY_REGISTERED');
    this.useCode(`register:${input.corp_id}:${zoned(input)}`, input.verifycode, 'sms');
    const phone = canonicalPhone(input.phone);
    this.store.addUser({
      corp_id: input.corp_id,
      phone,
      phone_zone: input.phone_zone ?? '+86',
      nickname: input.nickname,
      passwordHash: hashPassword(input.password),
      source: Number(input.source),
      local_lang: input.local_lang ?? 'zh-cn',
      status: 1,
      is_vaild: true,
      gender: -1,
      age: 0,
      create_date: new Date(this.now()).toISOString(),
    });
    return { phone };
  }

  // --- Login and tokens ----------------------------------------------------------------------

  /**
   * POST /v2/user_auth. As the Xlink docs say, 5 wrong passwords within a minute lock the
   * account for 5 minutes (the lock answers even the right password, and costs no hashing);
   * a right one clears the count. With XLINK_TWO_FACTOR=email a login by email needs `twoFactor`
   * too, the emailed code (POST /v2/user_auth/two_factor): without it, 400 4001028.
   */
  login(input: Account & { password: string; resource?: string | number }, twoFactor?: string, client?: string) {
    const user = this.findAccount(input);
    const now = this.now();
    const failures = this.loginFailures.get(user.id);
    if (failures !== undefined && failures.lockedUntil > now) throw limitError('accountLocked', (failures.lockedUntil - now) / 1000);
    if (!passwordMatches(input.password, user.passwordHash)) {
      const window = failures !== undefined && failures.lockedUntil === 0 ? failures : { count: 0, firstAt: now, lockedUntil: 0 };
      window.count += 1;
      if (window.count >= LOGIN_MAX_WRONG_PASSWORDS) {
        window.lockedUntil = now + LOGIN_LOCK_SECONDS * 1000;
        this.loginFailures.set(user.id, window, window.lockedUntil);
        throw limitError('accountLocked', LOGIN_LOCK_SECONDS);
      }
      this.loginFailures.set(user.id, window, window.firstAt + LOGIN_FAILURE_WINDOW_SECONDS * 1000);
      throw xlinkError('PASSWORD_WRONG', { stack: false });
    }
    this.loginFailures.delete(user.id);
    if (user.status !== 1) throw xlinkError('USER_STATUS_ILLEGAL');
    if (!user.is_vaild) throw xlinkError(user.email !== undefined ? 'USER_EMAIL_UNVERIFIED' : 'USER_PHONE_UNVERIFIED');
    this.checkTwoFactor(user, input, twoFactor, client);
    const session = this.openSession(user.id);
    return {
      user_id: user.id,
      access_token: session.accessToken,
      refresh_token: session.refreshToken,
      expire_in: this.accessTokenSeconds,
      authorize: randomBytes(8).toString('hex'),
    };
  }

  /**
   * POST /v2/user/token/refresh: the refresh token alone is enough (clients send it without an
   * Access-Token header). It is spent by use (the new pair replaces the old one) and expires with
   * its access token, as the Xlink docs say (刷新凭证: once the access token has expired, log in again).
   */
  refresh(input: { refresh_token: string }) {
    const old = this.store.sessionByRefreshToken(input.refresh_token);
    if (old === undefined) throw xlinkError('REFRESH_TOKEN_ILLEGAL', { stack: false });
    this.store.removeSession(old);
    if (old.expiresAt <= this.now()) throw xlinkError('REFRESH_TOKEN_ILLEGAL', { stack: false });
    const session = this.openSession(old.userId);
    this.rememberReplaced(old);
    return { access_token: session.accessToken, refresh_token: session.refreshToken, expire_in: this.accessTokenSeconds };
  }

  // --- The user ------------------------------------------------------------------------------

  /** GET /v2/user/{user_id}: one's own details. */
  userInfo(callerId: number, userId: number) {
    const user = this.ownUser(callerId, userId);
    const { passwordHash: _hidden, ...visible } = user;
    return { ...visible, passwd_inited: true, setting: { message: [], message_inform: [] } };
  }

  /** PUT /v2/user/{user_id}. */
  updateUser(callerId: number, userId: number, changes: Partial<Pick<User, 'nickname' | 'remark' | 'tags' | 'avatar' | 'country' | 'province' | 'city' | 'gender' | 'age'>>): void {
    Object.assign(this.ownUser(callerId, userId), changes);
  }

  /** GET /v2/user/{user_id}/open_info: anyone's public details, no token needed. */
  openInfo(userId: number) {
    const user = this.store.userById(userId);
    if (user === undefined) throw xlinkError('USER_NOT_FOUND');
    return { user_id: user.id, nickname: user.nickname, avatar: user.avatar ?? '' };
  }

  /** PUT /v2/user/password/reset: change one's password; every session of the user ends, this one too. */
  changePassword(callerId: number, input: { old_password: string; new_password: string }): void {
    const user = this.store.userById(callerId);
    if (user === undefined) throw xlinkError('USER_NOT_FOUND');
    if (!passwordMatches(input.old_password, user.passwordHash)) throw xlinkError('PASSWORD_WRONG');
    this.setPassword(user, input.new_password);
  }

  /** POST /v2/user/password/forgot: a code by SMS or email, for an activated account ("用户的账号需要已激活"). */
  forgotPassword(input: Account, client?: string): void {
    const user = this.findAccount(input);
    if (!user.is_vaild) throw xlinkError(input.email !== undefined ? 'USER_EMAIL_UNVERIFIED' : 'USER_PHONE_UNVERIFIED');
    const to = user.email ?? zoned(user);
    this.issueCode(`forgot:${user.id}`, to, 'password reset code', user.email ? RESET_EMAIL_CODE_SECONDS : SMS_CODE_SECONDS, client);
  }

  // --- Two-factor login (XLINK_TWO_FACTOR=email) ---------------------------------------------

  /**
   * POST /v2/two_factor/email/verifycode: the login code, mailed (printed) to an activated
   * account, under the same send limits as every code (once a minute, CODE_DAILY_SENDS a day,
   * the address's quota). This step needs no password, so the code and its limits are the
   * account's *at the asking address*: a stranger who asks for codes for a known email uses up
   * their own sends and replaces their own code, never the owner's (who logs in from their
   * address: step 3 comes from the client that asked).
   */
  sendTwoFactorCode(input: { corp_id: string; email: string; local_lang?: string }, client?: string): void {
    const user = this.findAccount({ corp_id: input.corp_id, email: input.email });
    if (!user.is_vaild) throw xlinkError('USER_EMAIL_UNVERIFIED');
    this.issueCode(twoFactorKey(user, client), user.email!, 'two-factor login code', TWO_FACTOR_CODE_SECONDS, client);
  }

  /** POST /v2/user/password/foundback: a new password with that code; every session of the user ends. */
  resetForgottenPassword(input: Account & { verifycode: string; new_password: string }): void {
    const user = this.findAccount(input);
    this.useCode(`forgot:${user.id}`, input.verifycode, input.email !== undefined ? 'email' : 'sms');
    this.setPassword(user, input.new_password);
    this.loginFailures.delete(user.id);
  }

  // --- Devices -------------------------------------------------------------------------------

  /**
   * GET /v2/user/{user_id}/subscribe/devices. With `?version=` the documented
   * `{ version, list }`; without it the bare list, as deployed clients (pycync) read it.
   */
  listDevices(callerId: number, userId: number, query: { version?: string; filter?: string }) {
    this.ownUser(callerId, userId);
    const extra = new Set((query.filter ?? '').split(',').filter(Boolean));
    const list = this.store.devicesOf(userId).map((device) => {
      const { soft_init_date, ...info } = device.info;
      const subscription = device.subscriptions.find((s) => s.userId === userId)!;
      return {
        id: device.id,
        mac: device.mac,
        ...info,
        product_id: device.product_id,
        name: device.name,
        role: subscription.role,
        source: subscription.source,
        subscribe_date: subscription.subscribe_date,
        ...(extra.has('soft_init_date') ? { soft_init_date } : {}),
      };
    });
    return query.version === undefined ? list : { version: this.store.deviceListVersion(userId), list };
  }

  /** POST /v2/user/{user_id}/unsubscribe: the device leaves the user's list (a manager gives up managing it). */
  unsubscribe(callerId: number, userId: number, input: { device_id: number }): void {
    this.ownUser(callerId, userId);
    const device = this.store.deviceById(input.device_id);
    if (device === undefined) throw xlinkError('DEVICE_NOT_FOUND');
    if (!device.subscriptions.some((s) => s.userId === userId)) throw xlinkError('DEVICE_NOT_SUBSCRIBED');
    this.store.unsubscribe(device, userId);
    if (device.managerId === userId) device.managerId = 0;
  }

  /** GET /v2/product/{product_id}/device/{device_id}/property: all extension properties. */
  deviceProperties(callerId: number, productId: string, deviceId: number): Record<string, unknown> {
    return { ...this.subscribedDevice(callerId, productId, deviceId).properties };
  }

  /** GET /v2/product/{product_id}/device/{device_id}/property/{key}: one, 4041009 when absent. */
  deviceProperty(callerId: number, productId: string, deviceId: number, key: string): Record<string, unknown> {
    const { properties } = this.subscribedDevice(callerId, productId, deviceId);
    if (!Object.hasOwn(properties, key)) throw xlinkError('DEVICE_EXTENSION_NOT_FOUND');
    return { [key]: properties[key] };
  }

  /**
   * POST (set: add or replace) and PUT (replace existing keys only, 4001026 otherwise) on
   * /v2/product/{product_id}/device/{device_id}/property. Keys: no `.`, no blank, no leading
   * `$` (4001027), not a device field (4001023); at most 10 (4001024). Answers the properties set.
   */
  setDeviceProperties(callerId: number, productId: string, deviceId: number, changes: Record<string, unknown>, mode: 'set' | 'update'): Record<string, unknown> {
    const device = this.subscribedDevice(callerId, productId, deviceId);
    const keys = Object.keys(changes);
    for (const key of keys) {
      if (key === '' || /[.\s\0]/.test(key) || key.startsWith('$') || UNSAFE_KEYS.has(key)) throw xlinkError('VARIABLE_NAME_ILLEGAL');
      if (RESERVED_PROPERTY_KEYS.has(key)) throw xlinkError('EXTENSION_KEY_RESERVED');
      if (mode === 'update' && !Object.hasOwn(device.properties, key)) throw xlinkError('EXTENSION_PROPERTY_MISSING');
      if (!boundedValue(changes[key])) throw xlinkError('PARAM_VERIFICATION_FAILED', { stack: false });
    }
    if (new Set([...Object.keys(device.properties), ...keys]).size > DEVICE_PROPERTY_LIMIT) throw xlinkError('DEVICE_EXTENSION_LIMIT_REACHED');
    const properties: Record<string, unknown> = Object.create(null);
    Object.assign(properties, device.properties, changes);
    device.properties = properties;
    return { ...changes };
  }

  /** DELETE /v2/product/{product_id}/device/{device_id}/property/{key}: 4041009 when absent. */
  deleteDeviceProperty(callerId: number, productId: string, deviceId: number, key: string): void {
    const device = this.subscribedDevice(callerId, productId, deviceId);
    if (!Object.hasOwn(device.properties, key)) throw xlinkError('DEVICE_EXTENSION_NOT_FOUND');
    delete device.properties[key];
  }

  // --- Device sharing ------------------------------------------------------------------------

  /** POST /v2/share/device: only the device manager may share. */
  shareDevice(callerId: number, input: { device_id: number; user?: string; expire: number; mode: string }) {
    const device = this.store.deviceById(input.device_id);
    if (device === undefined) throw xlinkError('DEVICE_NOT_FOUND');
    if (device.managerId !== callerId) throw xlinkError('ACCESS_DENIED'); // only the device manager may share
    const from = this.store.userById(callerId)!;
    let toId: number | undefined;
    if (input.user !== undefined) {
      const account = input.user.includes('@') ? { email: input.user } : { phone: input.user };
      const to = this.store.userByAccount(from.corp_id, account);
      if (to === undefined) throw xlinkError('USER_NOT_FOUND');
      toId = to.id;
    }
    this.makeRoomForShare(callerId);
    const now = this.now();
    const share: Share = {
      invite_code: randomBytes(8).toString('hex'),
      from_id: callerId,
      to_id: toId,
      device_id: device.id,
      mode: input.mode,
      state: 'pending',
      create_date: new Date(now).toISOString(),
      expire_date: new Date(now + input.expire * 1000).toISOString(),
      hiddenFor: [],
    };
    this.store.addShare(share);
    return { invite_code: share.invite_code };
  }

  /** POST /v2/share/device/cancel: the sharer withdraws a pending invitation. */
  cancelShare(callerId: number, input: { invite_code: string }): void {
    const share = this.pendingShare(input.invite_code, (s) => s.from_id === callerId);
    share.state = 'cancel';
  }

  /** POST /v2/share/device/accept. */
  acceptShare(callerId: number, input: { invite_code: string }): void {
    const share = this.pendingShare(input.invite_code, (s) => (s.to_id === undefined ? s.from_id !== callerId : s.to_id === callerId));
    share.state = 'accept';
    share.to_id = callerId;
    const device = this.store.deviceById(share.device_id);
    if (device !== undefined && !device.subscriptions.some((s) => s.userId === callerId)) {
      this.store.subscribe(device, { userId: callerId, role: 1, source: 2, subscribe_date: new Date(this.now()).toISOString() });
    }
  }

  /** POST /v2/share/device/deny. */
  denyShare(callerId: number, input: { invite_code: string; reason?: string }): void {
    const share = this.pendingShare(input.invite_code, (s) => (s.to_id === undefined ? s.from_id !== callerId : s.to_id === callerId));
    share.state = 'deny';
  }

  /** GET /v2/share/device/list: shares from or to the caller. */
  listShares(callerId: number) {
    return this.store.sharesOf(callerId).map((share) => {
      this.expire(share);
      const { hiddenFor: _hidden, mode: _mode, ...record } = share;
      return {
        ...record,
        from_user: this.accountName(share.from_id),
        to_user: share.to_id === undefined ? '' : this.accountName(share.to_id),
      };
    });
  }

  /** DELETE /v2/share/device/delete/{invite_code}: from the caller's history only. */
  deleteShare(callerId: number, inviteCode: string): void {
    const share = this.store.shareByCode(inviteCode);
    if (share === undefined || (share.from_id !== callerId && share.to_id !== callerId) || share.hiddenFor.includes(callerId)) {
      throw xlinkError('SHARE_NOT_FOUND');
    }
    share.hiddenFor.push(callerId);
  }

  // --- Helpers -------------------------------------------------------------------------------

  private requireCorp(corpId: string): void {
    if (!this.store.corpExists(corpId)) throw xlinkError('ENTERPRISE_NOT_FOUND');
  }

  private findAccount(account: Account): User {
    this.requireCorp(account.corp_id);
    const user = this.store.userByAccount(account.corp_id, account.email !== undefined ? { email: account.email } : { phone: account.phone });
    if (user === undefined) throw xlinkError('USER_NOT_FOUND');
    return user;
  }

  /** One's own record: 4041011 if it does not exist, 4031001 for somebody else's. */
  private ownUser(callerId: number, userId: number): User {
    const user = this.store.userById(userId);
    if (user === undefined) throw xlinkError('USER_NOT_FOUND');
    if (userId !== callerId) throw xlinkError('ACCESS_DENIED');
    return user;
  }

  private openSession(userId: number): Session {
    const session: Session = { userId, accessToken: token(), refreshToken: token(), expiresAt: this.now() + this.accessTokenSeconds * 1000 };
    this.store.addSession(session);
    return session;
  }

  /** A refreshed session's access token answers 4031022 from now on (when memory allows; else 4031003). */
  private rememberReplaced(old: Session): void {
    try {
      this.replacedTokens.set(old.accessToken, true, old.expiresAt + EXPIRED_SESSION_MEMORY_SECONDS * 1000);
    } catch {
      // Full: the refresh still succeeds; only the old token's answer is the plainer 4031003.
    }
  }

  private setPassword(user: User, password: string): void {
    user.passwordHash = hashPassword(password);
    this.store.removeSessionsOf(user.id);
  }

  /** A device the caller subscribes to, by product and id: 4041008 unknown, 4031010 not theirs. */
  private subscribedDevice(callerId: number, productId: string, deviceId: number): Device {
    const device = this.store.deviceById(deviceId);
    if (device === undefined || device.product_id !== productId) throw xlinkError('DEVICE_NOT_FOUND');
    if (!device.subscriptions.some((s) => s.userId === callerId)) throw xlinkError('SUBSCRIBED_DEVICE_MISSING');
    return device;
  }

  /**
   * Sends a new code: at most one a minute and CODE_DAILY_SENDS a day per purpose and account,
   * and CLIENT_LIMITS.codeSends a day per client address. Each limit answers its own message.
   */
  private issueCode(key: string, to: string, what: string, seconds: number, client?: string): void {
    const now = this.now();
    const code = sixDigits();
    const record = this.codes.get(key);
    if (record !== undefined) {
      if (record.sends >= CODE_DAILY_SENDS) throw limitError('tooManyCodes', (record.dayEndsAt - now) / 1000);
      const wait = record.lastSentAt + CODE_RESEND_SECONDS * 1000 - now;
      if (wait > 0) throw limitError('codeResendWait', wait / 1000);
    }
    this.clientCodes.check(client);
    if (record === undefined) {
      const fresh: CodeRecord = { code, expiresAt: now + seconds * 1000, wrongGuesses: 0, voided: false, sends: 1, lastSentAt: now, dayEndsAt: now + DAY_MS };
      this.codes.set(key, fresh, fresh.dayEndsAt);
    } else {
      Object.assign(record, { code, expiresAt: now + seconds * 1000, wrongGuesses: 0, voided: false, sends: record.sends + 1, lastSentAt: now });
    }
    this.clientCodes.spend(client);
    this.notifier.send(to, what, code);
  }

  /** XLINK_TWO_FACTOR=email, a login by email: the emailed code must come with the password (4001028 without, 4001029 wrong). */
  private checkTwoFactor(user: User, input: Account, twoFactor: string | undefined, client: string | undefined): void {
    if (this.twoFactor !== 'email' || input.email === undefined) return;
    if (twoFactor === undefined) throw xlinkError('EMAIL_CODE_NOT_FOUND', { stack: false });
    this.useCode(twoFactorKey(user, client), twoFactor, 'email');
  }

  /**
   * Room for one more share of this user (SHARES_PER_USER): their finished shares are forgotten
   * first, oldest first; if all are pending, 4001080 until the earliest of them expires.
   */
  private makeRoomForShare(userId: number): void {
    const mine = this.store.sharesFrom(userId);
    if (mine.length < this.sharesPerUser) return;
    for (const share of mine) this.expire(share);
    let excess = mine.length - this.sharesPerUser + 1;
    for (const share of mine) {
      if (excess === 0) return;
      if (share.state !== 'pending') {
        this.store.removeShare(share);
        excess--;
      }
    }
    if (excess > 0) {
      const earliest = Math.min(...mine.filter((s) => s.state === 'pending').map((s) => Date.parse(s.expire_date)));
      throw limitError('userShares', (earliest - this.now()) / 1000);
    }
  }

  /**
   * Checks and spends a code: "not found" when none is pending (or it expired), "invalid" when it
   * differs. Every wrong guess counts: the CODE_MAX_WRONG_GUESSES-th voids the code, which then
   * answers "invalid" even to the right digits until a new one is sent.
   */
  private useCode(key: string, given: string, channel: 'sms' | 'email'): void {
    const record = this.codes.get(key);
    const invalid = () => xlinkError(channel === 'sms' ? 'SMS_CODE_INVALID' : 'EMAIL_CODE_INVALID', { stack: false });
    if (record === undefined || (record.code === undefined && !record.voided) || record.expiresAt <= this.now()) {
      throw xlinkError(channel === 'sms' ? 'SMS_CODE_NOT_FOUND' : 'EMAIL_CODE_NOT_FOUND', { stack: false });
    }
    if (record.voided || record.code === undefined) throw invalid();
    if (!sameCode(record.code, given)) {
      record.wrongGuesses += 1;
      if (record.wrongGuesses >= CODE_MAX_WRONG_GUESSES) {
        record.voided = true;
        record.code = undefined;
      }
      throw invalid();
    }
    record.code = undefined; // spent; the record stays to count the day's sends
  }

  /** A pending share the caller may act on: 4041018 unknown, 4031009 accepted, 4031008 canceled or closed. */
  private pendingShare(code: string, mayAct: (share: Share) => boolean): Share {
    const share = this.store.shareByCode(code);
    if (share === undefined || !mayAct(share)) throw xlinkError('SHARE_NOT_FOUND');
    this.expire(share);
    if (share.state === 'accept') throw xlinkError('SHARE_ALREADY_ACCEPTED');
    if (share.state !== 'pending') throw xlinkError('SHARE_CANCELED');
    return share;
  }

  private expire(share: Share): void {
    if (share.state === 'pending' && Date.parse(share.expire_date) <= this.now()) share.state = 'overtime';
  }

  private accountName(userId: number): string {
    const user = this.store.userById(userId);
    return user?.email ?? user?.phone ?? '';
  }
}

/** Where a two-factor code is kept: per account and asking address (see sendTwoFactorCode). */
const twoFactorKey = (user: User, client: string | undefined) => `two_factor:${user.id}:${client ?? ''}`;

/**
 * The two-factor code as clients send it: a string, or a number (which loses leading zeros:
 * `12345` is the code `012345`).
 */
export function twoFactorCode(value: string | number): string {
  return typeof value === 'number' ? String(value).padStart(6, '0') : value;
}

/**
 * Whether a property value is small enough to keep: at most PROPERTY_VALUE_LIMITS.depth levels
 * of arrays and objects (checked without recursion, so a 40 kB `[[[...]]]` cannot overflow the
 * stack) and PROPERTY_VALUE_LIMITS.bytes of JSON.
 */
function boundedValue(value: unknown): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth >= PROPERTY_VALUE_LIMITS.depth) return false;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return Buffer.byteLength(JSON.stringify(value)) <= PROPERTY_VALUE_LIMITS.bytes;
}

function sameCode(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A phone with its zone, one spelling per number (`86`, `+086` and `+86` are one zone), so limits per phone hold. */
function zoned(input: { phone?: string; phone_zone?: string }): string {
  return `+${Number((input.phone_zone ?? '+86').replace('+', ''))} ${canonicalPhone(input.phone ?? '')}`;
}
