/**
 * `xlink-errors check <base-url> ...`: the checker at the terminal and in CI. A readable report
 * (or `--json`, the same report `checkXlinkContract()` resolves to), `--junit <file>`, a progress
 * line on a terminal only. Exit status 0 (every answer keeps the contract), 1 (one does not, or
 * a `--require` module failed), 2 (a usage error).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatReport, junitReport } from './report.js';
import { checkXlinkContract, type XlinkContractOptions } from './run.js';
import { isLoopback, parseBaseUrl } from './target.js';

export const CHECK_HELP = `Usage: xlink-errors check <base-url> [options]

Probes a running server on this machine with the bad requests Xlink clients send (bad
Access-Tokens, malformed JSON, oversized bodies, wrong path parameters, HEAD, unknown
paths and methods, malformed percent-encoding, an 8 kB URL) and checks that every
error answer keeps the Xlink contract: a known status, application/json; charset=utf-8,
{"error":{"code","msg"}} with a known code matching the status, no leaked 5xx message
or stack trace, HEAD without a body, and the server still answering at the end.

  xlink-errors check http://127.0.0.1:3000 --openapi openapi.json
  xlink-errors check http://127.0.0.1:3000 --route "GET /v2/device/{id}" --route "POST /v2/user_auth"

Options:
      --openapi <file|url>   the routes of an OpenAPI 3.0/3.1 document (JSON): a file, or a URL
                             on the target's machine (a path such as /openapi.json is the target's)
      --route "<METHOD> <path>"  a route to probe (repeatable; {id} or :id for parameters)
      --codes <list|file>    codes the server may send besides the official and defined ones:
                             4091001,4091002 or a file with one code per line
  -r, --require <module>     load a module first (repeatable), e.g. one that calls defineXlinkErrors()
      --code-format <number|string>  how the server sends codes (default number)
      --max-requests <n>     the most requests to send (default 2000); one last liveness
                             request may follow
      --timeout <ms>         how long each request may take (default 5000)
      --concurrency <n>      requests in flight at once (default 1)
      --json                 print the report as JSON
      --junit <file>         also write a JUnit XML report (a testcase per route and probe)
  -h, --help                 show this help

Only http: URLs on this machine (127.0.0.1, localhost, [::1]) are probed; redirects are never followed.
Exit status: 0 every answer keeps the contract, 1 one does not (or a --require module failed),
2 usage error.
`;

class UsageError extends Error {}

/**
 * Runs `check` with its arguments (after the word `check`); `loadAll` is the command's own
 * `--require` loader (it says on stderr why a module failed, and resolves to `false` then). Resolves to the exit status.
 */
export async function runCheck(argv: readonly string[], loadAll: (specs: readonly string[]) => Promise<boolean>): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        openapi: { type: 'string' },
        route: { type: 'string', multiple: true },
        codes: { type: 'string', multiple: true },
        require: { type: 'string', short: 'r', multiple: true },
        'code-format': { type: 'string' },
        'max-requests': { type: 'string' },
        timeout: { type: 'string' },
        concurrency: { type: 'string' },
        json: { type: 'boolean' },
        junit: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    return usage((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(CHECK_HELP);
    return 0;
  }
  try {
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'check needs the base URL of a running server, such as http://127.0.0.1:3000' : `check takes one base URL, got ${positionals.length}: ${positionals.join(' ')}`);
    const base = parseBaseUrl(positionals[0]!, 'check');
    if (!(await loadAll(values.require ?? []))) return 1;
    const codeFormat = values['code-format'];
    if (codeFormat !== undefined && codeFormat !== 'number' && codeFormat !== 'string') throw new UsageError(`--code-format must be number or string, got ${JSON.stringify(codeFormat)}`);
    const options: XlinkContractOptions = {
      ...(values.openapi === undefined ? {} : { openapi: await readOpenApi(values.openapi, base) }),
      ...(values.route === undefined ? {} : { routes: values.route }),
      ...(values.codes === undefined ? {} : { codes: values.codes.flatMap(readCodes) }),
      ...(codeFormat === undefined ? {} : { codeFormat }),
      ...(values['max-requests'] === undefined ? {} : { maxRequests: count('--max-requests', values['max-requests']) }),
      ...(values.timeout === undefined ? {} : { timeout: count('--timeout', values.timeout) }),
      ...(values.concurrency === undefined ? {} : { concurrency: count('--concurrency', values.concurrency) }),
      ...(process.stderr.isTTY && !values.json ? { onProgress: progress } : {}),
    };
    const report = await checkXlinkContract(base.href.replace(/\/$/, ''), options);
    if (process.stderr.isTTY && !values.json) process.stderr.write('\r\x1b[K');
    if (values.junit !== undefined) writeFileSync(values.junit, junitReport(report));
    process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    return report.ok ? 0 : 1;
  } catch (err) {
    if (err instanceof UsageError || err instanceof TypeError) return usage(err.message.replace(/^(check|checkXlinkContract): /, ''));
    throw err;
  }
}

function progress(done: number, total: number, label: string): void {
  const width = process.stderr.columns || 80; // 0 on some pseudo-terminals
  process.stderr.write(`\r\x1b[K${`[${done}/${total}] ${label}`.slice(0, Math.max(10, width - 1))}`);
}

function count(flag: string, text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`${flag} must be a whole number of at least 1, got ${JSON.stringify(text)}`);
  return Number(text);
}

/** `4091001,4091002`, or a file with one code per line (`#` starts a comment). */
function readCodes(value: string): string[] {
  if (/^[\d,\s]+$/.test(value)) return value.split(/[,\s]+/).filter((c) => c !== '');
  let text: string;
  try {
    text = readFileSync(value, 'utf8');
  } catch (err) {
    throw new UsageError(`--codes ${value}: neither a comma-separated list of codes nor a readable file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '')
    .flatMap((line) => line.split(/[,\s]+/));
}

/** The document of `--openapi`: a JSON file, or a URL on this machine (a path is the target's). */
async function readOpenApi(value: string, base: URL): Promise<object> {
  const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
  const fromTarget = value.startsWith('/') && !existsAsFile(value);
  let text: string;
  if (isUrl || fromTarget) {
    const url = new URL(fromTarget ? `${base.pathname.replace(/\/$/, '')}${value}` : value, base);
    if (url.protocol !== 'http:' || !isLoopback(url.hostname)) throw new UsageError(`--openapi ${value}: a URL must be http: on this machine (the checker sends nothing elsewhere)`);
    let response: Response;
    try {
      response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
    } catch (err) {
      throw new UsageError(`--openapi ${url.href}: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`);
    }
    if (response.status !== 200) throw new UsageError(`--openapi ${url.href}: answered ${response.status}, not 200`);
    text = await response.text();
  } else {
    try {
      text = readFileSync(value, 'utf8');
    } catch (err) {
      throw new UsageError(`--openapi ${value}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  try {
    return JSON.parse(text) as object;
  } catch {
    throw new UsageError(`--openapi ${value}: not a JSON document (YAML is not read: convert it to JSON first)`);
  }
}

function existsAsFile(path: string): boolean {
  try {
    readFileSync(path);
    return true;
  } catch {
    return false;
  }
}

function usage(message: string): number {
  process.stderr.write(`xlink-errors check: ${message}\nRun "xlink-errors check --help" for usage.\n`);
  return 2;
}
