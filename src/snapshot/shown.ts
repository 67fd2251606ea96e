// A recorded output as a reader sees it (read, the HTML edition, step mode):
// each line with its seen values in place of their wildcards, marked, and one
// note per output saying they are the recording host's and what a run accepts.

import { carriesSeen, parseLine, partText, ruleOf } from "./tokens.js";

/** One recorded output line as a reader sees it: seen values in place of their wildcards. */
export interface ShownLine {
  /** The line with each seen value in place of its wildcard; other wildcards and placeholders as written. */
  text: string;
  /** Where the seen values stand in `text`, and what a run accepts there. */
  seen: { start: number; end: number; value: string; rule: string }[];
}

/**
 * A snapshot body line for display (read, the HTML edition, step mode): a
 * literal line (`\...`) without its backslash, a pattern line with its seen
 * values shown, marked so that the caller can say "on the recording host".
 * A wildcard whose seen value is still empty is shown without its `=`.
 */
export function shownLine(line: string): ShownLine {
  if (line.startsWith("\\")) return { text: line.slice(1), seen: [] };
  if (line === "..." || !line.includes("..")) return { text: line, seen: [] };
  let text = "";
  const seen: ShownLine["seen"] = [];
  for (const p of parseLine(line)) {
    if (carriesSeen(p) && p.seen !== "") {
      seen.push({ start: text.length, end: text.length + p.seen.length, value: p.seen, rule: ruleOf(p) });
      text += p.seen;
    } else if (carriesSeen(p)) text += p.kind === "any" ? "[..]" : `[${p.bounds}]`;
    else text += partText(p);
  }
  return { text, seen };
}

/**
 * The note under an output with seen values, or undefined: each distinct value
 * once, grouped by what a run accepts there, e.g. "on the recording host. A
 * run accepts any text for 01; any number from 40 to 49 for 41 and 42."
 */
export function seenNote(lines: readonly ShownLine[]): string | undefined {
  const byRule = new Map<string, string[]>();
  for (const l of lines) {
    for (const s of l.seen) {
      const values = byRule.get(s.rule) ?? [];
      if (!values.includes(s.value)) values.push(s.value);
      byRule.set(s.rule, values);
    }
  }
  if (byRule.size === 0) return undefined;
  const list = (v: string[]) => (v.length === 1 ? v[0]! : `${v.slice(0, -1).join(", ")} and ${v[v.length - 1]}`);
  return `on the recording host. A run accepts ${[...byRule].map(([rule, values]) => `${rule} for ${list(values)}`).join("; ")}.`;
}
