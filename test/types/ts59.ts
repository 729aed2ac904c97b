// Type tests that TypeScript 5.9 once refused after codes were registered (issue 21, item 3):
// widening an error to `XlinkError`, a function returning one, and a `map` that returns an
// error or `undefined`. Compiled by every TypeScript of the matrix (test/typescript-versions.test.ts).
import { toXlinkError, xlinkError, xlinkErrorHandler, type XlinkError } from 'xlink-errors';
import '../helpers/app-errors';

const widened: XlinkError = xlinkError('DEVICE_NOT_FOUND');
const definedWidened: XlinkError = xlinkError('DEVICE_BUSY');
function notFound(): XlinkError {
  return xlinkError('DEVICE_NOT_FOUND');
}
const cond = Math.random() > 0.5;
export const handler = xlinkErrorHandler({ map: (err) => (cond && err instanceof SyntaxError ? xlinkError('PARAM_VERIFICATION_FAILED') : undefined) });
export const mapped = toXlinkError(new Error('x'), { map: () => (cond ? xlinkError('DEVICE_BUSY') : undefined) });
export const list: XlinkError[] = [widened, definedWidened, notFound(), xlinkError(4001007)];
