/**
 * The Xlink User Identity and Device Sharing APIs, framework-free: every failure is an
 * `xlinkError(...)` from the catalog. The Express and Koa examples only wire HTTP to this.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { xlinkError } from 'xlink-errors';
import { hashPassword, passwordMatches } from './passwords';
import type { Session, Share, Store, User } from './store';

/** Where verification codes go: the console in the example, an SMS or mail gateway for real. */
export interface Notifier {
  send(to: string, what: string, code: string): void;
}

export const consoleNotifier: Notifier = {
  send: (to, what, code) => console.log(`[xlink-example] ${what} for ${to}: ${code}`),
};

const ACCESS_TOKEN_SECONDS = 7200; // "调用凭证有效期为2个小时"
const SMS_CODE_SECONDS = 120; // "手机验证码有效期是120秒"
const EMAIL_CODE_SECONDS = 24 * 3600;

/** An account as requests name it: an email or a phone (with its zone). */
export interface Account {
  corp_id: string;
  email?: string;
  phone?: string;
  phone_zone?: string;
}

interface PendingCode {
  code: string;
  expiresAt: number;
}

const token = () => randomBytes(24).toString('hex');
const sixDigits = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

export class XlinkService {
  /** Verification codes by purpose and account: `register:+86 138...`, `forgot:a@b.co`... */
  private readonly codes = new Map<string, PendingCode>();

  constructor(
    private readonly store: Store,
    private readonly notifier: Notifier = consoleNotifier,
    private readonly now: () => number = Date.now,
  ) {}

  // --- Access tokens -------------------------------------------------------------------------

  /** The user of an `Access-Token` header: 4031002 without one, 4031003 for an unknown or expired one. */
  authenticate(accessToken: string | undefined): number {
    if (accessToken === undefined || accessToken === '') throw xlinkError('ACCESS_TOKEN_REQUIRED');
    const session = this.store.sessionByAccessToken(accessToken);
    if (session === undefined || session.expiresAt <= this.now()) throw xlinkError('ACCESS_TOKEN_INVALID');
    return session.userId;
  }

  // --- Registration --------------------------------------------------------------------------

  /** POST /v2/user_register/verifycode: an SMS code for registering a phone. */
  sendRegisterSms(input: { corp_id: string; phone: string; phone_zone?: string }): void {
    this.requireCorp(input.corp_id);
    if (this.store.userByAccount(input.corp_id, { phone: input.phone })) throw xlinkError('PHONE_ALREADY_REGISTERED');
    this.issueCode(`register:${input.corp_id}:${zoned(input)}`, zoned(input), 'SMS registration code', SMS_CODE_SECONDS);
  }

  /** POST /v2/user_register, by email: the account waits for activation (an emailed code). */
  registerByEmail(input: { email: string; corp_id: string; password: string; source: number | string; nickname?: string; local_lang?: string }) {
    this.requireCorp(input.corp_id);
    if (this.store.userByAccount(input.corp_id, { email: input.email })) throw xlinkError('EMAIL_ALREADY_REGISTERED');
    this.store.addUser({
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
    });
    this.issueCode(`activate:${input.corp_id}:${input.email.toLowerCase()}`, input.email, 'activation code', EMAIL_CODE_SECONDS);
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
    this.store.addUser({
      corp_id: input.corp_id,
      phone: input.phone,
      phone_zone: input.phone_zone ?? '+86',
      nickname: input.nickname,
      passwordHash: hashPassword(input.password),
      source: Number(input.source),
      local_lang: input.local_lang ?? 'zh-cn',
      status: 1,
      is_vaild: true,
      gender: -1,
      age: 0,
    });
    return { phone: input.phone };
  }

  // --- Login and tokens ----------------------------------------------------------------------

  /** POST /v2/user_auth. */
  login(input: Account & { password: string; resource?: string }) {
    const user = this.findAccount(input);
    if (!passwordMatches(input.password, user.passwordHash)) throw xlinkError('PASSWORD_WRONG');
    if (user.status !== 1) throw xlinkError('USER_STATUS_ILLEGAL');
    if (!user.is_vaild) throw xlinkError(user.email !== undefined ? 'USER_EMAIL_UNVERIFIED' : 'USER_PHONE_UNVERIFIED');
    const session = this.openSession(user.id);
    return {
      user_id: user.id,
      access_token: session.accessToken,
      refresh_token: session.refreshToken,
      expire_in: ACCESS_TOKEN_SECONDS,
      authorize: randomBytes(8).toString('hex'),
    };
  }

  /**
   * POST /v2/user/token/refresh: the refresh token alone is enough (clients send it without an
   * Access-Token header). It expires with its access token, as the Xlink docs say.
   */
  refresh(input: { refresh_token: string }) {
    const old = this.store.sessionByRefreshToken(input.refresh_token);
    if (old === undefined || old.expiresAt <= this.now()) throw xlinkError('REFRESH_TOKEN_ILLEGAL');
    this.store.removeSession(old);
    const session = this.openSession(old.userId);
    return { access_token: session.accessToken, refresh_token: session.refreshToken, expire_in: ACCESS_TOKEN_SECONDS };
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

  /** PUT /v2/user/password/reset: change one's password. */
  changePassword(callerId: number, input: { old_password: string; new_password: string }): void {
    const user = this.store.userById(callerId);
    if (user === undefined) throw xlinkError('USER_NOT_FOUND');
    if (!passwordMatches(input.old_password, user.passwordHash)) throw xlinkError('PASSWORD_WRONG');
    user.passwordHash = hashPassword(input.new_password);
  }

  /** POST /v2/user/password/forgot: a code by SMS or email. */
  forgotPassword(input: Account): void {
    const user = this.findAccount(input);
    const to = user.email ?? zoned(user);
    this.issueCode(`forgot:${user.id}`, to, 'password reset code', user.email ? EMAIL_CODE_SECONDS : SMS_CODE_SECONDS);
  }

  /** POST /v2/user/password/foundback: a new password with that code. */
  resetForgottenPassword(input: Account & { verifycode: string; new_password: string }): void {
    const user = this.findAccount(input);
    this.useCode(`forgot:${user.id}`, input.verifycode, input.email !== undefined ? 'email' : 'sms');
    user.passwordHash = hashPassword(input.new_password);
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
    this.store.deviceById(share.device_id)?.userIds.push(callerId);
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
    const session: Session = { userId, accessToken: token(), refreshToken: token(), expiresAt: this.now() + ACCESS_TOKEN_SECONDS * 1000 };
    this.store.addSession(session);
    return session;
  }

  private issueCode(key: string, to: string, what: string, seconds: number): void {
    const code = sixDigits();
    this.codes.set(key, { code, expiresAt: this.now() + seconds * 1000 });
    this.notifier.send(to, what, code);
  }

  /** Checks and spends a code: "not found" when none is pending (or it expired), "invalid" when it differs. */
  private useCode(key: string, given: string, channel: 'sms' | 'email'): void {
    const pending = this.codes.get(key);
    if (pending === undefined || pending.expiresAt <= this.now()) {
      throw xlinkError(channel === 'sms' ? 'SMS_CODE_NOT_FOUND' : 'EMAIL_CODE_NOT_FOUND');
    }
    if (pending.code !== given) throw xlinkError(channel === 'sms' ? 'SMS_CODE_INVALID' : 'EMAIL_CODE_INVALID');
    this.codes.delete(key);
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

function zoned(input: { phone?: string; phone_zone?: string }): string {
  return `${input.phone_zone ?? '+86'} ${input.phone ?? ''}`;
}
