import { BoundedMap } from './bounded-map';
import { hashPassword } from './passwords';
import { EXPIRED_SESSION_MEMORY_SECONDS, SESSIONS_PER_USER, STORE_CAPS, storeFull, type StoreCaps } from './policy';

/**
 * Storage for the example: a small interface and an in-memory implementation. A real server
 * would put a database behind the same interface; nothing else would change. Every collection
 * that requests can grow is capped (STORE_CAPS) and purges what has expired; accounts are
 * found through an index, never by scanning.
 */

export interface User {
  id: number;
  corp_id: string;
  email?: string;
  phone?: string;
  phone_zone: string;
  nickname: string;
  /** scrypt hash, `salt:hash` in hex; see passwords.ts. */
  passwordHash: string;
  source: number;
  local_lang: string;
  status: 1 | 2;
  /** Whether the account is activated (email) or verified (phone). */
  is_vaild: boolean;
  create_date: string;
  remark?: string;
  tags?: string[];
  avatar?: string;
  country?: string;
  province?: string;
  city?: string;
  gender: 1 | 2 | -1;
  age: number;
}

/** A subscription: a user's link to a device ("role": 0 admin, 1 user; "source": see the device API appendix). */
export interface Subscription {
  userId: number;
  role: 0 | 1;
  source: number;
  subscribe_date: string;
}

export interface Device {
  id: number;
  product_id: string;
  mac: string;
  name: string;
  /** The device manager: the only user who may share it. */
  managerId: number;
  /** Users who subscribe to it, the manager first. */
  subscriptions: Subscription[];
  /** Fields the device list shows as they are (firmware, activation, ...). */
  info: Record<string, unknown>;
  /** Extension properties, key to any JSON value. */
  properties: Record<string, unknown>;
}

export type ShareState = 'pending' | 'accept' | 'deny' | 'cancel' | 'overtime';

export interface Share {
  invite_code: string;
  from_id: number;
  to_id?: number;
  device_id: number;
  mode: string;
  state: ShareState;
  create_date: string;
  expire_date: string;
  /** Users who deleted it from their history. */
  hiddenFor: number[];
}

export interface Session {
  userId: number;
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
}

/** What the identity and sharing services need from storage. */
export interface Store {
  corpExists(corpId: string): boolean;
  userById(id: number): User | undefined;
  userByAccount(corpId: string, account: { email?: string; phone?: string }): User | undefined;
  addUser(user: Omit<User, 'id'>): User;
  /** Takes back an account just added (its code could not be sent): nothing is left of it. */
  removeUser(user: User): void;
  /** An account not activated by `at` is purged then (its email free again); called again, the later time holds. */
  expireUnactivated(userId: number, at: number): void;
  deviceById(id: number): Device | undefined;
  devicesOf(userId: number): Device[];
  /** A counter that changes whenever the user's device list does. */
  deviceListVersion(userId: number): number;
  subscribe(device: Device, subscription: Subscription): void;
  unsubscribe(device: Device, userId: number): void;
  addShare(share: Share): void;
  shareByCode(code: string): Share | undefined;
  sharesOf(userId: number): Share[];
  /** The shares a user made that are still kept, oldest first. */
  sharesFrom(userId: number): Share[];
  removeShare(share: Share): void;
  addSession(session: Session): void;
  sessionByAccessToken(token: string): Session | undefined;
  sessionByRefreshToken(token: string): Session | undefined;
  removeSession(session: Session): void;
  removeSessionsOf(userId: number): void;
  /** How much each collection holds now, to check the caps. */
  sizes(): Record<'users' | 'sessions' | 'shares' | 'unactivated', number>;
}

/** The demo enterprise's default id; `XLINK_CORP_ID` replaces it (a client's own, hard-coded corp id). */
export const DEMO_CORP_ID = '100fa2b6c5d3a000';

/** How long a share record is kept after it expires, so both sides still see how it ended. */
const SHARE_HISTORY_MS = 7 * 24 * 3600 * 1000;

export class MemoryStore implements Store {
  private readonly corps: Set<string>;
  private readonly users = new Map<number, User>();
  /** `corp_id`, kind and account, to user id: the login lookup. */
  private readonly accounts = new Map<string, number>();
  private readonly devices = new Map<number, Device>();
  private readonly deviceIdsByUser = new Map<number, Set<number>>();
  private readonly listVersions = new Map<number, number>();
  private readonly shares: BoundedMap<string, Share>;
  private readonly byAccess: BoundedMap<string, Session>;
  private readonly byRefresh: BoundedMap<string, Session>;
  /** Each user's access tokens, oldest first (some may have been purged meanwhile). */
  private readonly tokensByUser = new Map<number, Set<string>>();
  /** Invite codes by the user who made them (some may have been purged meanwhile). */
  private readonly sharesByUser = new Map<number, Set<string>>();
  /** Accounts waiting for activation, to the time they are purged: in insertion order, which is deadline order. */
  private readonly unactivated = new Map<number, number>();
  private nextUserId = 1001;

  constructor(
    private readonly now: () => number = Date.now,
    corpIds: readonly string[] = [DEMO_CORP_ID],
    private readonly caps: StoreCaps = STORE_CAPS,
  ) {
    this.corps = new Set(corpIds);
    this.shares = new BoundedMap(caps.shares, now, (ms) => storeFull('shares', caps.shares, ms));
    this.byAccess = new BoundedMap(caps.sessions, now, (ms) => storeFull('sessions', caps.sessions, ms));
    this.byRefresh = new BoundedMap(caps.sessions, now, (ms) => storeFull('sessions', caps.sessions, ms));
  }

  corpExists(corpId: string): boolean {
    return this.corps.has(corpId);
  }

  userById(id: number): User | undefined {
    this.purgeUnactivated();
    return this.users.get(id);
  }

  userByAccount(corpId: string, { email, phone }: { email?: string; phone?: string }): User | undefined {
    this.purgeUnactivated();
    const id = this.accounts.get(email !== undefined ? emailKey(corpId, email) : phoneKey(corpId, phone ?? ''));
    return id === undefined ? undefined : this.users.get(id);
  }

  addUser(fields: Omit<User, 'id'>): User {
    this.purgeUnactivated();
    if (this.users.size >= this.caps.users) {
      // True only when an unactivated account will go: real accounts never expire.
      const next = this.unactivated.values().next();
      throw storeFull('users', this.caps.users, next.done ? undefined : next.value - this.now());
    }
    const user: User = { ...fields, id: this.nextUserId++ };
    this.users.set(user.id, user);
    if (user.email !== undefined) this.accounts.set(emailKey(user.corp_id, user.email), user.id);
    if (user.phone !== undefined) this.accounts.set(phoneKey(user.corp_id, user.phone), user.id);
    return user;
  }

  removeUser(user: User): void {
    this.users.delete(user.id);
    this.unactivated.delete(user.id);
    if (user.email !== undefined && this.accounts.get(emailKey(user.corp_id, user.email)) === user.id) this.accounts.delete(emailKey(user.corp_id, user.email));
    if (user.phone !== undefined && this.accounts.get(phoneKey(user.corp_id, user.phone)) === user.id) this.accounts.delete(phoneKey(user.corp_id, user.phone));
  }

  expireUnactivated(userId: number, at: number): void {
    this.unactivated.delete(userId); // moved to the back: deadlines stay in order
    this.unactivated.set(userId, at);
  }

  addDevice(device: Device): void {
    this.devices.set(device.id, device);
    for (const subscription of device.subscriptions) this.linkDevice(subscription.userId, device.id);
  }

  deviceById(id: number): Device | undefined {
    return this.devices.get(id);
  }

  devicesOf(userId: number): Device[] {
    return [...(this.deviceIdsByUser.get(userId) ?? [])].map((id) => this.devices.get(id)!);
  }

  deviceListVersion(userId: number): number {
    return this.listVersions.get(userId) ?? 0;
  }

  subscribe(device: Device, subscription: Subscription): void {
    device.subscriptions = [...device.subscriptions.filter((s) => s.userId !== subscription.userId), subscription];
    this.linkDevice(subscription.userId, device.id);
  }

  unsubscribe(device: Device, userId: number): void {
    device.subscriptions = device.subscriptions.filter((s) => s.userId !== userId);
    this.deviceIdsByUser.get(userId)?.delete(device.id);
    this.listVersions.set(userId, this.deviceListVersion(userId) + 1);
  }

  addShare(share: Share): void {
    this.shares.set(share.invite_code, share, Date.parse(share.expire_date) + SHARE_HISTORY_MS);
    const codes = this.sharesByUser.get(share.from_id) ?? new Set<string>();
    codes.add(share.invite_code);
    this.sharesByUser.set(share.from_id, codes);
  }

  sharesFrom(userId: number): Share[] {
    const codes = this.sharesByUser.get(userId);
    if (codes === undefined) return [];
    const live: Share[] = [];
    for (const code of codes) {
      const share = this.shares.get(code);
      if (share === undefined) codes.delete(code);
      else live.push(share);
    }
    if (codes.size === 0) this.sharesByUser.delete(userId);
    return live;
  }

  removeShare(share: Share): void {
    this.shares.delete(share.invite_code);
    this.sharesByUser.get(share.from_id)?.delete(share.invite_code);
  }

  shareByCode(code: string): Share | undefined {
    return this.shares.get(code);
  }

  sharesOf(userId: number): Share[] {
    return [...this.shares.values()].filter((s) => (s.from_id === userId || s.to_id === userId) && !s.hiddenFor.includes(userId));
  }

  addSession(session: Session): void {
    const tokens = this.tokensByUser.get(session.userId) ?? new Set<string>();
    for (const token of tokens) if (this.byAccess.get(token) === undefined) tokens.delete(token);
    while (tokens.size >= SESSIONS_PER_USER) {
      const oldest = this.byAccess.get(tokens.values().next().value!);
      if (oldest) this.removeSession(oldest);
      else tokens.delete(tokens.values().next().value!);
    }
    // Remembered a while after it expires, so its token is answered as "expired".
    const forgetAt = session.expiresAt + EXPIRED_SESSION_MEMORY_SECONDS * 1000;
    this.byAccess.set(session.accessToken, session, forgetAt);
    this.byRefresh.set(session.refreshToken, session, forgetAt);
    tokens.add(session.accessToken);
    this.tokensByUser.set(session.userId, tokens);
  }

  sessionByAccessToken(token: string): Session | undefined {
    return this.byAccess.get(token);
  }

  sessionByRefreshToken(token: string): Session | undefined {
    return this.byRefresh.get(token);
  }

  removeSession(session: Session): void {
    this.byAccess.delete(session.accessToken);
    this.byRefresh.delete(session.refreshToken);
    this.tokensByUser.get(session.userId)?.delete(session.accessToken);
  }

  removeSessionsOf(userId: number): void {
    for (const token of this.tokensByUser.get(userId) ?? []) {
      const session = this.byAccess.get(token);
      if (session) this.removeSession(session);
    }
    this.tokensByUser.delete(userId);
  }

  sizes() {
    return { users: this.users.size, sessions: this.byAccess.size, shares: this.shares.size, unactivated: this.unactivated.size };
  }

  /** Drops accounts whose activation time ran out (from the front: O(expired)). */
  private purgeUnactivated(): void {
    const now = this.now();
    for (const [id, at] of this.unactivated) {
      if (at > now) return;
      this.unactivated.delete(id);
      const user = this.users.get(id);
      if (user !== undefined && !user.is_vaild) this.removeUser(user);
    }
  }

  private linkDevice(userId: number, deviceId: number): void {
    const ids = this.deviceIdsByUser.get(userId) ?? new Set<number>();
    ids.add(deviceId);
    this.deviceIdsByUser.set(userId, ids);
    this.listVersions.set(userId, this.deviceListVersion(userId) + 1);
  }
}

const emailKey = (corpId: string, email: string) => `${corpId}\0e\0${email.toLowerCase()}`;
const phoneKey = (corpId: string, phone: string) => `${corpId}\0p\0${canonicalPhone(phone)}`;

/** A phone number in one form, so limits and lookups see one number: `013912345678` and `0013912345678` are `13912345678`. */
export function canonicalPhone(phone: string): string {
  return phone.replace(/^0+(?=[0-9])/, '');
}

/** The demo accounts printed on start: a device manager and a friend to share with. */
export const DEMO_USER = { email: 'demo@example.com', phone: '13800000000', password: 'xlink123' } as const;
export const DEMO_FRIEND = { email: 'friend@example.com', password: 'xlink123' } as const;
export const DEMO_PRODUCT_ID = '160fa2b6c5d3a001';
export const DEMO_DEVICE_ID = 3001;
/** The demo user's devices: the lamp they manage (and may share) and a plug. */
export const DEMO_DEVICE_IDS = [DEMO_DEVICE_ID, 3002] as const;
/** The friend's own device (a lamp they manage), so sharing can be tried in both directions. */
export const DEMO_FRIEND_DEVICE_ID = 3003;

/**
 * A store with the demo enterprise (its id `corpId`: `XLINK_CORP_ID` or the default), the demo
 * users and the demo user's devices. Dates are fixed, so answers are the same on every start.
 */
export function seededStore(now: () => number = Date.now, corpId: string = DEMO_CORP_ID, caps: StoreCaps = STORE_CAPS): MemoryStore {
  const store = new MemoryStore(now, [corpId], caps);
  const created = '2026-01-01T00:00:00.000Z';
  const common = { corp_id: corpId, phone_zone: '+86', source: 1, local_lang: 'zh-cn', status: 1, is_vaild: true, gender: -1, age: 0, create_date: created } as const;
  const demo = store.addUser({ ...common, email: DEMO_USER.email, phone: DEMO_USER.phone, nickname: 'Demo', passwordHash: hashPassword(DEMO_USER.password) });
  const friend = store.addUser({ ...common, email: DEMO_FRIEND.email, nickname: 'Friend', passwordHash: hashPassword(DEMO_FRIEND.password) });
  const admin: Subscription = { userId: demo.id, role: 0, source: 1, subscribe_date: created };
  const info = (mac: string, firmware_version: number) => ({
    is_active: true,
    active_date: created,
    is_online: true,
    last_login: created,
    active_code: mac.toLowerCase(),
    authorize_code: `auth-${mac.toLowerCase()}`,
    mcu_mod: '1',
    mcu_version: 1,
    firmware_mod: '1',
    firmware_version,
    access_key: 777,
    soft_init_date: created,
  });
  store.addDevice({ id: DEMO_DEVICE_IDS[0], product_id: DEMO_PRODUCT_ID, mac: 'AABBCCDDEEFF', name: 'Demo lamp', managerId: demo.id, subscriptions: [admin], info: info('AABBCCDDEEFF', 10315), properties: { displayName: 'Demo lamp', room: 'Living room' } });
  store.addDevice({ id: DEMO_DEVICE_IDS[1], product_id: DEMO_PRODUCT_ID, mac: 'AABBCCDDEE00', name: 'Demo plug', managerId: demo.id, subscriptions: [admin], info: info('AABBCCDDEE00', 12255), properties: {} });
  const friendAdmin: Subscription = { userId: friend.id, role: 0, source: 1, subscribe_date: created };
  store.addDevice({ id: DEMO_FRIEND_DEVICE_ID, product_id: DEMO_PRODUCT_ID, mac: 'AABBCCDDEE11', name: 'Friend lamp', managerId: friend.id, subscriptions: [friendAdmin], info: info('AABBCCDDEE11', 10315), properties: { displayName: 'Friend lamp', room: 'Study' } });
  return store;
}
