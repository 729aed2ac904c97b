#!/usr/bin/env node
/**
 * The `xlink-errors` command: looks up Xlink error codes and names at the terminal.
 *
 *   npx xlink-errors 4031003
 *   npx xlink-errors ACCESS_TOKEN_INVALID
 *   npx xlink-errors list --json
 *   npx xlink-errors --require ./src/errors.js 4031021
 *
 * Exit status: 0 when every code or name was found, 1 for an unknown one (with a "did you
 * mean"), or a module given to `--require` that failed to load, 2 for a usage error.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { findCatalogRecord, knownRecords, type CatalogRecord } from './core/catalog.js';
import { statusText } from './core/header-policy.js';
import { didYouMean as suggest } from './core/suggest.js';
import { XLINK_EXTENDED_ERRORS } from './extended/index.js';
import { runCheck } from './conformance/cli.js';

const HELP = `Usage: xlink-errors [options] <code|name>...
       xlink-errors [options] list
       xlink-errors check <base-url> [options]   (see xlink-errors check --help)

Looks up Xlink error codes: prints the code, name, HTTP status and both messages
(English, as the Xlink table writes it, and the official Chinese text).

  xlink-errors 4031003                 a code
  xlink-errors ACCESS_TOKEN_INVALID    a name (case and - or _ do not matter)
  xlink-errors list                    every known code, as a table
  xlink-errors list --json             every known code, as a JSON array of
                                       { code, name, status, msg, msgZh }

Options:
  -r, --require <module>   load a module first (repeatable), resolved from the current
                           directory like require(): a file (./src/errors.js) or a package.
                           A module that calls defineXlinkErrors() makes the codes it
                           defines known to the command. CommonJS or ES module.
      --json               print JSON instead of text
  -h, --help               show this help

Exit status: 0 found, 1 unknown code or name (or a --require module that failed), 2 usage error.
`;

/** One entry as the command prints it. */
interface Entry {
  readonly code: number;
  readonly name: string;
  readonly status: number;
  readonly msg: string;
  readonly msgZh?: string;
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === 'check') return runCheck(argv.slice(1), loadAll);
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        require: { type: 'string', short: 'r', multiple: true },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    return usageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (!(await loadAll(values.require ?? []))) return 1;
  if (positionals.length === 0) return usageError('give a code, a name or "list"');
  if (positionals[0] === 'list') {
    if (positionals.length > 1) return usageError(`"list" takes no arguments, got ${positionals.slice(1).join(' ')}`);
    return list(values.json === true);
  }
  return lookUp(positionals, values.json === true);
}

function lookUp(keys: readonly string[], json: boolean): number {
  const found: Entry[] = [];
  let status = 0;
  for (const key of keys) {
    const record = findRecord(key);
    if (record === undefined) {
      process.stderr.write(`xlink-errors: unknown Xlink error code or name ${JSON.stringify(key)}.${didYouMean(key)}\n`);
      status = 1;
      continue;
    }
    found.push(entryOf(record));
  }
  if (json) {
    if (found.length > 0) process.stdout.write(`${JSON.stringify(keys.length === 1 ? found[0] : found, null, 2)}\n`);
  } else {
    process.stdout.write(found.map(describe).join('\n'));
  }
  return status;
}

function list(json: boolean): number {
  const entries = knownRecords().map(entryOf);
  if (json) {
    process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
    return 0;
  }
  const width = Math.max(...entries.map((e) => e.name.length));
  const lines = entries.map((e) => `${e.code}  ${String(e.status).padEnd(6)}  ${e.name.padEnd(width)}  ${e.msg}`);
  process.stdout.write(`CODE     STATUS  ${'NAME'.padEnd(width)}  MESSAGE\n${lines.join('\n')}\n`);
  return 0;
}

function describe(e: Entry): string {
  return [
    `${e.code}  ${e.name}`,
    `  status  ${e.status} ${statusText(e.status)}`.trimEnd(),
    `  msg     ${e.msg}`,
    ...(e.msgZh === undefined ? [] : [`  msgZh   ${e.msgZh}`]),
    '',
  ].join('\n');
}

/** A defined entry without a Chinese text of its own has no `msgZh` (Chinese requests get its `msg`). */
function entryOf(record: CatalogRecord): Entry {
  const { code, name, status, msg } = record;
  return record.hasMsgZh ? { code, name, status, msg, msgZh: record.msgZh } : { code, name, status, msg };
}

/** A code (`4031003`), a name (`ACCESS_TOKEN_INVALID`), or a name typed loosely (`access-token-invalid`). */
function findRecord(key: string): CatalogRecord | undefined {
  return findCatalogRecord(key.trim()) ?? findCatalogRecord(normalName(key));
}

function normalName(key: string): string {
  return key.trim().toUpperCase().replace(/[\s.-]+/g, '_');
}

/**
 * " Did you mean …?": the nearest known code or name (the core's suggestion, as the `TypeError`
 * of `xlinkError()` makes it), else up to three names that contain what was typed (`TOKEN`),
 * else a pointer to `list`.
 */
function didYouMean(key: string): string {
  const typed = key.trim();
  const records = knownRecords();
  const isCode = /^\d+$/.test(typed);
  if (isCode && /^[45]\d{6}$/.test(typed)) return aboutCode(typed, records);
  const nearest = isCode ? suggest(typed, records.map((r) => String(r.code))) : suggest(typed, records.map((r) => r.name));
  const record = nearest === undefined ? undefined : findCatalogRecord(isCode ? Number(nearest) : nearest);
  if (record !== undefined) return ` Did you mean ${record.name} (${record.code})?`;
  const part = normalName(typed);
  const containing = isCode || part.length < 3 ? [] : records.filter((r) => r.name.includes(part)).slice(0, 3);
  if (containing.length > 0) return ` Did you mean ${containing.map((r) => `${r.name} (${r.code})`).join(', or ')}?`;
  return ' Run "xlink-errors list" to see every code.';
}

/**
 * An unknown code of the right form: a later official one (xlink-errors/extended) says so; else a
 * near miss of a known code of the same status (`4041080` for 4041008); else it is nobody's code
 * here, most likely the user's own, known once the module that defines it is loaded.
 */
function aboutCode(typed: string, records: readonly CatalogRecord[]): string {
  const code = Number(typed);
  const extended = Object.entries(XLINK_EXTENDED_ERRORS).find(([, entry]) => entry.code === code);
  if (extended !== undefined) {
    return ` It is ${extended[0]}, a later official code of xlink-errors/extended: define them with defineXlinkErrors(XLINK_EXTENDED_ERRORS) in a module, and load it with --require.`;
  }
  const nearest = suggest(typed, records.filter((r) => String(r.code).startsWith(typed.slice(0, 3))).map((r) => String(r.code)));
  const record = nearest === undefined ? undefined : findCatalogRecord(Number(nearest));
  if (record !== undefined) return ` Did you mean ${record.name} (${record.code})?`;
  return ` It is not an official Xlink code; a code of your own is known once the module that defines it is loaded: xlink-errors --require ./path/to/errors.js ${typed}`;
}

/** Loads every `--require` module in order; on the first that fails, says why on stderr and resolves to `false`. */
async function loadAll(specs: readonly string[]): Promise<boolean> {
  for (const spec of specs) {
    const failure = await load(spec);
    if (failure !== undefined) {
      process.stderr.write(`xlink-errors: --require ${spec}: ${failure}\n`);
      return false;
    }
  }
  return true;
}

/**
 * Loads a module given to `--require`, resolved from the current directory as `require()`
 * would (a path, or a package in ./node_modules), then imported: CommonJS and ES modules alike.
 * Returns why it failed, or `undefined`.
 */
async function load(spec: string): Promise<string | undefined> {
  let resolved: string;
  try {
    resolved = createRequire(join(process.cwd(), 'xlink-errors-cli.js')).resolve(spec);
  } catch {
    return `cannot find module ${JSON.stringify(spec)} from ${process.cwd()}`;
  }
  try {
    await import(pathToFileURL(resolved).href);
    return undefined;
  } catch (err) {
    return `the module failed to load: ${err instanceof Error ? err.message : String(err)}`;
  }
}

function usageError(message: string): number {
  process.stderr.write(`xlink-errors: ${message}\nRun "xlink-errors --help" for usage.\n`);
  return 2;
}

// `xlink-errors list | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (err: unknown) => {
    process.stderr.write(`xlink-errors: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
