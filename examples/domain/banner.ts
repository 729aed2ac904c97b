import { DEMO_CORP_ID, DEMO_DEVICE_ID, DEMO_FRIEND, DEMO_USER } from './store';

/** What the example servers print on start: where they are, the demo data, and curl lines to paste. */
export function banner(framework: string, url: string): string {
  const login = JSON.stringify({ corp_id: DEMO_CORP_ID, email: DEMO_USER.email, password: DEMO_USER.password });
  const wrong = JSON.stringify({ corp_id: DEMO_CORP_ID, email: DEMO_USER.email, password: 'wrong-pw' });
  return [
    `Xlink example API (${framework}) listening on ${url}`,
    '',
    `Demo enterprise: corp_id ${DEMO_CORP_ID}`,
    `Demo users:      ${DEMO_USER.email} / ${DEMO_USER.password} (user 1001, phone ${DEMO_USER.phone}, manages device ${DEMO_DEVICE_ID})`,
    `                 ${DEMO_FRIEND.email} / ${DEMO_FRIEND.password} (user 1002)`,
    'SMS and email verification codes are printed here instead of being sent.',
    '',
    'Try:',
    `  curl -i ${url}/v2/user/1001                      # 403 4031002: no Access-Token`,
    `  curl -s ${url}/v2/user_auth -d '${login}'`,
    `  curl -s ${url}/v2/user/1001 -H 'Access-Token: <access_token from the login>'`,
    `  curl -s ${url}/v2/user_auth -d '${wrong}'   # 400 4001007 Wrong password`,
    `  curl -s ${url}/v2/user_auth -d '{"corp_id":"${DEMO_CORP_ID}"}'                # 400 4001002`,
    `  curl -s ${url}/v2/device/1 -H 'Accept-Language: zh-CN'                       # 404 4041001, in Chinese`,
  ].join('\n');
}
