import { typeName } from './headers.js';

/**
 * The candidate closest to `input` ("did you mean"), or `undefined` when none is close enough.
 * Case, `-` and spaces are ignored (`device-not-found` finds `DEVICE_NOT_FOUND`); beyond that,
 * a candidate qualifies within a small edit distance (a typo, a missing or swapped letter):
 * 1 edit for short names, 2 from 8 characters, 3 from 16. Ties go to the first candidate.
 *
 * @example
 * didYouMean('DEVICE_NOT_FOND', ['DEVICE_NOT_FOUND', 'USER_NOT_FOUND']); // 'DEVICE_NOT_FOUND'
 */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const wanted = normalise(input);
  if (wanted.length === 0 || wanted.length > 100) return undefined; // nothing to compare, or not worth the work
  let bestDistance = (wanted.length < 8 ? 1 : wanted.length < 16 ? 2 : 3) + 1;
  let best: string | undefined;
  for (const candidate of candidates) {
    // Only a strictly closer candidate can replace the best one: ties go to the first.
    const distance = editDistance(wanted, normalise(candidate), bestDistance - 1);
    if (distance === 0) return candidate;
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * The message of the `TypeError` every function that takes a catalog key throws for an unknown
 * one: `unknown Xlink error 'DEVICE_NOT_FOND': did you mean 'DEVICE_NOT_FOUND'?`, or, with
 * nothing close, what a key looks like.
 */
export function unknownKeyMessage(key: unknown, names: Iterable<string>): string {
  if (typeof key === 'string') {
    const quoted = `'${JSON.stringify(key).slice(1, -1)}'`;
    const suggestion = /^\d+$/.test(key) ? undefined : didYouMean(key, names);
    return suggestion === undefined
      ? `unknown Xlink error ${quoted}: expected a catalog name such as 'DEVICE_NOT_FOUND' or a 7-digit code string such as '4041008'`
      : `unknown Xlink error ${quoted}: did you mean '${suggestion}'?`;
  }
  if (typeof key === 'number') return `unknown Xlink error ${key}: expected one of the catalog codes, such as 4041008`;
  return `unknown Xlink error (${typeName(key)}): expected a catalog name, code or 7-digit code string`;
}

function normalise(name: string): string {
  return name.toUpperCase().replace(/[-\s]/g, '_');
}

/**
 * Optimal string alignment distance (insertions, deletions, substitutions, swaps of two
 * neighbours), giving up past `limit`: returns `limit + 1` then.
 */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2]! + 1);
      current.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}
