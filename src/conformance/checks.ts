/**
 * The contract's checks, as data: each a name and a function that returns `undefined` (pass) or
 * the reason it fails, for one answer. As in Schemathesis (`not_a_server_error`,
 * `content_type_conformance`): small, named, independent; a report groups failures by check.
 */
import type { CatalogRecord } from '../core/catalog.js';
import type { XlinkCodeFormat } from '../core/wire.js';

/** An answer as the checks read it. */
export interface JudgedAnswer {
  readonly method: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** What the checks know of the contract: the codes, and the format they are sent in. */
export interface ContractCodes {
  /** Every code a server may send, with its entry when the package knows it (a `--codes` code has none). */
  readonly codes: ReadonlyMap<number, CatalogRecord | undefined>;
  /** The statuses of those codes (their first three digits). */
  readonly statuses: ReadonlySet<number>;
  readonly codeFormat: XlinkCodeFormat;
}

/** A named check: `undefined` when the answer passes, else why not. */
export interface ContractCheck {
  readonly name: string;
  /** Which answers it judges: HEAD answers of any status, or non-2xx answers with a body. */
  readonly judges: 'head' | 'error-status' | 'error-body';
  check(answer: JudgedAnswer, contract: ContractCodes): string | undefined;
}

const JSON_UTF8 = /^application\/json\s*;\s*charset="?utf-8"?\s*$/i;
/** A stack frame, or a path to a source file: what a leaked `err.stack` or `err.message` shows. */
const STACK_OR_PATH =
  /(?:\n|<br\s*\/?>)(?:\s|&nbsp;)*at\s|\bat\s+\S*\s*\(?(?:\/|[A-Za-z]:\\|node:|file:)|(?:\/[\w.@-]+){2,}\.(?:[cm]?[jt]sx?|py|java|go|rb|php|json|ya?ml|env|conf|ini|log|sql|pem|key)\b|(?:^|[\s'"(])\/(?:srv|home|usr|var|opt|app|etc|tmp|root|Users|workspace)\/|[A-Za-z]:\\[\w\\. -]+|node:internal\b|file:\/\/\//;

/** The envelope's parts, or why the body is not an envelope. */
function envelopeOf(body: Buffer): { code: unknown; msg: unknown; keys: string[]; errorKeys: string[] } | string {
  const text = body.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text === '' ? 'the body is empty' : `the body is not JSON: ${preview(text)}`;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return `the body is ${JSON.stringify(value)?.slice(0, 80)}, not {"error":{"code","msg"}}`;
  const error = (value as { error?: unknown }).error;
  if (error === null || typeof error !== 'object' || Array.isArray(error)) return `the body has no "error" object: ${preview(text)}`;
  const { code, msg } = error as { code?: unknown; msg?: unknown };
  return { code, msg, keys: Object.keys(value), errorKeys: Object.keys(error) };
}

/** A short, one-line view of a body. */
export function preview(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max)}…` : flat);
}

function codeOf(answer: JudgedAnswer, contract: ContractCodes): number | undefined {
  const envelope = envelopeOf(answer.body);
  if (typeof envelope === 'string') return undefined;
  const { code } = envelope;
  if (contract.codeFormat === 'number' ? typeof code === 'number' : typeof code === 'string' && /^\d{7}$/.test(code)) return Number(code);
  return undefined;
}

export const CHECKS: readonly ContractCheck[] = [
  {
    name: 'error-status',
    judges: 'error-status',
    check: (answer, { statuses }) => {
      if (statuses.has(answer.status)) return undefined;
      const location = answer.headers.location;
      const known = [...statuses].sort().join(', ');
      return `${answer.status} is not an Xlink error status (${known})${location === undefined ? '' : `; a redirect to ${location}, not followed`}`;
    },
  },
  {
    name: 'content-type',
    judges: 'error-status',
    check: ({ headers }) => {
      const type = headers['content-type'];
      return type !== undefined && JSON_UTF8.test(type) ? undefined : `Content-Type is ${type === undefined ? 'missing' : JSON.stringify(type)}, not "application/json; charset=utf-8"`;
    },
  },
  {
    name: 'envelope',
    judges: 'error-body',
    check: ({ body }, { codeFormat }) => {
      const envelope = envelopeOf(body);
      if (typeof envelope === 'string') return envelope;
      const extra = [...envelope.keys.filter((k) => k !== 'error'), ...envelope.errorKeys.filter((k) => k !== 'code' && k !== 'msg').map((k) => `error.${k}`)];
      if (extra.length > 0) return `the envelope has keys beyond "error", "code" and "msg": ${extra.join(', ')}`;
      const { code, msg } = envelope;
      if (codeFormat === 'number' && typeof code !== 'number') return `error.code is ${JSON.stringify(code) ?? 'missing'} (${code === undefined ? 'no code' : `a ${typeof code}`}), not a number`;
      if (codeFormat === 'string' && (typeof code !== 'string' || !/^\d{7}$/.test(code))) return `error.code is ${JSON.stringify(code) ?? 'missing'}, not a 7-digit string (codeFormat 'string')`;
      if (codeFormat === 'number' && !(Number.isInteger(code) && (code as number) >= 1_000_000 && (code as number) <= 9_999_999)) return `error.code ${String(code)} is not a 7-digit number`;
      if (typeof msg !== 'string') return `error.msg is ${JSON.stringify(msg) ?? 'missing'}, not a string`;
      return undefined;
    },
  },
  {
    name: 'known-code',
    judges: 'error-body',
    check: (answer, contract) => {
      const code = codeOf(answer, contract);
      return code === undefined || contract.codes.has(code) ? undefined : `${code} is not a known code (official, defined, or listed with --codes)`;
    },
  },
  {
    name: 'code-matches-status',
    judges: 'error-body',
    check: (answer, contract) => {
      const code = codeOf(answer, contract);
      if (code === undefined) return undefined;
      const digits = Math.floor(code / 10000);
      return digits === answer.status ? undefined : `the code ${code} belongs with status ${digits}, but the status is ${answer.status}`;
    },
  },
  {
    name: 'server-error-message',
    judges: 'error-body',
    check: (answer, contract) => {
      if (answer.status < 500) return undefined;
      const code = codeOf(answer, contract);
      const record = code === undefined ? undefined : contract.codes.get(code);
      const envelope = envelopeOf(answer.body);
      if (record === undefined || typeof envelope === 'string' || typeof envelope.msg !== 'string') return undefined;
      if (envelope.msg === record.msg || envelope.msg === record.msgZh) return undefined;
      return `a ${answer.status} must carry the catalog message of ${code} (${JSON.stringify(record.msg)}), got ${preview(envelope.msg)}: a server error's own message may leak internals`;
    },
  },
  {
    name: 'no-stack-trace',
    judges: 'error-body',
    check: ({ body }) => {
      const envelope = envelopeOf(body);
      const text = typeof envelope === 'string' || typeof envelope.msg !== 'string' ? body.toString('utf8') : envelope.msg;
      const found = STACK_OR_PATH.exec(text);
      return found === null ? undefined : `the ${typeof envelope === 'string' ? 'body' : 'message'} shows a stack trace or a file path: ${preview(text.slice(Math.max(0, found.index - 20)), 100)}`;
    },
  },
  {
    name: 'head-without-body',
    judges: 'head',
    check: ({ body }) => (body.length === 0 ? undefined : `the HEAD answer has a body (${body.length} bytes: ${preview(body.toString('utf8'), 60)})`),
  },
];

/** Every check's verdict on one answer: the failing checks' names and reasons. */
export function judge(answer: JudgedAnswer, contract: ContractCodes): { check: string; problem: string }[] {
  const isError = answer.status < 200 || answer.status >= 300;
  const failures: { check: string; problem: string }[] = [];
  for (const { name, judges, check } of CHECKS) {
    const applies = judges === 'head' ? answer.method === 'HEAD' : judges === 'error-status' ? isError : isError && answer.method !== 'HEAD';
    if (!applies) continue;
    const problem = check(answer, contract);
    if (problem !== undefined) failures.push({ check: name, problem });
  }
  return failures;
}
