/**
 * The report for people and for CI: a terminal text grouped by check (route, probe, what was
 * sent, what came back, what is wrong) with a summary line, and JUnit XML (one testcase per
 * route and probe, a `<failure>` for each broken answer).
 */
import { preview } from './checks.js';
import type { XlinkContractFailure, XlinkContractReport, XlinkContractRequest } from './run.js';

/** The one-line summary: `312 requests to 24 routes: every answer keeps the Xlink contract`. */
export function summaryLine(report: XlinkContractReport): string {
  const probes = report.results.length;
  const broken = new Set(report.failures.map((f) => `${f.route}\0${f.probe}`)).size;
  const scope = `${report.requests} requests, ${probes} probes of ${report.routes.length} route${report.routes.length === 1 ? '' : 's'}${report.routes.length === 0 ? ' (only the probes of the whole target: give --openapi or --route)' : ''}`;
  const skipped = report.skipped > 0 ? `; ${report.skipped} probes not sent` : '';
  return report.ok
    ? `${scope}: every answer keeps the Xlink contract${skipped}`
    : `${scope}: ${report.failures.length} failure${report.failures.length === 1 ? '' : 's'} in ${broken} probe${broken === 1 ? '' : 's'}${skipped}`;
}

/** The terminal report: failures grouped by check, then the summary line. */
export function formatReport(report: XlinkContractReport): string {
  const groups = new Map<string, XlinkContractFailure[]>();
  for (const failure of report.failures) groups.set(failure.check, [...(groups.get(failure.check) ?? []), failure]);
  const out: string[] = [];
  for (const [check, failures] of groups) {
    out.push(`✗ ${check} (${failures.length})`);
    for (const f of failures) {
      out.push(`  ${f.route}  [${f.probe}]`);
      out.push(`    sent      ${requestLine(f.request)}`);
      out.push(`    received  ${answerLine(f)}`);
      out.push(`    problem   ${f.problem}`);
    }
    out.push('');
  }
  out.push(`${report.ok ? '✓' : '✗'} ${summaryLine(report)}`);
  return `${out.join('\n')}\n`;
}

function requestLine(request: XlinkContractRequest): string {
  const headers = Object.entries(request.headers).map(([name, value]) => `${name}: ${JSON.stringify(value)}`);
  const path = request.path.length > 100 ? `${request.path.slice(0, 100)}… (${request.path.length} characters)` : request.path;
  return [`${request.method} ${path}`, ...headers, ...(request.body === undefined ? [] : [`body ${preview(request.body, 60)}`])].join('  ');
}

function answerLine(f: XlinkContractFailure): string {
  if (f.status === null) return 'no answer';
  const type = f.headers['content-type'];
  const body = typeof f.body === 'string' ? (f.body === '' ? 'no body' : preview(f.body, 100)) : JSON.stringify(f.body);
  return `${f.status}${type === undefined ? '' : `  ${type}`}  ${body}`;
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text made safe for XML: escaped, and without the characters XML 1.0 cannot hold. */
function xml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/** JUnit XML: a testsuite per route, a testcase per probe, a `<failure>` for each broken answer. */
export function junitReport(report: XlinkContractReport): string {
  const suites = new Map<string, typeof report.results>();
  for (const result of report.results) suites.set(result.route, [...(suites.get(result.route) ?? []), result]);
  const extra = report.failures.filter((f) => !report.results.some((r) => r.route === f.route && r.probe === f.probe));
  if (extra.length > 0) suites.set('(server)', extra.map((f) => ({ route: '(server)', probe: f.probe, request: f.request, status: null, problems: [{ check: f.check, problem: f.problem }] })));
  const out = [`<?xml version="1.0" encoding="UTF-8"?>`];
  const total = [...suites.values()].reduce((n, cases) => n + cases.length, 0);
  const failed = [...suites.values()].reduce((n, cases) => n + cases.filter((c) => c.problems.length > 0).length, 0);
  out.push(`<testsuites name="xlink-errors check" tests="${total}" failures="${failed}" errors="0">`);
  for (const [route, cases] of suites) {
    const broken = cases.filter((c) => c.problems.length > 0).length;
    out.push(`  <testsuite name="${xml(route)}" tests="${cases.length}" failures="${broken}" errors="0" skipped="0">`);
    for (const c of cases) {
      const name = `${xml(c.probe)}`;
      if (c.problems.length === 0) {
        out.push(`    <testcase classname="${xml(route)}" name="${name}"/>`);
        continue;
      }
      const message = c.problems.map((p) => `${p.check}: ${p.problem}`).join('; ');
      const detail = [`sent: ${requestLine(c.request)}`, `status: ${c.status ?? 'no answer'}`, ...c.problems.map((p) => `${p.check}: ${p.problem}`)].join('\n');
      out.push(`    <testcase classname="${xml(route)}" name="${name}">`);
      out.push(`      <failure message="${xml(message)}" type="${xml(c.problems[0]!.check)}">${xml(detail)}</failure>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
