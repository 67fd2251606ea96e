// Matches output against a snapshot pattern: `[..]` is any text within a line,
// a line `...` is any number of lines, `[UID]`-like placeholders match their
// value, and a line starting with `\` is literal text (the rest, compared exactly).
//
// Matching a line takes time linear in the line and the pattern (no regular
// expressions, no backtracking): the pattern is literal pieces between `[..]`s;
// each piece is found leftmost after the previous one.

export const ANY_TEXT = "[..]";
export const ANY_LINES = "...";
/** A pattern line starting with this is literal text. */
export const LITERAL = "\\";

/** Placeholders that stand for a value the actual output shows literally (e.g. UID → "1000"). */
export type Bindings = ReadonlyMap<string, string>;

/** One piece of a line pattern: literal text, or a bound placeholder (any one of its spellings). */
type Token = string[];
/** The pieces between `[..]`s, in order. */
type Compiled = Token[][];

const cache = new Map<string, Compiled>();
const bindingKeys = new WeakMap<Bindings, string>();

function compile(expected: string, bindings: Bindings): Compiled {
  let bk = bindingKeys.get(bindings);
  if (bk === undefined) {
    bk = [...bindings].join(";");
    bindingKeys.set(bindings, bk);
  }
  const key = `${bk}\u0000${expected}`;
  let c = cache.get(key);
  if (c) return c;
  c = [[]];
  for (const part of expected.split(/(\[\.\.\]|\[[A-Z][A-Z0-9_]*\])/)) {
    if (part === "") continue;
    if (part === ANY_TEXT) {
      c.push([]);
      continue;
    }
    const m = /^\[([A-Z][A-Z0-9_]*)\]$/.exec(part);
    const bound = m ? bindings.get(m[1]!) : undefined;
    const seg = c[c.length - 1]!;
    if (bound !== undefined && bound !== part) {
      seg.push([bound, part]);
    } else if (seg.length > 0 && seg[seg.length - 1]!.length === 1) {
      seg[seg.length - 1]![0] += part;
    } else {
      seg.push([part]);
    }
  }
  if (cache.size > 5000) cache.clear();
  cache.set(key, c);
  return c;
}

/** Positions in `s` where `seg` can end when started at one of `from` (sorted, unique). */
function ends(s: string, seg: Token[], from: number[]): number[] {
  let at = from;
  for (const token of seg) {
    const next = new Set<number>();
    for (const p of at) for (const t of token) if (s.startsWith(t, p)) next.add(p + t.length);
    at = [...next].sort((a, b) => a - b);
    if (at.length === 0) break;
  }
  return at;
}

/** Positions where `seg` can start so that it ends exactly at `to`. */
function starts(s: string, seg: Token[], to: number): number[] {
  let at = [to];
  for (let k = seg.length - 1; k >= 0; k--) {
    const next = new Set<number>();
    for (const p of at) for (const t of seg[k]!) if (p - t.length >= 0 && s.startsWith(t, p - t.length)) next.add(p - t.length);
    at = [...next];
    if (at.length === 0) break;
  }
  return at;
}

/** The least end of `seg` matched somewhere at or after `from`, or -1. */
function firstEnd(s: string, seg: Token[], from: number): number {
  const heads = seg[0]!;
  let best = -1;
  let q = from;
  while (q <= s.length && (best < 0 || q < best)) {
    // The next place where the first piece (any spelling) occurs.
    let next = -1;
    for (const h of heads) {
      const i = s.indexOf(h, q);
      if (i >= 0 && (next < 0 || i < next)) next = i;
    }
    if (next < 0 || (best >= 0 && next >= best)) break;
    const e = ends(s, seg, [next]);
    if (e.length > 0 && (best < 0 || e[0]! < best)) best = e[0]!;
    // With one spelling per piece the first occurrence gives the least end.
    if (best >= 0 && seg.every((t) => t.length === 1)) break;
    q = next + 1;
  }
  return best;
}

function matchCompiled(c: Compiled, s: string): boolean {
  const first = ends(s, c[0]!, [0]);
  if (c.length === 1) return first.includes(s.length);
  if (first.length === 0) return false;
  let x = first[0]!;
  for (let k = 1; k < c.length - 1; k++) {
    if (c[k]!.length === 0) continue;
    x = firstEnd(s, c[k]!, x);
    if (x < 0) return false;
  }
  const last = c[c.length - 1]!;
  if (last.length === 0) return true;
  return starts(s, last, s.length).some((p) => p >= x);
}

export function lineMatches(expected: string, actual: string, bindings: Bindings): boolean {
  if (expected.startsWith(LITERAL)) return expected.slice(1) === actual;
  if (expected === actual) return true;
  if (!expected.includes("[")) return false;
  return matchCompiled(compile(expected, bindings), actual);
}

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
function matchLarge(e: string[], a: string[], expected: string, bindings: Bindings, rawLine: (l: string) => string, sameNewline: boolean, actNewline: boolean): MatchResult {
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
  if (ok && sameNewline) return { matches: true, normalized: expected };
  const out = blocks.length === 1 && e.length === a.length ? a.map((l, j) => (lineMatches(e[j]!, l, bindings) ? e[j]! : rawLine(l))) : a.map(rawLine);
  return { matches: false, normalized: fromLines(out, actNewline) };
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
