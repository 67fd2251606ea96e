// Matches output against a snapshot pattern: `[..]` is any text within a line,
// a line `...` is any number of lines, `[UID]`-like placeholders match their value.

export const ANY_TEXT = "[..]";
export const ANY_LINES = "...";

/** Placeholders that stand for a value the actual output shows literally (e.g. UID → "1000"). */
export type Bindings = ReadonlyMap<string, string>;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const cache = new Map<string, RegExp>();

function lineRegExp(expected: string, bindings: Bindings): RegExp {
  const key = `${[...bindings].join(";")}\u0000${expected}`;
  let re = cache.get(key);
  if (!re) {
    const parts = expected.split(/(\[\.\.\]|\[[A-Z][A-Z0-9_]*\])/);
    const body = parts
      .map((p) => {
        if (p === ANY_TEXT) return "[^\\n]*?";
        const m = /^\[([A-Z][A-Z0-9_]*)\]$/.exec(p);
        const bound = m ? bindings.get(m[1]!) : undefined;
        if (bound !== undefined) return `(?:${escapeRegExp(bound)}|${escapeRegExp(p)})`;
        return escapeRegExp(p);
      })
      .join("");
    re = new RegExp(`^${body}$`);
    if (cache.size > 5000) cache.clear();
    cache.set(key, re);
  }
  return re;
}

export function lineMatches(expected: string, actual: string, bindings: Bindings): boolean {
  if (expected === actual) return true;
  if (!expected.includes("[")) return false;
  return lineRegExp(expected, bindings).test(actual);
}

function toLines(text: string): string[] {
  if (text === "") return [];
  return (text.endsWith("\n") ? text.slice(0, -1) : text).split("\n");
}

function fromLines(lines: string[], newline: boolean): string {
  if (lines.length === 0) return "";
  return lines.join("\n") + (newline ? "\n" : "");
}

export interface MatchResult {
  matches: boolean;
  /**
   * The actual output rewritten towards the pattern: each actual line that a
   * pattern line matches is replaced by that pattern line, each run of lines a
   * `...` absorbed by `...`. Equal to the pattern when `matches`; otherwise the
   * best alignment, used for the diff and by --update (so wildcards that still
   * match are kept).
   */
  normalized: string;
}

/**
 * Aligns actual lines to pattern lines (dynamic programming). A line without a
 * partner costs W, more than all `...` absorptions together (1 each), so the
 * best alignment first has the fewest unmatched lines, then lets `...` swallow
 * as little as it can: a changed last line shows as changed, not as swallowed.
 * A pattern line paired with a different actual line costs W (not 2W), so a
 * changed line is shown in its place.
 */
export function matchOutput(expected: string, actual: string, bindings: Bindings, rawLine: (l: string) => string = (l) => l): MatchResult {
  const e = toLines(expected);
  const a = toLines(actual);
  const expNewline = expected === "" || expected.endsWith("\n");
  const actNewline = actual === "" || actual.endsWith("\n");
  const m = e.length;
  const n = a.length;
  if (m * n > 4_000_000) {
    const same = expected === actual;
    return { matches: same, normalized: same ? expected : fromLines(a.map(rawLine), actNewline) };
  }
  const W = n + 1;
  const cols = n + 1;
  const cost = new Float64Array((m + 1) * cols);
  const at = (i: number, j: number) => cost[i * cols + j]!;
  const same = (i: number, j: number) => lineMatches(e[i]!, a[j]!, bindings);
  for (let i = m; i >= 0; i--) {
    for (let j = n; j >= 0; j--) {
      let best: number;
      if (i === m) {
        best = (n - j) * W;
      } else if (e[i] === ANY_LINES) {
        best = at(i + 1, j);
        if (j < n) best = Math.min(best, 1 + at(i, j + 1));
      } else {
        best = W + at(i + 1, j);
        if (j < n) {
          best = Math.min(best, W + at(i, j + 1), W + at(i + 1, j + 1));
          if (same(i, j)) best = Math.min(best, at(i + 1, j + 1));
        }
      }
      cost[i * cols + j] = best;
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < m || j < n) {
    const here = at(i, j);
    if (i < m && e[i] === ANY_LINES) {
      // Absorb a line only while leaving the wildcard here would cost more.
      while (j < n && at(i + 1, j) !== at(i, j) && 1 + at(i, j + 1) === at(i, j)) j++;
      out.push(ANY_LINES);
      i++;
      continue;
    }
    if (i < m && j < n && same(i, j) && at(i + 1, j + 1) === here) {
      out.push(e[i]!);
      i++;
      j++;
    } else if (i < m && j < n && W + at(i + 1, j + 1) === here) {
      out.push(rawLine(a[j]!));
      i++;
      j++;
    } else if (j < n && (i === m || W + at(i, j + 1) === here)) {
      out.push(rawLine(a[j]!));
      j++;
    } else {
      i++;
    }
  }
  const matches = at(0, 0) < W && expNewline === actNewline;
  const normalized = fromLines(out, actNewline);
  return { matches, normalized: matches ? expected : normalized };
}
