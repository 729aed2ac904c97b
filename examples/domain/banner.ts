import type { ServiceOptions } from './service';
import { DEMO_DEVICE_IDS, DEMO_FRIEND, DEMO_FRIEND_DEVICE_ID, DEMO_PRODUCT_ID, DEMO_USER } from './store';

/** What the example servers print on start: where they are, the demo data, and curl lines to paste. */
export function banner(framework: string, url: string, corpId: string, options: ServiceOptions = {}): string {
  // With the second factor on, a login by email needs the emailed code: the line to paste logs in by phone.
  const login = JSON.stringify(options.twoFactor === 'email' ? { corp_id: corpId, phone: DEMO_USER.phone, password: DEMO_USER.password } : { corp_id: corpId, email: DEMO_USER.email, password: DEMO_USER.password });
  const wrong = JSON.stringify({ corp_id: corpId, email: DEMO_USER.email, password: 'wrong-pw' });
  return [
    `Xlink example API (${framework}) listening on ${url}`,
    '',
    `Demo enterprise: corp_id ${corpId}${corpId === '100fa2b6c5d3a000' ? ' (XLINK_CORP_ID to change it)' : ' (from XLINK_CORP_ID)'}`,
    `Demo users:      ${DEMO_USER.email} / ${DEMO_USER.password} (user 1001, phone ${DEMO_USER.phone}, devices ${DEMO_DEVICE_IDS.join(' and ')} of product ${DEMO_PRODUCT_ID})`,
    `                 ${DEMO_FRIEND.email} / ${DEMO_FRIEND.password} (user 1002, device ${DEMO_FRIEND_DEVICE_ID})`,
    'SMS and email verification codes are printed here instead of being sent.',
    ...(options.twoFactor === 'email'
      ? [
          'Two-factor login (XLINK_TWO_FACTOR=email): a password login by email answers 400 4001028; then',
          `  curl -s ${url}/v2/two_factor/email/verifycode -d '${JSON.stringify({ corp_id: corpId, email: DEMO_USER.email, local_lang: 'en-us' })}'   # the code is printed here`,
          `  curl -s ${url}/v2/user_auth/two_factor -d '${JSON.stringify({ corp_id: corpId, email: DEMO_USER.email, password: DEMO_USER.password, two_factor: 'CODE', resource: 1 })}'`,
        ]
      : []),
    ...(options.trustedProxies ? [`Client addresses from X-Forwarded-For (XLINK_TRUST_PROXY=${options.trustedProxies}).`] : []),
    'Stop with Ctrl-C.',
    '',
    'Try:',
    `  curl -i ${url}/v2/user/1001                      # 403 4031002: no Access-Token`,
    `  TOKEN=$(curl -s ${url}/v2/user_auth -d '${login}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')`,
    `  curl -s ${url}/v2/user/1001 -H "Access-Token: $TOKEN"`,
    `  curl -s ${url}/v2/user/1001/subscribe/devices -H "Access-Token: $TOKEN"`,
    `  curl -s ${url}/v2/product/${DEMO_PRODUCT_ID}/device/${DEMO_DEVICE_IDS[0]}/property -H "Access-Token: $TOKEN"`,
    `  curl -s ${url}/v2/user_auth -d '${wrong}'   # 400 4001007 Wrong password`,
    `  curl -s ${url}/v2/user_auth -d '{"corp_id":"${corpId}"}'                # 400 4001002`,
    `  curl -s ${url}/v2/device/1 -H 'Accept-Language: zh-CN'                       # 404 4041001, in Chinese`,
  ].join('\n');
}
