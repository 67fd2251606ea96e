// Matches one output line against one snapshot line without regular
// expressions or backtracking: `[..]` is any text within the line, `[UID]`-like
// placeholders match their value, and a line starting with `\` is literal
// text. The pattern is pieces between `[..]`s; each piece is searched once,
// leftmost after the previous one (a greedy match is never taken back), so
// the work grows with the line times the pattern at most, never exponentially.

export const ANY_TEXT = "[..]";
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
