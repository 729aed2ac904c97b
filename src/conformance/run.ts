/**
 * `checkXlinkContract()`: sends every probe to every route (one request at a time unless asked,
 * within a request budget, each with a timeout), judges every answer with the checks, and asks
 * at the end whether the server still answers.
 */
import { knownRecords, type CatalogRecord } from '../core/catalog.js';
import { typeName } from '../core/headers.js';
import { containRejection, isThenable, report } from '../core/hooks.js';
import type { XlinkCodeFormat } from '../core/wire.js';
import { judge, type ContractCodes } from './checks.js';
import { GLOBAL_PROBES, LIVENESS, ROUTE_PROBES, type ProbeRequest } from './probes.js';
import { collectRoutes, type ContractRoute } from './routes.js';
import { reach, type ReachedTarget, type XlinkContractTarget } from './target.js';
import { exchange, type WireResult } from './wire.js';

/** Options of `checkXlinkContract()`. */
export interface XlinkContractOptions {
  /** An OpenAPI 3.0 or 3.1 document (parsed): its paths are the routes to probe. */
  readonly openapi?: object;
  /** Routes to probe, as `'GET /v2/device/{id}'` (or `:id`), with or besides `openapi`. */
  readonly routes?: readonly string[];
  /** Codes the server may send besides the official and defined ones. */
  readonly codes?: readonly (number | string)[];
  /** `'string'` for a server that sends `"code":"4041008"`; `'number'` by default. */
  readonly codeFormat?: XlinkCodeFormat;
  /** The most requests to send (default 2000): probes, and the liveness checks after one that got no answer; one last liveness request may follow. */
  readonly maxRequests?: number;
  /** Milliseconds each request may take (default 5000). */
  readonly timeout?: number;
  /** Requests in flight at once (default 1). */
  readonly concurrency?: number;
  /** Called after each probe: `done` of `total`, and what was probed. */
  readonly onProgress?: (done: number, total: number, label: string) => void;
}

/** What a probe sent, enough to send it again. */
export interface XlinkContractRequest {
  readonly method: string;
  /** The path and query as sent (after the base URL's). */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The body, or what it was when too long to show (`2097152 bytes of JSON`). */
  readonly body?: string;
}

/** One broken answer, or one probe that got none. */
export interface XlinkContractFailure {
  /** `'GET /v2/device/{id}'`, or `'(any route)'` for the probes of the whole target. */
  readonly route: string;
  /** The probe's name: `malformed-json`, `head`, `unknown-path`, ... */
  readonly probe: string;
  /** The check that failed: `content-type`, `envelope`, `answered`, `server-alive`, ... */
  readonly check: string;
  /** The status that came back, `null` when nothing came back. */
  readonly status: number | null;
  readonly headers: Readonly<Record<string, string>>;
  /** The body: the parsed JSON when it is JSON, else its text (at most 2000 characters). */
  readonly body: unknown;
  /** What is wrong, in a sentence. */
  readonly problem: string;
  readonly request: XlinkContractRequest;
}

/** One probe of one route, and how it went. */
export interface XlinkContractResult {
  readonly route: string;
  readonly probe: string;
  readonly request: XlinkContractRequest;
  readonly status: number | null;
  /** The failures of this probe's answer; none when it keeps the contract. */
  readonly problems: readonly { readonly check: string; readonly problem: string }[];
}

/** What `checkXlinkContract()` resolves to (and the command's `--json` prints). */
export interface XlinkContractReport {
  /** Whether every answer kept the contract (and the server still answered at the end). */
  readonly ok: boolean;
  /** Requests sent, the liveness requests included. */
  readonly requests: number;
  readonly failures: readonly XlinkContractFailure[];
  /** Every probe sent, in order, failed or not. */
  readonly results: readonly XlinkContractResult[];
  /** The routes probed. */
  readonly routes: readonly string[];
  /** Probes not sent: the request budget ran out, or the server stopped answering. */
  readonly skipped: number;
}

export const GLOBAL_ROUTE = '(any route)';
const OPTION_KEYS = new Set(['openapi', 'routes', 'codes', 'codeFormat', 'maxRequests', 'timeout', 'concurrency', 'onProgress']);
const CALLER = 'checkXlinkContract';
/** setTimeout's longest delay. */
const MAX_TIMER = 2 ** 31 - 1;

interface Planned {
  readonly route: string;
  readonly probe: string;
  readonly request: ProbeRequest;
}

/**
 * Checks that a whole API keeps the Xlink error contract: probes each route with the bad
 * requests a real client sends and judges every non-2xx answer. Resolves to a report; it
 * rejects only for bad arguments (a `TypeError`).
 *
 * @example
 * const report = await checkXlinkContract(app, { routes: ['GET /v2/device/{id}', 'POST /v2/user_auth'] });
 * expect(report).toKeepXlinkContract();
 */
export async function checkXlinkContract(target: XlinkContractTarget, options: XlinkContractOptions = {}): Promise<XlinkContractReport> {
  const settings = readOptions(options);
  const routes = collectRoutes(settings.openapi, settings.routes, CALLER);
  const contract = contractOf(settings.codes, settings.codeFormat);
  const plan = planProbes(routes);
  const reached = await reach(target, CALLER);
  try {
    return await run(reached, plan, routes, contract, settings);
  } finally {
    await reached.close();
  }
}

function readOptions(options: XlinkContractOptions) {
  if (options === null || typeof options !== 'object') throw new TypeError(`${CALLER}: options must be an object, got ${typeName(options)}`);
  for (const key of Object.keys(options)) if (!OPTION_KEYS.has(key)) throw new TypeError(`${CALLER}: unknown option ${JSON.stringify(key)} (known: ${[...OPTION_KEYS].join(', ')})`);
  const { openapi, routes, codes, codeFormat = 'number', maxRequests = 2000, timeout = 5000, concurrency = 1, onProgress } = options;
  const count = (name: string, value: number, max?: number) => {
    if (!Number.isInteger(value) || value < 1 || (max !== undefined && value > max)) {
      const range = max === undefined ? 'of at least 1' : `from 1 to ${max}`;
      throw new TypeError(`${CALLER}: ${name} must be an integer ${range}, got ${typeof value === 'number' ? value : typeName(value)}`);
    }
  };
  count('maxRequests', maxRequests);
  count('timeout', timeout, MAX_TIMER); // a longer one would fire at once
  count('concurrency', concurrency);
  if (codeFormat !== 'number' && codeFormat !== 'string') throw new TypeError(`${CALLER}: codeFormat must be 'number' or 'string', got ${JSON.stringify(codeFormat)}`);
  if (onProgress !== undefined && typeof onProgress !== 'function') throw new TypeError(`${CALLER}: onProgress must be a function, got ${typeName(onProgress)}`);
  if (codes !== undefined && !Array.isArray(codes)) throw new TypeError(`${CALLER}: codes must be an array of 7-digit codes, got ${typeName(codes)}`);
  return { openapi, routes, codes: codes ?? [], codeFormat, maxRequests, timeout, concurrency, onProgress };
}

/** The known codes (official, defined) and the listed ones, with their statuses. */
export function contractOf(listed: readonly unknown[], codeFormat: XlinkCodeFormat): ContractCodes {
  const codes = new Map<number, CatalogRecord | undefined>(knownRecords().map((r) => [r.code, r]));
  for (const raw of listed) {
    const code = typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
    if (typeof code !== 'number' || !Number.isInteger(code) || code < 4_000_000 || code > 5_999_999 || !validStatus(Math.floor(code / 10000))) {
      throw new TypeError(`${CALLER}: codes must be 7-digit codes whose first three digits are an HTTP error status (400-599), got ${JSON.stringify(raw)}`);
    }
    if (!codes.has(code)) codes.set(code, undefined);
  }
  return { codes, statuses: new Set([...codes.keys()].map((c) => Math.floor(c / 10000))), codeFormat };
}

function validStatus(status: number): boolean {
  return status >= 400 && status <= 599;
}

function planProbes(routes: readonly ContractRoute[]): Planned[] {
  const plan: Planned[] = [];
  for (const route of routes) {
    for (const probe of ROUTE_PROBES) {
      const request = probe.build(route, routes);
      if (request !== undefined) plan.push({ route: route.label, probe: probe.name, request });
    }
  }
  for (const probe of GLOBAL_PROBES) {
    const request = probe.build(undefined, routes);
    if (request !== undefined) plan.push({ route: GLOBAL_ROUTE, probe: probe.name, request });
  }
  return plan;
}

async function run(target: ReachedTarget, plan: readonly Planned[], routes: readonly ContractRoute[], contract: ContractCodes, settings: ReturnType<typeof readOptions>): Promise<XlinkContractReport> {
  // The budget counts requests: probes, their second asking, the liveness checks after a probe
  // that got no answer. Only the last liveness request may go beyond it.
  const budgeted = plan.slice(0, settings.maxRequests);
  const results: (XlinkContractResult | undefined)[] = new Array(budgeted.length);
  const failures: XlinkContractFailure[][] = budgeted.map(() => []);
  let requests = 0;
  let next = 0;
  let done = 0;
  const inBudget = () => requests < settings.maxRequests;
  let dead: XlinkContractFailure | undefined;
  const send = async (request: ProbeRequest, withholdBody = false): Promise<WireResult> => {
    requests++;
    const { body } = request;
    return exchange(
      { host: target.host, port: target.port, timeout: settings.timeout },
      { method: request.method, target: `${target.basePath}${request.path}`, headers: request.headers, ...(body === undefined ? {} : { body }), expectContinue: request.expectContinue === true, withholdBody },
    );
  };
  /**
   * A probe's answer. A big body met by a reset is asked again with the headers alone: a server
   * that answers early and closes (a 413 from the Content-Length) resets a client still sending,
   * and the answer it had sent can be lost with the connection. What the server says to the
   * headers alone is that answer.
   */
  const probe = async (request: ProbeRequest): Promise<WireResult> => {
    const result = await send(request);
    if (result.kind === 'answer' || request.expectContinue !== true || (result.reason !== 'reset' && result.reason !== 'closed') || !inBudget()) return result;
    const again = await send(request, true);
    return again.kind === 'answer' ? { ...again, early: true } : { ...result, detail: `${result.detail}; asked again with the headers alone: ${again.detail}` };
  };
  const worker = async () => {
    while (dead === undefined && next < budgeted.length && inBudget()) {
      const index = next++;
      const planned = budgeted[index]!;
      const result = await probe(planned.request);
      const request = describeRequest(planned.request);
      const found: XlinkContractFailure[] = [];
      const thrown = target.thrown.splice(0);
      if (result.kind === 'no-answer') {
        const crash = thrown.length > 0 ? `; the app threw ${describeThrown(thrown[0])}` : '';
        found.push({ route: planned.route, probe: planned.probe, check: 'answered', status: null, headers: {}, body: null, problem: `no answer: ${result.detail}${crash}`, request });
        if (dead === undefined && inBudget() && !(await alive(send))) {
          dead = { route: planned.route, probe: planned.probe, check: 'server-alive', status: null, headers: {}, body: null, problem: `the server stopped answering after ${planned.probe} on ${planned.route}; the remaining probes were not sent`, request };
        }
      } else {
        const answer = { method: planned.request.method, status: result.status, headers: result.headers, body: result.body };
        for (const { check, problem } of judge(answer, contract)) {
          found.push({ route: planned.route, probe: planned.probe, check, status: result.status, headers: result.headers, body: shownBody(result.body), problem, request });
        }
      }
      failures[index] = found;
      results[index] = { route: planned.route, probe: planned.probe, request, status: result.kind === 'answer' ? result.status : null, problems: found.map(({ check, problem }) => ({ check, problem })) };
      done++;
      if (settings.onProgress !== undefined) progress(settings.onProgress, done, budgeted.length, `${planned.request.method} ${planned.route === GLOBAL_ROUTE ? planned.request.path.slice(0, 60) : planned.route} ${planned.probe}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(settings.concurrency, Math.max(1, budgeted.length)) }, worker));
  const all = failures.flat();
  if (dead === undefined && !(await alive(send))) {
    dead = { route: GLOBAL_ROUTE, probe: 'liveness', check: 'server-alive', status: null, headers: {}, body: null, problem: 'the server no longer answers after the probes', request: describeRequest(LIVENESS) };
  }
  if (dead !== undefined) all.push(dead);
  const sent = results.filter((r): r is XlinkContractResult => r !== undefined);
  return { ok: all.length === 0, requests, failures: all, results: sent, routes: routes.map((r) => r.label), skipped: plan.length - sent.length };
}

/** Calls the progress hook, contained as the handlers' hooks are: a failure is reported and changes nothing. */
function progress(onProgress: NonNullable<XlinkContractOptions['onProgress']>, done: number, total: number, label: string): void {
  try {
    const returned: unknown = onProgress(done, total, label);
    if (isThenable(returned)) containRejection(returned, `${CALLER}: the promise returned by onProgress rejected`);
  } catch (err) {
    report(`${CALLER}: onProgress threw`, err);
  }
}

/** Whether the server answers a plain request at all (any status). */
async function alive(send: (request: ProbeRequest) => Promise<WireResult>): Promise<boolean> {
  return (await send(LIVENESS)).kind === 'answer';
}

function describeRequest(request: ProbeRequest): XlinkContractRequest {
  return { method: request.method, path: request.path, headers: request.headers, ...(request.sent === undefined ? {} : { body: request.sent }) };
}

function describeThrown(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : `a ${typeName(err)}`;
}

function shownBody(body: Buffer): unknown {
  const text = body.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
  }
}
