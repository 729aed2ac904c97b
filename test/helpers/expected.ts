import { XLINK_ERRORS } from 'xlink-errors';

/** The 82 official names (XlinkErrorName also holds the codes the tests register). */
export type CatalogName = keyof typeof XLINK_ERRORS;

/** The exact bytes Xlink clients expect for an entry, written out by hand (not by the package). */
export function expectedBody(name: CatalogName, codeFormat: 'number' | 'string' = 'number', msg: string = XLINK_ERRORS[name].msg): string {
  const { code } = XLINK_ERRORS[name];
  return codeFormat === 'number'
    ? `{"error":{"code":${code},"msg":${JSON.stringify(msg)}}}`
    : `{"error":{"code":"${code}","msg":${JSON.stringify(msg)}}}`;
}

export const names = Object.keys(XLINK_ERRORS) as CatalogName[];
