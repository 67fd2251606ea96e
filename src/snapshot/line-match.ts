// Matches one output line against one snapshot line without regular
// expressions or backtracking: `[..]` is any text within the line, `[LO..HI]`
// a number in a band, `[UID]`-like placeholders match their value, and a line
// starting with `\` is literal text (the syntax: tokens.ts). The pattern is
// segments between `[..]`s; each segment is searched once, leftmost after the
// previous one (a greedy match is never taken back), and a number is always
// the whole run of digits where it starts, so the work grows with the line
// times the pattern at most, never exponentially. The same walk tells what
// each wildcard with a seen value covered, for recording it (refreshSeen).

import { carriesSeen, parseLine, partText, seenable, type Part } from "./tokens.js";

/** A pattern line starting with this is literal text. */
export const LITERAL = "\\";

/** Placeholders that stand for a value the actual output shows literally (e.g. UID → "1000"). */
export type Bindings = ReadonlyMap<string, string>;

/** One piece of a segment: literal text (any one of its spellings) or a number in a band. `part`: its index in the line's parts. */
type Piece = { kind: "text"; spellings: string[] } | { kind: "number"; lo: number; hi: number; decimal: boolean; part: number };
interface Segment {
  pieces: Piece[];
}
interface Compiled {
  parts: Part[];
  /** The segments between `[..]`s, in order. */
  segments: Segment[];
  /** The part index of the `[..]` before segment k (k >= 1). */
  gaps: number[];
}

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
  const parts = parseLine(expected);
  c = { parts, segments: [{ pieces: [] }], gaps: [-1] };
  parts.forEach((part, index) => {
    const seg = c!.segments[c!.segments.length - 1]!.pieces;
    const text = (spellings: string[]) => {
      const last = seg[seg.length - 1];
      if (spellings.length === 1 && last?.kind === "text" && last.spellings.length === 1) last.spellings[0] += spellings[0]!;
      else seg.push({ kind: "text", spellings });
    };
    if (part.kind === "any") {
      c!.segments.push({ pieces: [] });
      c!.gaps.push(index);
    } else if (part.kind === "number") {
      seg.push({ kind: "number", lo: part.lo, hi: part.hi ?? Number.POSITIVE_INFINITY, decimal: part.decimal, part: index });
    } else if (part.kind === "placeholder") {
      const bound = bindings.get(part.name);
      const written = `[${part.name}]`;
      text(bound !== undefined && bound !== written ? [bound, written] : [written]);
    } else text([part.text]);
  });
  if (cache.size > 5000) cache.clear();
  cache.set(key, c);
  return c;
}

const isDigit = (s: string, i: number) => i >= 0 && i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;

/** Where the number that starts at `p` ends, or -1: a whole run of digits (not preceded by one), with decimals where the band has them. */
function numberEnd(s: string, p: number, decimal: boolean): number {
  if (!isDigit(s, p) || isDigit(s, p - 1)) return -1;
  let e = p;
  while (isDigit(s, e)) e++;
  if (decimal && s[e] === "." && isDigit(s, e + 1)) {
    e++;
    while (isDigit(s, e)) e++;
  }
  return e;
}

function inBand(s: string, p: number, e: number, piece: Extract<Piece, { kind: "number" }>): boolean {
  const v = Number(s.slice(p, e));
  return v >= piece.lo && v <= piece.hi;
}

/** Seen values taken on the way: part index → the text it covered. */
type Caps = ReadonlyArray<readonly [number, string]>;
const NONE: Caps = [];

/** Where `seg` can end, started at each of `from` (position → the captures of the first way found there). */
function advance(s: string, seg: Segment, from: ReadonlyMap<number, Caps>): Map<number, Caps> {
  let at = new Map(from);
  for (const piece of seg.pieces) {
    const next = new Map<number, Caps>();
    for (const [p, caps] of at) {
      if (piece.kind === "text") {
        for (const t of piece.spellings) if (s.startsWith(t, p) && !next.has(p + t.length)) next.set(p + t.length, caps);
      } else {
        const e = numberEnd(s, p, piece.decimal);
        if (e >= 0 && inBand(s, p, e, piece) && !next.has(e)) next.set(e, [...caps, [piece.part, s.slice(p, e)]]);
      }
    }
    at = next;
    if (at.size === 0) break;
  }
  return at;
}

/** Positions where `seg` can start so that it ends exactly at `to`. */
function starts(s: string, seg: Segment, to: number): number[] {
  let at = [to];
  for (let k = seg.pieces.length - 1; k >= 0; k--) {
    const piece = seg.pieces[k]!;
    const next = new Set<number>();
    for (const p of at) {
      if (piece.kind === "text") {
        for (const t of piece.spellings) if (p - t.length >= 0 && s.startsWith(t, p - t.length)) next.add(p - t.length);
        continue;
      }
      // A number ending at p starts where its digits do, or (with decimals) where the digits before its point do.
      let d = p;
      while (isDigit(s, d - 1)) d--;
      const candidates = [d];
      if (piece.decimal && s[d - 1] === "." && isDigit(s, d - 2)) {
        let d2 = d - 1;
        while (isDigit(s, d2 - 1)) d2--;
        candidates.push(d2);
      }
      for (const q of candidates) if (q < p && numberEnd(s, q, piece.decimal) === p && inBand(s, q, p, piece)) next.add(q);
    }
    at = [...next];
    if (at.length === 0) break;
  }
  return at;
}

/** The next place at or after `q` where the segment's first piece can begin, or -1. */
function nextHead(s: string, head: Piece, q: number): number {
  if (head.kind === "text") {
    let next = -1;
    for (const h of head.spellings) {
      const i = s.indexOf(h, q);
      if (i >= 0 && (next < 0 || i < next)) next = i;
    }
    return next;
  }
  for (let i = q; i < s.length; i++) if (isDigit(s, i) && !isDigit(s, i - 1)) return i;
  return -1;
}

function least(m: ReadonlyMap<number, Caps>): number {
  let min = Number.POSITIVE_INFINITY;
  for (const k of m.keys()) if (k < min) min = k;
  return min;
}

/** The segment matched somewhere at or after `from` with the least end: its start, end and captures; undefined if nowhere. */
function firstMatch(s: string, seg: Segment, from: number): { start: number; end: number; caps: Caps } | undefined {
  const head = seg.pieces[0]!;
  let best: { start: number; end: number; caps: Caps } | undefined;
  let q = from;
  while (q <= s.length && (best === undefined || q < best.end)) {
    const next = nextHead(s, head, q);
    if (next < 0 || (best !== undefined && next >= best.end)) break;
    const ends = advance(s, seg, new Map([[next, NONE]]));
    if (ends.size > 0) {
      const end = least(ends);
      if (best === undefined || end < best.end) best = { start: next, end, caps: ends.get(end)! };
    }
    // With one spelling per text piece and no number the first occurrence gives the least end.
    if (best !== undefined && seg.pieces.every((p) => p.kind === "text" && p.spellings.length === 1)) break;
    q = next + 1;
  }
  return best;
}

/** The captures of a match of the whole line (part index → text; the gaps' only with `gapText`), or undefined when it does not match. */
function matchCompiled(c: Compiled, s: string, gapText = false): Caps | undefined {
  const { segments, gaps } = c;
  const first = advance(s, segments[0]!, new Map([[0, NONE]]));
  if (segments.length === 1) return first.get(s.length);
  if (first.size === 0) return undefined;
  let x = least(first);
  const caps: (readonly [number, string])[] = [...first.get(x)!];
  for (let k = 1; k < segments.length - 1; k++) {
    const seg = segments[k]!;
    if (seg.pieces.length === 0) {
      if (gapText) caps.push([gaps[k]!, ""]);
      continue;
    }
    const m = firstMatch(s, seg, x);
    if (!m) return undefined;
    if (gapText) caps.push([gaps[k]!, s.slice(x, m.start)]);
    caps.push(...m.caps);
    x = m.end;
  }
  const last = segments[segments.length - 1]!;
  const k = segments.length - 1;
  if (last.pieces.length === 0) {
    if (gapText) caps.push([gaps[k]!, s.slice(x)]);
    return caps;
  }
  const p = starts(s, last, s.length)
    .filter((q) => q >= x)
    .sort((a, b) => a - b)[0];
  if (p === undefined) return undefined;
  if (gapText) caps.push([gaps[k]!, s.slice(x, p)]);
  caps.push(...(advance(s, last, new Map([[p, NONE]])).get(s.length) ?? NONE));
  return caps;
}

export function lineMatches(expected: string, actual: string, bindings: Bindings): boolean {
  if (expected.startsWith(LITERAL)) return expected.slice(1) === actual;
  if (expected === actual) return true;
  if (!expected.includes("[")) return false;
  return matchCompiled(compile(expected, bindings), actual) !== undefined;
}

/**
 * The pattern line with each seen value (`[..=SEEN]`, `[LO..HI=SEEN]`) set to
 * what `actual` shows there, for recording a section again. A text that cannot
 * be kept as a seen value (brackets, too long) leaves it empty; a line that
 * does not match, or has no seen values, is returned as it is.
 */
export function refreshSeen(expected: string, actual: string, bindings: Bindings): string {
  if (expected.startsWith(LITERAL) || !expected.includes("=")) return expected;
  const c = compile(expected, bindings);
  if (!c.parts.some(carriesSeen)) return expected;
  const caps = matchCompiled(c, actual, true);
  if (!caps) return expected;
  const taken = new Map(caps);
  return c.parts
    .map((part, i) => {
      if (!carriesSeen(part)) return partText(part);
      const t = taken.get(i);
      return partText(part, t === undefined ? part.seen : seenable(t) ? t : "");
    })
    .join("");
}
