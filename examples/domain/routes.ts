/**
 * The HTTP surface of the example, as data: method, path, whether it needs an `Access-Token`,
 * the JSON Schemas of its request, and what it calls. The Express and Koa apps both mount this
 * one table, so they answer alike; only the framework glue differs.
 */
import type { XlinkValidateSchemas } from 'xlink-errors';
import { twoFactorCode, type XlinkService } from './service';

export interface RouteInput {
  body: any; // validated against the route's schema before the handler runs
  params: any;
  query: any;
  /** The caller, for routes that require an Access-Token. */
  userId: number;
  /** The caller's address (client-address.ts), for the per-client limits. */
  client: string;
}

export interface Route {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  auth: boolean;
  schemas?: XlinkValidateSchemas;
  /** Mounted only when this says so (the two-factor routes, with XLINK_TWO_FACTOR=email); otherwise 404 like any unknown path. */
  when?: (service: XlinkService) => boolean;
  /** What to answer with 200; `undefined` is an empty 200, as the Xlink docs' "无"/"NULL". */
  handle(service: XlinkService, input: RouteInput): unknown;
}

// Field schemas, from the Xlink User Identity API tables.
const corpId = { type: 'string', minLength: 1, maxLength: 64 } as const;
const email = { type: 'string', format: 'email', maxLength: 254 } as const;
/** Digits; leading zeros are not part of the number (`013912345678` is `13912345678`: see canonicalPhone). */
const phone = { type: 'string', pattern: '^0*[1-9][0-9]{4,19}$' } as const;
const phoneZone = { type: 'string', pattern: '^\\+?[0-9]{1,4}$' } as const;
const password = { type: 'string', minLength: 6, maxLength: 16 } as const;
const nickname = { type: 'string', minLength: 2, maxLength: 32 } as const;
const code = { type: 'string', minLength: 1, maxLength: 16 } as const;
const source = { enum: [1, 2, 3, 4, 5, 6, 10, '1', '2', '3', '4', '5', '6', '10'] } as const;
const localLang = { type: 'string', enum: ['zh-cn', 'en-us'] } as const;
const inviteCode = { type: 'string', minLength: 1, maxLength: 64 } as const;

const object = (required: string[], properties: Record<string, object>, extra: object = {}) =>
  ({ type: 'object', required, properties, additionalProperties: false, ...extra }) as const;
/** An account named by email or by phone: exactly one of them. */
const emailOrPhone = { oneOf: [{ required: ['email'] }, { required: ['phone'] }] } as const;
/** Ids in paths: canonical decimal only (`0x3EA`, ` 1002`, `01002` and `1e3` are not 1002); read with `Number()`. */
const id = { type: 'string', pattern: '^[1-9][0-9]{0,14}$' } as const;
const productId = { type: 'string', pattern: '^[0-9A-Za-z]{1,64}$' } as const;
const userIdParams = { params: object(['user_id'], { user_id: id }) } as const;
const deviceParams = { product_id: productId, device_id: id } as const;
/** Extension properties: any JSON values under keys the service checks (it answers the catalog codes). */
const properties = { type: 'object', minProperties: 1 } as const;
/** What login clients send as `resource`: a string, or a number (pycync sends `1`). */
const resource = { anyOf: [{ type: 'string', maxLength: 64 }, { type: 'integer' }] } as const;
/** The emailed two-factor code: a string, or a number (cync2mqtt and others send `123456`). */
const twoFactor = { anyOf: [code, { type: 'integer', minimum: 0, maximum: 999_999 }] } as const;
const twoFactorOn = (s: XlinkService) => s.twoFactor === 'email';

export const routes: Route[] = [
  {
    method: 'post',
    path: '/v2/user_register/verifycode',
    auth: false,
    schemas: { body: object(['corp_id', 'phone'], { corp_id: corpId, phone, phone_zone: phoneZone, captcha: code }) },
    handle: (s, { body, client }) => s.sendRegisterSms(body, client),
  },
  {
    method: 'post',
    path: '/v2/user_register',
    auth: false,
    schemas: {
      body: {
        type: 'object',
        properties: {
          email,
          phone,
          phone_zone: phoneZone,
          nickname,
          corp_id: corpId,
          verifycode: code,
          password,
          source,
          local_lang: localLang,
          plugin_id: { type: 'string', maxLength: 64 },
        },
        additionalProperties: false,
        // By phone: nickname and the SMS code are required too; by email, the email.
        if: { required: ['phone'] },
        then: { required: ['phone', 'nickname', 'corp_id', 'verifycode', 'password', 'source'] },
        else: { required: ['email', 'corp_id', 'password', 'source'] },
      },
    },
    handle: (s, { body, client }) => (body.phone !== undefined ? s.registerByPhone(body) : s.registerByEmail(body, client)),
  },
  {
    method: 'post',
    path: '/v2/user_email_activate',
    auth: false,
    schemas: { body: object(['corp_id', 'verifycode', 'email'], { corp_id: corpId, verifycode: code, email }) },
    handle: (s, { body }) => s.activateEmail(body),
  },
  {
    method: 'post',
    path: '/v2/user_auth',
    auth: false,
    schemas: {
      body: object(['corp_id', 'password'], { corp_id: corpId, email, phone, phone_zone: phoneZone, password, resource }, emailOrPhone),
    },
    handle: (s, { body }) => s.login(body),
  },
  {
    method: 'post',
    path: '/v2/two_factor/email/verifycode',
    auth: false,
    when: twoFactorOn,
    schemas: { body: object(['corp_id', 'email'], { corp_id: corpId, email, local_lang: { type: 'string', maxLength: 16 } }) },
    handle: (s, { body, client }) => s.sendTwoFactorCode(body, client),
  },
  {
    method: 'post',
    path: '/v2/user_auth/two_factor',
    auth: false,
    when: twoFactorOn,
    schemas: { body: object(['corp_id', 'email', 'password', 'two_factor'], { corp_id: corpId, email, password, two_factor: twoFactor, resource }) },
    handle: (s, { body: { two_factor, ...body }, client }) => s.login(body, twoFactorCode(two_factor), client),
  },
  {
    method: 'post',
    path: '/v2/user/token/refresh',
    auth: false, // the refresh token is the credential; Access-Token may be absent
    schemas: { body: object(['refresh_token'], { refresh_token: { type: 'string', minLength: 1, maxLength: 128 } }) },
    handle: (s, { body }) => s.refresh(body),
  },
  {
    method: 'put',
    path: '/v2/user/password/reset',
    auth: true,
    schemas: { body: object(['old_password', 'new_password'], { old_password: password, new_password: password }) },
    handle: (s, { userId, body }) => s.changePassword(userId, body),
  },
  {
    method: 'post',
    path: '/v2/user/password/forgot',
    auth: false,
    schemas: { body: object(['corp_id'], { corp_id: corpId, email, phone, phone_zone: phoneZone, captcha: code }, emailOrPhone) },
    handle: (s, { body, client }) => s.forgotPassword(body, client),
  },
  {
    method: 'post',
    path: '/v2/user/password/foundback',
    auth: false,
    schemas: {
      body: object(['corp_id', 'verifycode', 'new_password'], { corp_id: corpId, email, phone, phone_zone: phoneZone, verifycode: code, new_password: password }, emailOrPhone),
    },
    handle: (s, { body }) => s.resetForgottenPassword(body),
  },
  {
    method: 'get',
    path: '/v2/user/:user_id/open_info',
    auth: false,
    schemas: userIdParams,
    handle: (s, { params }) => s.openInfo(Number(params.user_id)),
  },
  {
    method: 'get',
    path: '/v2/user/:user_id',
    auth: true,
    schemas: userIdParams,
    handle: (s, { userId, params }) => s.userInfo(userId, Number(params.user_id)),
  },
  {
    method: 'put',
    path: '/v2/user/:user_id',
    auth: true,
    schemas: {
      ...userIdParams,
      body: object(
        [],
        {
          nickname,
          remark: { type: 'string', maxLength: 256 },
          tags: { type: 'array', items: { type: 'string', maxLength: 32 }, maxItems: 32 },
          avatar: { type: 'string', format: 'uri', pattern: '^[hH][tT][tT][pP][sS]?://', maxLength: 1024 }, // http(s) only: it is served to other users
          country: { type: 'string', maxLength: 64 },
          province: { type: 'string', maxLength: 64 },
          city: { type: 'string', maxLength: 64 },
          gender: { enum: [1, 2, -1] },
          age: { type: 'integer', minimum: 0, maximum: 150 },
        },
        // "country/province/city ... 若是存在则必须存在层级关系"
        { dependencies: { province: ['country'], city: ['province'] } },
      ),
    },
    handle: (s, { userId, params, body }) => s.updateUser(userId, Number(params.user_id), body),
  },
  {
    method: 'get',
    path: '/v2/user/:user_id/subscribe/devices',
    auth: true,
    schemas: {
      ...userIdParams,
      query: object([], { version: { type: 'string', pattern: '^[0-9]{1,15}$' }, filter: { type: 'string', maxLength: 256 } }),
    },
    handle: (s, { userId, params, query }) => s.listDevices(userId, Number(params.user_id), query),
  },
  {
    method: 'post',
    path: '/v2/user/:user_id/unsubscribe',
    auth: true,
    schemas: { ...userIdParams, body: object(['device_id'], { device_id: { type: 'integer', minimum: 1 } }) },
    handle: (s, { userId, params, body }) => s.unsubscribe(userId, Number(params.user_id), body),
  },
  {
    method: 'get',
    path: '/v2/product/:product_id/device/:device_id/property',
    auth: true,
    schemas: { params: object(['product_id', 'device_id'], deviceParams) },
    handle: (s, { userId, params }) => s.deviceProperties(userId, params.product_id, Number(params.device_id)),
  },
  {
    method: 'post',
    path: '/v2/product/:product_id/device/:device_id/property',
    auth: true,
    schemas: { params: object(['product_id', 'device_id'], deviceParams), body: properties },
    handle: (s, { userId, params, body }) => s.setDeviceProperties(userId, params.product_id, Number(params.device_id), body, 'set'),
  },
  {
    method: 'put',
    path: '/v2/product/:product_id/device/:device_id/property',
    auth: true,
    schemas: { params: object(['product_id', 'device_id'], deviceParams), body: properties },
    handle: (s, { userId, params, body }) => s.setDeviceProperties(userId, params.product_id, Number(params.device_id), body, 'update'),
  },
  {
    method: 'get',
    path: '/v2/product/:product_id/device/:device_id/property/:key',
    auth: true,
    schemas: { params: object(['product_id', 'device_id', 'key'], { ...deviceParams, key: { type: 'string', minLength: 1, maxLength: 64 } }) },
    handle: (s, { userId, params }) => s.deviceProperty(userId, params.product_id, Number(params.device_id), params.key),
  },
  {
    method: 'delete',
    path: '/v2/product/:product_id/device/:device_id/property/:key',
    auth: true,
    schemas: { params: object(['product_id', 'device_id', 'key'], { ...deviceParams, key: { type: 'string', minLength: 1, maxLength: 64 } }) },
    handle: (s, { userId, params }) => s.deleteDeviceProperty(userId, params.product_id, Number(params.device_id), params.key),
  },
  {
    method: 'post',
    path: '/v2/share/device',
    auth: true,
    schemas: {
      body: object(['device_id', 'expire', 'mode'], {
        device_id: { type: 'integer', minimum: 1 },
        user: { type: 'string', minLength: 1, maxLength: 254 },
        expire: { type: 'integer', minimum: 1, maximum: 30 * 24 * 3600 },
        mode: { type: 'string', enum: ['app', 'qrcode', 'email'] },
      }),
    },
    handle: (s, { userId, body }) => s.shareDevice(userId, body),
  },
  {
    method: 'post',
    path: '/v2/share/device/cancel',
    auth: true,
    schemas: { body: object(['invite_code'], { invite_code: inviteCode }) },
    handle: (s, { userId, body }) => s.cancelShare(userId, body),
  },
  {
    method: 'post',
    path: '/v2/share/device/accept',
    auth: true,
    schemas: { body: object(['invite_code'], { invite_code: inviteCode }) },
    handle: (s, { userId, body }) => s.acceptShare(userId, body),
  },
  {
    method: 'post',
    path: '/v2/share/device/deny',
    auth: true,
    schemas: { body: object(['invite_code'], { invite_code: inviteCode, reason: { type: 'string', maxLength: 256 } }) },
    handle: (s, { userId, body }) => s.denyShare(userId, body),
  },
  {
    method: 'get',
    path: '/v2/share/device/list',
    auth: true,
    handle: (s, { userId }) => s.listShares(userId),
  },
  {
    method: 'delete',
    path: '/v2/share/device/delete/:invite_code',
    auth: true,
    schemas: { params: object(['invite_code'], { invite_code: inviteCode }) },
    handle: (s, { userId, params }) => s.deleteShare(userId, params.invite_code),
  },
];

/** The routes a service answers: those whose `when` holds (both apps mount exactly these). */
export function routesFor(service: XlinkService): Route[] {
  return routes.filter((route) => route.when === undefined || route.when(service));
}

/** Reads the `Access-Token` header as Xlink clients send it: the bare token, no `Bearer`. */
export function accessTokenOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const value = headers['access-token'];
  return Array.isArray(value) ? value[0] : value;
}
