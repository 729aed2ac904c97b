/** The matcher `toKeepXlinkContract()` (in `xlinkMatchers`): a report's failures, readably. */
import { typeName } from '../core/headers.js';
import type { XlinkContractReport } from './run.js';
import { formatReport, summaryLine } from './report.js';

export type { XlinkContractReport };

/** Failures shown in a matcher message; the rest are counted. */
const SHOWN = 5;

function isReport(value: unknown): value is XlinkContractReport {
  if (value === null || typeof value !== 'object') return false;
  const { ok, failures, results } = value as Partial<XlinkContractReport>;
  return typeof ok === 'boolean' && Array.isArray(failures) && Array.isArray(results);
}

/** The matcher's verdict for Jest and Vitest (`this` is their matcher context). */
export function contractMatcher(context: unknown, received: unknown): { pass: boolean; message: () => string } {
  const isNot = typeof context === 'object' && context !== null && (context as { isNot?: boolean }).isNot === true;
  const hint = `expect(report).${isNot ? 'not.' : ''}toKeepXlinkContract()`;
  if (!isReport(received)) {
    if (received instanceof Promise) throw new TypeError(`${hint}: received a promise; await checkXlinkContract(...) first`);
    throw new TypeError(`${hint}: expected the report of checkXlinkContract(), got ${typeName(received)}`);
  }
  const pass = received.ok;
  const shown = { ...received, failures: received.failures.slice(0, SHOWN) };
  const more = received.failures.length - shown.failures.length;
  return {
    pass,
    message: pass
      ? () => `${hint}\n\nExpected the API to break the Xlink contract, but ${summaryLine(received)}`
      : () => `${hint}\n\n${formatReport(shown).replace(/\n[^\n]*\n$/, '\n')}${more > 0 ? `… and ${more} more failure${more === 1 ? '' : 's'}\n` : ''}${summaryLine(received)}`,
  };
}
