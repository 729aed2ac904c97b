// A user's own codes, defined and registered as README shows: importing this module defines them.
import { defineXlinkErrors } from 'xlink-errors';

export const appErrors = defineXlinkErrors({
  ACCESS_TOKEN_EXPIRED: { code: 4031021, msg: 'Access-Token expired', msgZh: 'Access-Token过期' },
  DEVICE_BUSY: { code: 4091001, msg: 'Device is busy' },
  DATABASE_UNAVAILABLE: { code: 5001001, msg: 'Database unavailable', msgZh: '数据库不可用' },
} as const);

declare module 'xlink-errors' {
  interface XlinkErrorRegister {
    app: typeof appErrors;
  }
}
