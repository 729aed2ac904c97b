/**
 * What the docs test reads in Markdown: the ```ts blocks (to compile them), the headings (to know
 * the #anchors GitHub makes of them) and the relative links (to resolve them). Small on purpose:
 * only what README.md and docs/*.md use.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

export interface Block {
  /** The Markdown line (1-based) of the block's first line of code. */
  readonly line: number;
  readonly code: string;
}

/** A block that cannot compile on its own (kept rare) has this comment on the line before it. */
const NO_COMPILE = /<!--\s*(?:readme|docs): no-compile\s*-->/;
const FENCE = /^\s*(```|~~~)/;

/** The ```ts blocks (indented ones too), with the line each starts on. */
export function tsBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```ts\s*$/.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!.length;
    const skipped = NO_COMPILE.test(lines[i - 1] ?? '');
    const start = i + 1;
    while (i + 1 < lines.length && !/^\s*```\s*$/.test(lines[i + 1]!)) i++;
    if (!skipped) blocks.push({ line: start + 1, code: lines.slice(start, i + 1).map((l) => l.slice(indent)).join('\n') });
    i++;
  }
  return blocks;
}

/** The lines outside fenced code blocks, with their line numbers (1-based). */
function proseLines(markdown: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let fenced = false;
  markdown.split('\n').forEach((text, i) => {
    if (FENCE.test(text)) fenced = !fenced;
    else if (!fenced) out.push({ line: i + 1, text });
  });
  return out;
}

/**
 * The anchor GitHub gives a heading: its text as rendered (inline code and links reduced to
 * their text), lower-cased, punctuation dropped (letters, digits, `_`, `-` and spaces stay),
 * each space a hyphen; a repeated anchor gets `-1`, `-2`... (github-slugger's rules).
 */
export function headingAnchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const { text } of proseLines(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(text);
    if (!heading) continue;
    const rendered = heading[1]!.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/<[^>]+>/g, '');
    const base = rendered.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '').replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

export interface Link {
  readonly line: number;
  readonly target: string;
}

/** The links of the prose (inline `[text](target)` and reference `[x]: target`), not those in code. */
export function links(markdown: string): Link[] {
  const out: Link[] = [];
  for (const { line, text } of proseLines(markdown)) {
    const prose = text.replace(/`[^`]*`/g, '');
    for (const m of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push({ line, target: m[1]! });
    const ref = /^\s*\[[^\]]+\]:\s*(\S+)/.exec(prose);
    if (ref) out.push({ line, target: ref[1]! });
  }
  return out;
}

/**
 * Every relative link and #anchor of the file that does not resolve, as `file:line: target (why)`:
 * the file or folder must exist (relative to the Markdown file), and an anchor must be a heading
 * of the Markdown file it points into. Absolute URLs (`https:`, `mailto:`...) are not checked.
 */
export function brokenLinks(file: string, root: string): string[] {
  const markdown = readFileSync(file, 'utf8');
  const broken: string[] = [];
  const anchorsOf = new Map<string, Set<string>>();
  const anchors = (path: string) => {
    let set = anchorsOf.get(path);
    if (set === undefined) anchorsOf.set(path, (set = headingAnchors(readFileSync(path, 'utf8'))));
    return set;
  };
  for (const { line, target } of links(markdown)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:...
    const hash = target.indexOf('#');
    const pathPart = decodeURI(hash < 0 ? target : target.slice(0, hash));
    const anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
    const path = pathPart === '' ? file : join(dirname(file), pathPart);
    const where = `${relative(root, file)}:${line}: ${target}`;
    if (!existsSync(path)) {
      broken.push(`${where} (no such file: ${relative(root, path)})`);
      continue;
    }
    if (anchor !== undefined && path.endsWith('.md') && !anchors(path).has(anchor)) {
      broken.push(`${where} (no heading with the anchor #${anchor} in ${relative(root, path)})`);
    }
  }
  return broken;
}
