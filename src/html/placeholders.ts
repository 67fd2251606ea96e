// Recorded output as HTML: placeholders and wildcards marked, values of the
// recording host shown and marked as such, and what each one means.

import type { Redaction } from "../book/model.js";
import { seenNote, shownLine } from "../snapshot/shown.js";
import { parseLine, ruleOf, type Part } from "../snapshot/tokens.js";
import { escapeHtml } from "./escape.js";
import type { OutputLine } from "./recorded-output.js";

import { ANY_LINES, meaningOf as meaningOfName } from "../snapshot/meanings.js";

/** What the wildcards and placeholders in some output lines are, for the page's legend. */
export interface Used {
  anyText: boolean;
  anyLines: boolean;
  /** A number band ([LO..HI]) without a seen value. */
  bands: boolean;
  /** A value as the recording host printed it ([..=SEEN], [LO..HI=SEEN]). */
  seen: boolean;
  /** Placeholder name → its meaning. */
  names: Map<string, string>;
}

export function emptyUsed(): Used {
  return { anyText: false, anyLines: false, bands: false, seen: false, names: new Map() };
}

function meaningOf(name: string, redactions: readonly Redaction[]): string {
  return meaningOfName(
    name,
    redactions.some((x) => x.name === name),
  );
}

function partHtml(part: Part, redactions: readonly Redaction[], used: Used): string {
  switch (part.kind) {
    case "text":
      return escapeHtml(part.text);
    case "placeholder": {
      const meaning = meaningOf(part.name, redactions);
      if (!used.names.has(part.name)) used.names.set(part.name, meaning);
      return `<span class="ph" title="${escapeHtml(meaning)}">[${escapeHtml(part.name)}]</span>`;
    }
    default: {
      if (part.seen !== undefined && part.seen !== "") {
        used.seen = true;
        return `<span class="seen" title="${escapeHtml(`on the recording host; a run accepts ${ruleOf(part)}`)}">${escapeHtml(part.seen)}</span>`;
      }
      if (part.kind === "any") used.anyText = true;
      else used.bands = true;
      const written = part.kind === "any" ? "[..]" : `[${part.bounds}]`;
      return `<span class="wild" title="${escapeHtml(ruleOf(part))} within the line">${escapeHtml(written)}</span>`;
    }
  }
}

/** One output line as HTML, noting in `used` which wildcards, seen values and placeholders it has. */
export function outputLineHtml(line: OutputLine, redactions: readonly Redaction[], used: Used): string {
  if (line.literal) return escapeHtml(line.text);
  if (line.text === ANY_LINES) {
    used.anyLines = true;
    return `<span class="wild" title="any number of lines">${ANY_LINES}</span>`;
  }
  return parseLine(line.text)
    .map((p) => partHtml(p, redactions, used))
    .join("");
}

/** The note under an output that shows values of the recording host, or "". */
export function seenNoteHtml(lines: readonly OutputLine[]): string {
  const note = seenNote(lines.map((l) => shownLine(l.literal ? `\\${l.text}` : l.text)));
  return note ? `<div class="seen-note">${escapeHtml(`Marked values: ${note}`)}</div>` : "";
}

/** The legend: each wildcard and placeholder of the page, explained once. */
export function legendHtml(used: Used): string {
  const items: string[] = [];
  if (used.anyText) items.push(`<dt><span class="wild">[..]</span></dt><dd>any text within the line</dd>`);
  if (used.anyLines) items.push(`<dt><span class="wild">...</span></dt><dd>a line of its own: any number of lines</dd>`);
  if (used.bands) items.push(`<dt><span class="wild">[40..49]</span></dt><dd>any whole number from 40 to 49 (<code>[2..]</code>: from 2 up)</dd>`);
  if (used.seen)
    items.push(
      `<dt><span class="seen">41</span></dt><dd>a value as it was on the recording host; your run may show another, which is not compared: the note under the output says what a run accepts there</dd>`,
    );
  for (const [name, meaning] of [...used.names].sort(([a], [b]) => a.localeCompare(b))) {
    items.push(`<dt><span class="ph">[${escapeHtml(name)}]</span></dt><dd>${escapeHtml(meaning)}</dd>`);
  }
  if (items.length === 0) return "";
  return `<section class="legend" aria-label="How to read the outputs"><h2 id="reading-the-outputs">Reading the outputs</h2><p>The outputs are the recorded snapshots: each is checked against a real run. Values that differ between runs are shown as placeholders, and a few wildcards match what varies:</p><dl>${items.join("")}</dl></section>`;
}
