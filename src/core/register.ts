// The one declaration of XlinkErrorRegister. The build makes the ESM declarations re-export the
// CommonJS one (scripts/build.mjs), so that augmenting 'xlink-errors' once, from ESM or CommonJS
// code, types both builds and every subpath (koa, testing), as a project may load either.

/**
 * Registers your own codes with TypeScript (the pattern of TanStack Router's and i18next's
 * `Register`): each property holds an entry map returned by `defineXlinkErrors()`, and its names
 * and codes join `XlinkErrorName`, `XlinkErrorCode` and `XlinkErrorKey`, each keeping its
 * literal `code` and `status`. The property names are yours (`app`, `extended`...).
 *
 * @example
 * export const appErrors = defineXlinkErrors({ DEVICE_BUSY: { code: 4091001, msg: 'Device is busy' } } as const);
 * declare module 'xlink-errors' {
 *   interface XlinkErrorRegister { app: typeof appErrors }
 * }
 * xlinkError('DEVICE_BUSY').status; // 409
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface, @typescript-eslint/no-empty-object-type
export interface XlinkErrorRegister {}

