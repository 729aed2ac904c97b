import { hashPassword } from './passwords';

/**
 * Storage for the example: a small interface and an in-memory implementation. A real server
 * would put a database behind the same interface; nothing else would change.
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

export interface Device {
  id: number;
  mac: string;
  name: string;
  /** The device manager: the only user who may share it. */
  managerId: number;
  /** Users the device is shared with. */
  userIds: number[];
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
  addUser(user: Omit<User, 'id' | 'create_date'>): User;
  deviceById(id: number): Device | undefined;
  addShare(share: Share): void;
  shareByCode(code: string): Share | undefined;
  sharesOf(userId: number): Share[];
  addSession(session: Session): void;
  sessionByAccessToken(token: string): Session | undefined;
  sessionByRefreshToken(token: string): Session | undefined;
  removeSession(session: Session): void;
}

export const DEMO_CORP_ID = '100fa2b6c5d3a000';

export class MemoryStore implements Store {
  private readonly corps = new Set<string>([DEMO_CORP_ID]);
  private readonly users = new Map<number, User>();
  private readonly devices = new Map<number, Device>();
  private readonly shares = new Map<string, Share>();
  private readonly byAccess = new Map<string, Session>();
  private readonly byRefresh = new Map<string, Session>();
  private nextUserId = 1001;

  corpExists(corpId: string): boolean {
    return this.corps.has(corpId);
  }

  userById(id: number): User | undefined {
    return this.users.get(id);
  }

  userByAccount(corpId: string, { email, phone }: { email?: string; phone?: string }): User | undefined {
    for (const user of this.users.values()) {
      if (user.corp_id !== corpId) continue;
      if (email !== undefined && user.email?.toLowerCase() === email.toLowerCase()) return user;
      if (phone !== undefined && user.phone === phone) return user;
    }
    return undefined;
  }

  addUser(fields: Omit<User, 'id' | 'create_date'>): User {
    const user: User = { ...fields, id: this.nextUserId++, create_date: new Date().toISOString() };
    this.users.set(user.id, user);
    return user;
  }

  addDevice(device: Device): void {
    this.devices.set(device.id, device);
  }

  deviceById(id: number): Device | undefined {
    return this.devices.get(id);
  }

  addShare(share: Share): void {
    this.shares.set(share.invite_code, share);
  }

  shareByCode(code: string): Share | undefined {
    return this.shares.get(code);
  }

  sharesOf(userId: number): Share[] {
    return [...this.shares.values()].filter((s) => (s.from_id === userId || s.to_id === userId) && !s.hiddenFor.includes(userId));
  }

  addSession(session: Session): void {
    this.byAccess.set(session.accessToken, session);
    this.byRefresh.set(session.refreshToken, session);
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
  }
}

/** The demo accounts printed on start: a device manager and a friend to share with. */
export const DEMO_USER = { email: 'demo@example.com', phone: '13800000000', password: 'xlink123' } as const;
export const DEMO_FRIEND = { email: 'friend@example.com', password: 'xlink123' } as const;
export const DEMO_DEVICE_ID = 3001;

/** A store with the demo enterprise, the demo users and one device the demo user manages. */
export function seededStore(): MemoryStore {
  const store = new MemoryStore();
  const common = { corp_id: DEMO_CORP_ID, phone_zone: '+86', source: 1, local_lang: 'zh-cn', status: 1, is_vaild: true, gender: -1, age: 0 } as const;
  const demo = store.addUser({ ...common, email: DEMO_USER.email, phone: DEMO_USER.phone, nickname: 'Demo', passwordHash: hashPassword(DEMO_USER.password) });
  store.addUser({ ...common, email: DEMO_FRIEND.email, nickname: 'Friend', passwordHash: hashPassword(DEMO_FRIEND.password) });
  store.addDevice({ id: DEMO_DEVICE_ID, mac: 'AABBCCDDEEFF', name: 'Demo lamp', managerId: demo.id, userIds: [] });
  return store;
}
