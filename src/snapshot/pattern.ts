// Matches output against a snapshot pattern: `[..]` is any text within a line,
// a line `...` is any number of lines, `[UID]`-like placeholders match their
// value, `[LO..HI]` is a number in a band, and a line starting with `\` is
// literal text (line-match.ts, tokens.ts); this file aligns the lines.

import { lineMatches, refreshSeen, type Bindings } from "./line-match.js";

export { LITERAL, lineMatches, type Bindings } from "./line-match.js";
export const ANY_LINES = "...";

function toLines(text: string): string[] {
  if (text === "") return [];
  return (text.endsWith("\n") ? text.slice(0, -1) : text).split("\n");
}

function fromLines(lines: string[], newline: boolean): string {
  if (lines.length === 0) return "";
  return lines.join("\n") + (newline ? "\n" : "");
}

/** Above this many line pairs the best alignment is not searched (time and memory). */
const MAX_CELLS = 1_000_000;

/** Whether `block` (pattern lines without `...`) matches `a` at `j`. */
function blockAt(block: string[], a: string[], j: number, bindings: Bindings): boolean {
  if (j + block.length > a.length) return false;
  for (let k = 0; k < block.length; k++) if (!lineMatches(block[k]!, a[j + k]!, bindings)) return false;
  return true;
}

/**
 * Big outputs: the pattern's blocks between `...` lines, the first at the start,
 * the last at the end, the others each leftmost after the previous one. No
 * alignment: a mismatch is shown line by line when the line counts agree, else whole.
 */
function matchLarge(
  e: string[],
  a: string[],
  expected: string,
  bindings: Bindings,
  rawLine: (l: string) => string,
  sameNewline: boolean,
  actNewline: boolean,
): MatchResult {
  const blocks: string[][] = [[]];
  for (const l of e) {
    if (l === ANY_LINES) blocks.push([]);
    else blocks[blocks.length - 1]!.push(l);
  }
  let ok: boolean;
  if (blocks.length === 1) {
    ok = e.length === a.length && blockAt(e, a, 0, bindings);
  } else {
    const first = blocks[0]!;
    const last = blocks[blocks.length - 1]!;
    ok = blockAt(first, a, 0, bindings);
    let x = first.length;
    for (let k = 1; ok && k < blocks.length - 1; k++) {
      const b = blocks[k]!;
      if (b.length === 0) continue;
      let j = x;
      while (j + b.length <= a.length && !blockAt(b, a, j, bindings)) j++;
      if (j + b.length > a.length) ok = false;
      else x = j + b.length;
    }
    ok = ok && a.length - last.length >= x && blockAt(last, a, a.length - last.length, bindings);
  }
  const lineByLine = blocks.length === 1 && e.length === a.length;
  const recorded = () =>
    fromLines(lineByLine ? a.map((l, j) => (lineMatches(e[j]!, l, bindings) ? refreshSeen(e[j]!, l, bindings) : rawLine(l))) : a.map(rawLine), actNewline);
  // `recorded` is worked out only when asked for (--update): it is another pass over a big output.
  if (ok && sameNewline)
    return {
      matches: true,
      normalized: expected,
      get recorded() {
        return lineByLine ? recorded() : expected;
      },
    };
  const out = lineByLine ? a.map((l, j) => (lineMatches(e[j]!, l, bindings) ? e[j]! : rawLine(l))) : a.map(rawLine);
  return {
    matches: false,
    normalized: fromLines(out, actNewline),
    get recorded() {
      return recorded();
    },
  };
}

interface MatchResult {
  matches: boolean;
  /**
   * The actual output rewritten towards the pattern: each actual line that a
   * pattern line matches is replaced by that pattern line, each run of lines a
   * `...` absorbed by `...`. Equal to the pattern when `matches`; otherwise the
   * best alignment, used for the diff and by --update (so wildcards that still
   * match are kept).
   */
  normalized: string;
  /**
   * What recording this output writes: `normalized`, but with each seen value
   * (`[..=SEEN]`, `[LO..HI=SEEN]`) of a matching line set to what this output
   * shows there. `normalized` keeps the old ones, so a diff never shows a line
   * whose only change is its seen value.
   */
  recorded: string;
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
  if (m * n > MAX_CELLS) return matchLarge(e, a, expected, bindings, rawLine, expNewline === actNewline, actNewline);
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
  const rec: string[] = [];
  let i = 0;
  let j = 0;
  while (i < m || j < n) {
    const here = at(i, j);
    if (i < m && e[i] === ANY_LINES) {
      // Absorb a line only while leaving the wildcard here would cost more.
      while (j < n && at(i + 1, j) !== at(i, j) && 1 + at(i, j + 1) === at(i, j)) j++;
      out.push(ANY_LINES);
      rec.push(ANY_LINES);
      i++;
      continue;
    }
    if (i < m && j < n && same(i, j) && at(i + 1, j + 1) === here) {
      out.push(e[i]!);
      rec.push(refreshSeen(e[i]!, a[j]!, bindings));
      i++;
      j++;
    } else if (i < m && j < n && W + at(i + 1, j + 1) === here) {
      out.push(rawLine(a[j]!));
      rec.push(out[out.length - 1]!);
      i++;
      j++;
    } else if (j < n && (i === m || W + at(i, j + 1) === here)) {
      out.push(rawLine(a[j]!));
      rec.push(out[out.length - 1]!);
      j++;
    } else {
      i++;
    }
  }
  const matches = at(0, 0) < W && expNewline === actNewline;
  const normalized = fromLines(out, actNewline);
  const recorded = fromLines(rec, actNewline);
  return { matches, normalized: matches ? expected : normalized, recorded };
}
