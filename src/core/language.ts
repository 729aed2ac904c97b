/*
 * Accept-Language negotiation without a dependency, for the paths that have no framework to ask
 * (the web entry, Hono): the rules of negotiator (what Express's `req.acceptsLanguages` and Koa's
 * `ctx.acceptsLanguages` use), which a test holds it to. Ranked by quality, then by how
 * specifically a range names the language (`zh-CN` over `zh` over `*`), then by the range's
 * place in the header, then by the order offered; `q=0` refuses.
 */

interface Range {
  readonly prefix: string;
  readonly full: string;
  readonly q: number;
  readonly index: number;
}

/** `zh-CN;q=0.8` -> its parts; negotiator's pattern. */
const RANGE = /^\s*([^\s\-;]+)(?:-([^\s;]+))?\s*(?:;(.*))?$/;

function parseRanges(header: string): Range[] {
  const ranges: Range[] = [];
  const parts = header.split(',');
  for (let index = 0; index < parts.length; index++) {
    const match = RANGE.exec(parts[index]!.trim());
    if (match === null) continue;
    const prefix = match[1]!.toLowerCase();
    const full = match[2] === undefined ? prefix : `${prefix}-${match[2].toLowerCase()}`;
    let q = 1;
    if (match[3] !== undefined) {
      for (const param of match[3].split(';')) {
        const eq = param.indexOf('=');
        if (eq !== -1 && param.slice(0, eq).trim().toLowerCase() === 'q') q = parseFloat(param.slice(eq + 1).trim());
      }
    }
    ranges.push({ prefix, full, q, index });
  }
  return ranges;
}

interface Priority {
  readonly q: number;
  readonly s: number;
  readonly o: number;
  readonly i: number;
}

/** How one offered language fares against every range (negotiator's `getLanguagePriority`). */
function priorityOf(offered: string, ranges: readonly Range[], i: number): Priority {
  const lower = offered.toLowerCase();
  const dash = lower.indexOf('-');
  const offeredPrefix = dash === -1 ? lower : lower.slice(0, dash);
  let best: Priority = { q: 0, s: 0, o: -1, i };
  for (const range of ranges) {
    let s: number;
    if (range.full === lower) s = 4;
    else if (range.prefix === lower) s = 2;
    else if (range.full === offeredPrefix) s = 1;
    else if (range.full === '*') s = 0;
    else continue;
    if ((best.s - s || best.q - range.q || best.o - range.index) < 0) best = { q: range.q, s, o: range.index, i };
  }
  return best;
}

/**
 * The offered language the `Accept-Language` header prefers, or `false` if it refuses them all.
 * No header accepts every language (the first offered wins).
 *
 * @example
 * acceptedLanguage('zh-CN,zh;q=0.9,en;q=0.8', ['en', 'zh-CN', 'zh']); // 'zh-CN'
 */
export function acceptedLanguage(header: string | null | undefined, offered: readonly string[]): string | false {
  const ranges = parseRanges(header ?? '*');
  let winner: Priority | undefined;
  for (let i = 0; i < offered.length; i++) {
    const p = priorityOf(offered[i]!, ranges, i);
    if (!(p.q > 0)) continue;
    if (winner === undefined || (p.q - winner.q || p.s - winner.s || winner.o - p.o || winner.i - p.i) > 0) winner = p;
  }
  return winner === undefined ? false : offered[winner.i]!;
}
