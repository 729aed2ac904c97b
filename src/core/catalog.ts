import type { XlinkErrorRegister } from './register.js';
import { unknownKeyMessage } from './suggest.js';

export type { XlinkErrorRegister };

/**
 * The Xlink error catalog: the one place the 82 codes are declared.
 *
 * Every other table (the public `XLINK_ERRORS`, the name and code unions, the code lookup, the
 * JSON Schema, the precomputed response bodies) is derived from `CATALOG` below. `msg` is
 * byte-for-byte the Xlink table's English text (odd grammar included: clients compare it);
 * `msgZh` is the platform's official Chinese text. The HTTP status is not stored: it is the
 * code's first three digits.
 */
const CATALOG = {

  // 400 Bad Request: the request or the account state is wrong
  PARAM_VERIFICATION_FAILED: { code: 4001001, msg: 'Requested variable verification failed', msgZh: '请求数据字段验证不通过' },
  PARAM_NULL: { code: 4001002, msg: 'Requested variable null.', msgZh: '请求数据必须字段不可为空' },
  SMS_CODE_NOT_FOUND: { code: 4001003, msg: 'SMS verification code not found', msgZh: '手机验证码不存在' },
  SMS_CODE_INVALID: { code: 4001004, msg: 'Invalid SMS verification code', msgZh: '手机验证码错误' },
  PHONE_ALREADY_REGISTERED: { code: 4001005, msg: 'This mobile number has already been registered', msgZh: '注册的手机号已存在' },
  EMAIL_ALREADY_REGISTERED: { code: 4001006, msg: 'This email address has already been registered', msgZh: '注册的邮箱已存在' },
  PASSWORD_WRONG: { code: 4001007, msg: 'Wrong password', msgZh: '密码错误' },
  ACCOUNT_ILLEGAL: { code: 4001008, msg: 'Account illegal', msgZh: '帐号不合法' },
  MEMBER_STATUS_ILLEGAL: { code: 4001009, msg: 'Enterprise member account status illegal', msgZh: '企业成员状态不合法' },
  REFRESH_TOKEN_ILLEGAL: { code: 4001010, msg: 'Refresh-Token illegal', msgZh: '刷新token不合法' },
  MEMBER_TYPE_UNKNOWN: { code: 4001011, msg: 'Unknown member type', msgZh: '未知成员角色类型' },
  INVITATION_ADMIN_ONLY: { code: 4001012, msg: 'Only Administrator can send invitation', msgZh: '只有管理员才能邀请' },
  MEMBER_EDIT_OTHERS_FORBIDDEN: { code: 4001013, msg: 'Unable to edit other member\'s information', msgZh: '不可修改其他成员信息' },
  ACCOUNT_DELETE_SELF_FORBIDDEN: { code: 4001014, msg: 'Unable to delete your own account', msgZh: '不能删除本人' },
  PRODUCT_LINK_TYPE_UNKNOWN: { code: 4001015, msg: 'Unknown product connectivity type', msgZh: '未知的产品连接类型' },
  PRODUCT_PUBLISHED_UNDELETABLE: { code: 4001016, msg: 'Unable to delete published product', msgZh: '已发布的产品不可删除' },
  FIRMWARE_VERSION_EXISTS: { code: 4001017, msg: 'Firmware version exist', msgZh: '固件版本已存在' },
  DATAPOINT_TYPE_UNKNOWN: { code: 4001018, msg: 'Data point unknown data type', msgZh: '数据端点未知数据类型' },
  DATAPOINT_INDEX_EXISTS: { code: 4001019, msg: 'Data point index has exist', msgZh: '数据端点索引已存在' },
  DATAPOINT_PUBLISHED_UNDELETABLE: { code: 4001020, msg: 'Unable to delete published data point', msgZh: '已发布的数据端点不可删除' },
  DEVICE_MAC_EXISTS: { code: 4001021, msg: 'MAC address has already exist of this product', msgZh: '该产品下设备MAC地址已存在' },
  DEVICE_ACTIVATED_UNDELETABLE: { code: 4001022, msg: 'Unable to delete activated device', msgZh: '不能删除已激活的设备' },
  EXTENSION_KEY_RESERVED: { code: 4001023, msg: 'Extension properties Key were default property', msgZh: '扩展属性Key为预留字段' },
  DEVICE_EXTENSION_LIMIT_REACHED: { code: 4001024, msg: 'Device extensions reached limit', msgZh: '设备扩展属性超过上限' },
  EXTENSION_PROPERTY_EXISTS: { code: 4001025, msg: 'Unable to add existed extension properties', msgZh: '新增已存在的扩展属性' },
  EXTENSION_PROPERTY_MISSING: { code: 4001026, msg: 'Unable to update not existed extension properties', msgZh: '更新不存在的扩展属性' },
  VARIABLE_NAME_ILLEGAL: { code: 4001027, msg: 'Variable name illegal', msgZh: '属性字段名不合法' },
  EMAIL_CODE_NOT_FOUND: { code: 4001028, msg: 'Email verification code does not exist', msgZh: '邮件验证码不存在' },
  EMAIL_CODE_INVALID: { code: 4001029, msg: 'Wrong email verification code', msgZh: '邮件验证码错误' },
  USER_STATUS_ILLEGAL: { code: 4001030, msg: 'User account status illegal', msgZh: '用户状态不合法' },
  USER_PHONE_UNVERIFIED: { code: 4001031, msg: 'User phone number unverified', msgZh: '用户手机尚未认证' },
  USER_EMAIL_UNVERIFIED: { code: 4001032, msg: 'User email address unverified', msgZh: '用户邮箱尚未认证' },
  DEVICE_ALREADY_SUBSCRIBED: { code: 4001033, msg: 'Device has already been subscribed', msgZh: '用户已经订阅设备' },
  DEVICE_NOT_SUBSCRIBED: { code: 4001034, msg: 'User did not subscribed the device', msgZh: '用户没有订阅该设备' },
  AUTO_UPGRADE_TASK_EXISTS: { code: 4001035, msg: 'Auto update task already exist', msgZh: '自动升级任务名称已存在' },
  UPGRADE_STATUS_UNKNOWN: { code: 4001036, msg: 'Updating status unknown', msgZh: '升级任务状态未知' },
  INITIAL_VERSION_UPGRADE_TASK_EXISTS: { code: 4001037, msg: 'Initial version updating task already exist', msgZh: '已有相同的起始版本升级任务' },
  DEVICE_ACTIVATION_FAILED: { code: 4001038, msg: 'Device activation failed', msgZh: '设备激活失败' },
  DEVICE_VERIFICATION_FAILED: { code: 4001039, msg: 'Device verification failed', msgZh: '设备认证失败' },
  SUBSCRIBE_CODE_INVALID: { code: 4001041, msg: 'Wrong Subscribed device verification code', msgZh: '订阅设备认证码错误' },
  AUTH_NAME_EXISTS: { code: 4001042, msg: 'Authentic name exist', msgZh: '授权名称已存在' },
  ALERT_RULE_NAME_EXISTS: { code: 4001043, msg: 'Warning rules name has already exist', msgZh: '该告警规则名称已存在' },
  DATA_TABLE_NAME_EXISTS: { code: 4001045, msg: 'Data table name has already exist', msgZh: '数据表名称已存在' },
  FIRMWARE_TOO_LARGE: { code: 4001046, msg: 'Firmware oversized', msgZh: '产品固件文件超过大小限制' },
  APN_LICENSE_TOO_LARGE: { code: 4001047, msg: 'APN licence file oversized', msgZh: 'APN密钥文件超过大小限制' },
  APP_APN_DISABLED: { code: 4001048, msg: 'APP did not enable APN', msgZh: 'APP的APN功能未启用' },
  PRODUCT_REGISTRATION_UNAVAILABLE: { code: 4001049, msg: 'Product is not available to register', msgZh: '产品未允许用户注册设备' },
  EMAIL_TEMPLATE_TYPE_EXISTS: { code: 4001050, msg: 'Followed email template type had exist', msgZh: '该类型的邮件模板已存在' },
  EMAIL_TEMPLATE_PARAM_MISSING: { code: 4001051, msg: 'Lack of email template main text parameter', msgZh: '邮件模板正文内容参数缺失' },

  // 403 Forbidden: authorization
  ACCESS_DENIED: { code: 4031001, msg: 'Access denied', msgZh: '禁止访问' },
  ACCESS_TOKEN_REQUIRED: { code: 4031002, msg: 'Access denied, need Access-Token', msgZh: '禁止访问，需要Access-Token' },
  ACCESS_TOKEN_INVALID: { code: 4031003, msg: 'Invalid Access-Token', msgZh: '无效的Access-Token' },
  ENTERPRISE_ALLOCATE_PERMISSION_REQUIRED: { code: 4031004, msg: 'Require Enterprise allocate permission', msgZh: '需要企业的调用权限' },
  ENTERPRISE_ADMIN_PERMISSION_REQUIRED: { code: 4031005, msg: 'Require Enterprise admin permission', msgZh: '需要企业管理员权限' },
  DATA_OPERATE_PERMISSION_REQUIRED: { code: 4031006, msg: 'Require data operate permission', msgZh: '需要数据操作权限' },
  PRIVATE_DATA_ACCESS_DENIED: { code: 4031007, msg: 'Private data access denied', msgZh: '禁止访问私有数据' },
  SHARE_CANCELED: { code: 4031008, msg: 'Sharing relation has been canceled', msgZh: '分享已经被取消' },
  SHARE_ALREADY_ACCEPTED: { code: 4031009, msg: 'Sharing relation has already been accepted', msgZh: '分享已经接受' },
  SUBSCRIBED_DEVICE_MISSING: { code: 4031010, msg: 'Unable to operate, unable to find subscribed devices', msgZh: '用户没有订阅设备，不能执行操作' },

  // 404 Not Found: the resource does not exist
  URL_NOT_FOUND: { code: 4041001, msg: 'URL not found', msgZh: 'URL找不到' },
  MEMBER_ACCOUNT_NOT_FOUND: { code: 4041002, msg: 'Enterprise member account does not exist', msgZh: '企业成员帐号不存在' },
  MEMBER_NOT_FOUND: { code: 4041003, msg: 'Enterprise member does not exist', msgZh: '企业成员不存在' },
  MEMBER_ACTIVATION_EMAIL_NOT_FOUND: { code: 4041004, msg: 'Activated enterprise member email address does not exist', msgZh: '激活的成员邮箱不存在' },
  PRODUCT_NOT_FOUND: { code: 4041005, msg: 'Product does not exist', msgZh: '产品信息不存在' },
  FIRMWARE_NOT_FOUND: { code: 4041006, msg: 'Product firmware does not exist', msgZh: '产品固件不存在' },
  DATAPOINT_NOT_FOUND: { code: 4041007, msg: 'Data point does not exist', msgZh: '数据端点不存在' },
  DEVICE_NOT_FOUND: { code: 4041008, msg: 'Device does not exist', msgZh: '设备不存在' },
  DEVICE_EXTENSION_NOT_FOUND: { code: 4041009, msg: 'Device extending property does not exist', msgZh: '设备扩展属性不存在' },
  ENTERPRISE_NOT_FOUND: { code: 4041010, msg: 'Enterprise does not exist', msgZh: '企业不存在' },
  USER_NOT_FOUND: { code: 4041011, msg: 'User does not exist', msgZh: '用户不存在' },
  USER_EXTENSION_NOT_FOUND: { code: 4041012, msg: 'User extension property does not exist', msgZh: '用户扩展属性不存在' },
  UPGRADE_TASK_NOT_FOUND: { code: 4041013, msg: 'Upgrading task does not exist', msgZh: '升级任务不存在' },
  THIRD_PARTY_AUTH_NOT_FOUND: { code: 4041014, msg: 'Third party empower does not exist', msgZh: '第三方身份授权不存在' },
  ALERT_RULE_NOT_FOUND: { code: 4041015, msg: 'Warning rule does not exist', msgZh: '告警规则不存在' },
  DATA_TABLE_NOT_FOUND: { code: 4041016, msg: 'Data table does not exist', msgZh: '数据表不存在' },
  DATA_NOT_FOUND: { code: 4041017, msg: 'Data does not exist', msgZh: '数据不存在' },
  SHARE_NOT_FOUND: { code: 4041018, msg: 'Sharing resource does not exist', msgZh: '分享资源不存在' },
  ENTERPRISE_EMAIL_NOT_FOUND: { code: 4041019, msg: 'Enterprise email address does not exist', msgZh: '企业邮箱不存在' },
  APP_NOT_FOUND: { code: 4041020, msg: 'App does not exist', msgZh: 'APP不存在' },
  FORWARD_RULE_NOT_FOUND: { code: 4041021, msg: 'Product forward rule does not exist', msgZh: '产品转发规则不存在' },
  EMAIL_TEMPLATE_NOT_FOUND: { code: 4041022, msg: 'Email template does not exist', msgZh: '邮件模板不存在' },

  // 503 Service Unavailable: the server failed
  SERVER_EXCEPTION: { code: 5031001, msg: 'Server exception', msgZh: '服务端发生异常' },
} as const satisfies Record<string, CatalogEntry>;

interface CatalogEntry {
  readonly code: number;
  readonly msg: string;
  readonly msgZh: string;
}

type Catalog = typeof CATALOG;

/** The 82 official names. */
type OfficialName = keyof Catalog;

/** The registered entry maps, as a union (`never` when nothing is registered). */
type RegisteredMaps = { [K in keyof XlinkErrorRegister]: XlinkErrorRegister[K] }[keyof XlinkErrorRegister];
type NamesOf<M> = M extends object ? Extract<keyof M, string> : never;
type CodesOf<M> = M extends object ? { [N in keyof M]: M[N] extends { readonly code: infer C extends number } ? C : never }[keyof M] : never;
// Indexed, not matched against a mapped type `{ [K in N]: E }`: TypeScript 5.x reads a name in a
// mapped type's keys as contravariant, which made `XlinkError<'DEVICE_NOT_FOUND'>` no `XlinkError`.
type EntryIn<M, N> = M extends object ? (N extends keyof M ? M[N] : never) : never;

/** The entry a name designates: the catalog's, else a registered one. */
type EntryOf<N> = N extends OfficialName ? Catalog[N] : EntryIn<RegisteredMaps, N>;

/** The union of the catalog names (and of the registered ones), e.g. `'DEVICE_NOT_FOUND'`. */
export type XlinkErrorName = OfficialName | NamesOf<RegisteredMaps>;

/** The union of the catalog codes (and of the registered ones), e.g. `4041008`. */
export type XlinkErrorCode = Catalog[OfficialName]['code'] | CodesOf<RegisteredMaps>;

/** The first three digits of a code, as a number type; `number` for a code that is not a literal. */
type StatusDigits<C extends number> = C extends number
  ? `${C}` extends `${infer A}${infer B}${infer D}${string}`
    ? `${A}${B}${D}` extends `${infer S extends number}`
      ? S
      : number
    : number
  : never;

/**
 * The statuses an Xlink error can have: 400, 403, 404 and 503 for the catalog, and those of the
 * registered codes (their first three digits, 400-599).
 */
export type XlinkStatus = 400 | 403 | 404 | 503 | StatusDigits<CodesOf<RegisteredMaps>>;

/**
 * The status of a code: its first three digits, computed at the type level (`number` for a code
 * that is not a literal). It does not depend on what is registered, so that `defineXlinkErrors()`
 * can use it for the maps users register without a circular type.
 */
export type XlinkStatusOf<C extends number> = StatusDigits<C>;

/** The code of a name. */
export type XlinkCodeOf<N extends XlinkErrorName> = EntryOf<N> extends { readonly code: infer C extends number } ? C : never;

/** The name of a code. */
export type XlinkNameOf<C extends XlinkErrorCode> = {
  [N in XlinkErrorName]: XlinkCodeOf<N> extends C ? N : never;
}[XlinkErrorName];

/** What an Xlink error is: its code, its HTTP status and its (English) catalog message. */
export type XlinkErrorEntry<N extends XlinkErrorName = XlinkErrorName> = {
  readonly code: XlinkCodeOf<N>;
  readonly status: XlinkStatusOf<XlinkCodeOf<N>>;
  readonly msg: EntryOf<N> extends { readonly msg: infer M extends string } ? M : string;
};

/** Anything `xlinkError()` accepts to pick an entry: a name, a code, or the code's 7-digit string. */
export type XlinkErrorKey = XlinkErrorName | XlinkErrorCode | `${XlinkErrorCode}`;

/**
 * The name that a key designates. (Its conditions name no registered type on purpose: so the
 * return type of `xlinkError()` can be read without resolving the registry, which TypeScript
 * does for a bare `xlinkError(...)` statement placed before the `typeof` a registration names.)
 */
export type XlinkNameOfKey<K extends XlinkErrorKey> = K extends number
  ? XlinkNameOf<K & XlinkErrorCode>
  : K extends `${infer C extends number}`
    ? XlinkNameOf<C & XlinkErrorCode>
    : K;

/** Everything the package knows about one entry; internal, derived once per entry. */
export interface CatalogRecord {
  readonly name: XlinkErrorName;
  readonly code: XlinkErrorCode;
  readonly status: XlinkStatus;
  readonly msg: string;
  /** The Chinese message: the official text, or for a defined entry its `msgZh`, else its `msg`. */
  readonly msgZh: string;
  /** Whether `msgZh` is a Chinese text of the entry's own (false for a defined entry without one). */
  readonly hasMsgZh: boolean;
  /** Whether the entry is one of the 82 of the Xlink table (else it was defined by `defineXlinkErrors`). */
  readonly official: boolean;
  /** Index in catalog order, then definition order; used to address per-entry caches. */
  readonly index: number;
}

const records: CatalogRecord[] = [];
const byName = new Map<string, CatalogRecord>();
const byCode = new Map<number, CatalogRecord>();
const publicTable: Record<string, XlinkErrorEntry> = {};

for (const name of Object.keys(CATALOG) as OfficialName[]) {
  const { code, msg, msgZh } = CATALOG[name];
  const status = Math.floor(code / 10000) as XlinkStatus;
  const record: CatalogRecord = Object.freeze({ name, code, status, msg, msgZh, hasMsgZh: true, official: true, index: records.length });
  records.push(record);
  byName.set(name, record);
  byCode.set(code, record);
  publicTable[name] = Object.freeze({ code, status, msg } as XlinkErrorEntry);
}

/**
 * The frozen catalog, keyed by name.
 *
 * @example
 * XLINK_ERRORS.DEVICE_NOT_FOUND // { code: 4041008, status: 404, msg: 'Device does not exist' }
 */
export const XLINK_ERRORS: { readonly [N in OfficialName]: XlinkErrorEntry<N> } = Object.freeze(
  publicTable,
) as { readonly [N in OfficialName]: XlinkErrorEntry<N> };

/** Every entry of the catalog (the 82), in catalog order. */
export const catalogRecords: readonly CatalogRecord[] = Object.freeze(records.slice());

/**
 * The `TypeError` for an unknown key, from `fn`, with a "did you mean" hint from the known names
 * (official and defined): `xlinkError: unknown Xlink error 'DEVICE_NOT_FOND': did you mean 'DEVICE_NOT_FOUND'?`.
 */
export function unknownKeyError(fn: string, key: unknown): TypeError {
  return new TypeError(`${fn}: ${unknownKeyMessage(key, knownRecords().map((r) => r.name))}`);
}

/** Every code of the catalog (the 82), in catalog order. */
export const catalogCodes: readonly XlinkErrorCode[] = Object.freeze(records.map((r) => r.code));

/**
 * The catalog message of an entry in a language: the Xlink table's English (default) or its
 * official Chinese text. Throws a `TypeError` for an unknown name or code.
 *
 * @example
 * xlinkMessage('DEVICE_NOT_FOUND');          // 'Device does not exist'
 * xlinkMessage(4041008, 'zh-CN');            // '设备不存在'
 */
export function xlinkMessage(key: XlinkErrorKey, locale: 'en' | 'zh-CN' = 'en'): string {
  const record = findCatalogRecord(key);
  if (record === undefined) throw unknownKeyError('xlinkMessage', key);
  if (locale !== 'en' && locale !== 'zh-CN') throw new TypeError(`xlinkMessage: locale must be 'en' or 'zh-CN', got ${JSON.stringify(locale)}`);
  return locale === 'zh-CN' ? record.msgZh : record.msg;
}

/**
 * Finds the entry for a name, a code or a 7-digit code string, official or defined; `undefined`
 * if there is none. Never throws, whatever it is given.
 */
export function findCatalogRecord(key: unknown): CatalogRecord | undefined {
  const record = lookup(key);
  // Not known here yet: another copy of the package may have defined it since.
  if (record !== undefined || indexed === shared.entries().length) return record;
  syncDefined();
  return lookup(key);
}

function lookup(key: unknown): CatalogRecord | undefined {
  if (typeof key === 'string') {
    const record = byName.get(key);
    if (record !== undefined) return record;
    // Only the canonical 7-digit form: no signs, spaces, exponents or leading zeros.
    return /^[1-9]\d{6}$/.test(key) ? byCode.get(Number(key)) : undefined;
  }
  return typeof key === 'number' ? byCode.get(key) : undefined;
}

// The registry of defined codes -----------------------------------------------------------------

/**
 * One defined entry as the registry keeps it: plain, frozen data, so that every copy of the
 * package (the ESM and CommonJS builds side by side, two versions) reads it the same way.
 */
export interface SharedEntry {
  readonly name: string;
  readonly code: number;
  readonly msg: string;
  readonly msgZh?: string;
}

/**
 * The process-wide registry: definitions in order, only ever appended to, and only through `add`,
 * which enforces the rules of `defineXlinkErrors` whoever calls it. Its entries are kept out of
 * reach: `entries()` hands out a frozen copy (the same one until the next definition), so
 * nothing can push to it, empty it or edit an entry behind the rules, and every copy of the
 * package reads the same list.
 */
interface SharedRegistry {
  /** The definitions so far, frozen, in definition order. */
  readonly entries: () => readonly SharedEntry[];
  /** Appends entries, all or none: a `TypeError` if one breaks a rule; identical ones are skipped. */
  readonly add: (entries: readonly SharedEntry[]) => void;
}

/**
 * Where the registry lives: on `globalThis`, under a key every copy of the package computes
 * alike, defined once, not writable, not configurable. The `v2` names the layout above (v1, never
 * released, exposed its array). Later versions may add optional fields to entries, which older
 * copies ignore; a change older copies could not read would need a new key, and copies on
 * different keys would no longer share their definitions.
 */
const REGISTRY_KEY = Symbol.for('xlink-errors.definedErrors.v2');

const shared: SharedRegistry = openRegistry();

function openRegistry(): SharedRegistry {
  const holder = globalThis as { [REGISTRY_KEY]?: unknown };
  const found = holder[REGISTRY_KEY];
  if (isRegistry(found)) return found;
  const registry = createRegistry();
  // Not writable, not configurable: once there, no copy can swap it for another. (Something else
  // under the key: this copy keeps its definitions to itself.)
  if (found === undefined) Object.defineProperty(globalThis, REGISTRY_KEY, { value: registry });
  return registry;
}

function isRegistry(value: unknown): value is SharedRegistry {
  return typeof value === 'object' && value !== null && Object.isFrozen(value) && typeof (value as SharedRegistry).entries === 'function' && typeof (value as SharedRegistry).add === 'function';
}

/** A new registry; the rules of `add` are those of the copy that made it (its official catalog included). */
function createRegistry(): SharedRegistry {
  let list: readonly SharedEntry[] = Object.freeze([]);
  return Object.freeze({
    entries: () => list,
    add(entries: readonly SharedEntry[]): void {
      if (!Array.isArray(entries)) throw new TypeError('xlink-errors registry: add() takes an array of entries');
      const names = new Map(list.map((e) => [e.name, e]));
      const codes = new Map(list.map((e) => [e.code, e]));
      const fresh: SharedEntry[] = [];
      for (const given of entries as unknown[]) {
        const entry = plainEntry(given);
        const official = byName.get(entry.name) ?? byCode.get(entry.code);
        if (official?.official) throw new TypeError(`xlink-errors registry: ${entry.name} (${entry.code}) has the name or code of the official ${official.name}`);
        const same = names.get(entry.name);
        if (same !== undefined) {
          if (same.code !== entry.code || same.msg !== entry.msg || same.msgZh !== entry.msgZh) throw new TypeError(`xlink-errors registry: ${entry.name} is defined already, differently`);
          continue;
        }
        if (codes.has(entry.code)) throw new TypeError(`xlink-errors registry: the code ${entry.code} is defined already, as ${codes.get(entry.code)!.name}`);
        names.set(entry.name, entry);
        codes.set(entry.code, entry);
        fresh.push(entry);
      }
      if (fresh.length > 0) list = Object.freeze([...list, ...fresh]);
    },
  });
}

/** UPPER_SNAKE_CASE: a capital first, words of capitals and digits joined by single underscores. */
export const ENTRY_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

/** A frozen plain copy of a well-formed entry (each field read once); a `TypeError` for anything else. */
function plainEntry(value: unknown): SharedEntry {
  let entry: SharedEntry;
  try {
    const { name, code, msg, msgZh } = value as SharedEntry;
    entry = msgZh === undefined ? { name, code, msg } : { name, code, msg, msgZh };
  } catch {
    throw new TypeError('xlink-errors registry: an entry whose fields cannot be read');
  }
  if (!isSharedEntry(entry)) throw new TypeError(`xlink-errors registry: a malformed entry ${typeof entry.name === 'string' ? entry.name : ''}`.trimEnd());
  return Object.freeze(entry);
}

/** How many shared entries this copy has indexed. */
let indexed = 0;

/** Indexes the entries other copies (or this one) added to the registry since the last look. */
function syncDefined(): void {
  const entries = shared.entries();
  while (indexed < entries.length) {
    const entry = entries[indexed++]!;
    // The registry checked it (it may be another copy's, of another version); still, skip
    // anything malformed, or that would clash here (an official code of a newer catalog)
    // rather than shadow an entry.
    if (!isSharedEntry(entry) || byName.has(entry.name) || byCode.has(entry.code)) continue;
    const { name, code, msg, msgZh } = entry;
    const status = Math.floor(code / 10000) as XlinkStatus;
    const record: CatalogRecord = Object.freeze({
      name: name as XlinkErrorName,
      code: code as XlinkErrorCode,
      status,
      msg,
      msgZh: msgZh ?? msg,
      hasMsgZh: msgZh !== undefined,
      official: false,
      index: records.length,
    });
    records.push(record);
    byName.set(name, record);
    byCode.set(code, record);
    defined.push(Object.freeze(entry));
  }
}

/** The defined entries this copy indexed, as read from the registry. */
const defined: SharedEntry[] = [];

function isSharedEntry(entry: SharedEntry): boolean {
  const { name, code, msg, msgZh } = entry as { [K in keyof SharedEntry]: unknown };
  return (
    typeof name === 'string' &&
    ENTRY_NAME.test(name) &&
    typeof code === 'number' &&
    Number.isInteger(code) &&
    code >= 4000000 &&
    code <= 5999999 &&
    typeof msg === 'string' &&
    msg !== '' &&
    (msgZh === undefined || (typeof msgZh === 'string' && msgZh !== ''))
  );
}

/** The defined entries, up to date (for `defineXlinkErrors` to check against). */
export function definedEntries(): readonly SharedEntry[] {
  if (indexed !== shared.entries().length) syncDefined();
  return defined;
}

/** Adds checked entries to the registry, all at once, and indexes them here. */
export function addDefinedEntries(entries: readonly SharedEntry[]): void {
  shared.add(entries);
  syncDefined();
}

/**
 * Every known entry: the 82 of the catalog in catalog order, then the defined ones in the order
 * they were defined (by any copy of the package). Internal: for tooling (OpenAPI, the CLI).
 */
export function knownRecords(): readonly CatalogRecord[] {
  if (indexed !== shared.entries().length) syncDefined();
  return records.slice();
}

let codesCache: { readonly count: number; readonly codes: readonly XlinkErrorCode[] } = { count: records.length, codes: catalogCodes };

/** Every known code, in `knownRecords()` order: the same frozen array until a code is defined. */
export function knownCodes(): readonly XlinkErrorCode[] {
  if (indexed !== shared.entries().length) syncDefined();
  if (codesCache.count !== records.length) codesCache = { count: records.length, codes: Object.freeze(records.map((r) => r.code)) };
  return codesCache.codes;
}
