// The syntax inside one snapshot pattern line, parsed into parts once, for the
// matcher (line-match.ts), the recorder (normalize.ts) and whatever shows a
// recorded output to a reader (read, the HTML edition, step mode):
//
//   [..]          any text within the line
//   [LO..HI]      a whole number from LO to HI; [LO..] has no upper bound; a
//                 decimal point in LO or HI admits decimals (51.4) too
//   ...=SEEN]     either of the two with what the recording host printed
//                 there, [..=01] or [40..49=41]: shown to readers as "on the
//                 recording host", never compared; [..=] is "not seen yet"
//   [NAME]        a placeholder (a per-run value or a bound host fact)
//
// A SEEN value holds no brackets and no line end. Parsing uses one regular
// expression on the pattern (never on output being matched), which has no
// nested repetition; matching itself uses none (line-match.ts).

export type Part =
  | { kind: "text"; text: string }
  | { kind: "any"; seen?: string }
  | { kind: "number"; lo: number; hi?: number; decimal: boolean; seen?: string; bounds: string }
  | { kind: "placeholder"; name: string };

const NUM = String.raw`\d+(?:\.\d+)?`;
const SEEN = String.raw`(?:=([^\[\]\n]*))?`;
const TOKEN = new RegExp(String.raw`\[\.\.${SEEN}\]|\[(${NUM})\.\.(${NUM})?${SEEN}\]|\[([A-Z][A-Z0-9_]*)\]`, "g");

/** Longest SEEN value a recording keeps; longer text is left unseen ([..=]). */
const MAX_SEEN = 120;

/** The parts of a pattern line (one that is neither literal `\...` nor `...`). Adjacent text is one part. */
export function parseLine(line: string): Part[] {
  const parts: Part[] = [];
  const text = (t: string) => {
    if (t === "") return;
    const last = parts[parts.length - 1];
    if (last?.kind === "text") last.text += t;
    else parts.push({ kind: "text", text: t });
  };
  let at = 0;
  for (const m of line.matchAll(TOKEN)) {
    text(line.slice(at, m.index));
    at = m.index + m[0].length;
    if (m[0].startsWith("[..")) parts.push(m[1] === undefined ? { kind: "any" } : { kind: "any", seen: m[1] });
    else if (m[2] !== undefined) {
      const bounds = m[3] === undefined ? `${m[2]}..` : `${m[2]}..${m[3]}`;
      const part: Part = { kind: "number", lo: Number(m[2]), decimal: bounds.replace("..", "").includes("."), bounds };
      if (m[3] !== undefined) part.hi = Number(m[3]);
      if (m[4] !== undefined) part.seen = m[4];
      parts.push(part);
    } else parts.push({ kind: "placeholder", name: m[5]! });
  }
  text(line.slice(at));
  return parts;
}

/** The part written back as pattern text (`seen` replaced when given). */
export function partText(part: Part, seen?: string): string {
  const s = seen ?? (part.kind === "any" || part.kind === "number" ? part.seen : undefined);
  switch (part.kind) {
    case "text":
      return part.text;
    case "placeholder":
      return `[${part.name}]`;
    case "any":
      return s === undefined ? "[..]" : `[..=${s}]`;
    case "number":
      return s === undefined ? `[${part.bounds}]` : `[${part.bounds}=${s}]`;
  }
}

/** Whether an output line contains `[..]`, a number band or either with a seen value (so it must be recorded as literal text). */
export function hasWildcard(line: string): boolean {
  if (!line.includes("..")) return false;
  return parseLine(line).some((p) => p.kind === "any" || p.kind === "number");
}

/** Whether a part carries a seen value (possibly still empty). */
export function carriesSeen(part: Part): part is Extract<Part, { seen?: string }> & { seen: string } {
  return (part.kind === "any" || part.kind === "number") && part.seen !== undefined;
}

/** Whether a section's text has a seen value still empty (`[..=]`, `[LO..HI=]`), to be filled in by --update. */
export function hasEmptySeen(text: string): boolean {
  if (!text.includes("=]")) return false;
  return text.split("\n").some((l) => !l.startsWith("\\") && parseLine(l).some((p) => carriesSeen(p) && p.seen === ""));
}

/** A text can be kept as a SEEN value: no brackets, no line end, not too long. */
export function seenable(text: string): boolean {
  return text.length <= MAX_SEEN && !/[[\]\n\r]/.test(text);
}

/** What a wildcard accepts, in words: "any text", "any number from 40 to 49", "any number from 2 up". */
export function ruleOf(part: Part): string {
  if (part.kind === "any") return "any text";
  if (part.kind === "number") return part.hi === undefined ? `any number from ${part.lo} up` : `any number from ${part.lo} to ${part.hi}`;
  if (part.kind === "placeholder") return `[${part.name}]`;
  return part.text;
}

/** An empty band (LO above HI) in a pattern line, as the text to report, or undefined. */
export function emptyBand(line: string): string | undefined {
  if (!line.includes("..")) return undefined;
  for (const p of parseLine(line)) if (p.kind === "number" && p.hi !== undefined && p.lo > p.hi) return `[${p.bounds}]`;
  return undefined;
}
