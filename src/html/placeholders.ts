// Recorded output as HTML: placeholders and wildcards marked, and what each one means.

import type { Redaction } from "../book/model.js";
import { escapeHtml } from "./escape.js";
import type { OutputLine } from "./recorded-output.js";

import { ANY_LINES, ANY_TEXT, meaningOf as meaningOfName } from "../snapshot/meanings.js";

const TOKEN = /\[\.\.\]|\[[A-Z][A-Z0-9_]*\]/g;

/** What the wildcards and placeholders in some output lines are, for the page's legend. */
export interface Used {
  anyText: boolean;
  anyLines: boolean;
  /** Placeholder name → its meaning. */
  names: Map<string, string>;
}

export function emptyUsed(): Used {
  return { anyText: false, anyLines: false, names: new Map() };
}

function meaningOf(name: string, redactions: readonly Redaction[]): string {
  return meaningOfName(
    name,
    redactions.some((x) => x.name === name),
  );
}

/** One output line as HTML, noting in `used` which wildcards and placeholders it has. */
export function outputLineHtml(line: OutputLine, redactions: readonly Redaction[], used: Used): string {
  if (line.literal) return escapeHtml(line.text);
  if (line.text === ANY_LINES) {
    used.anyLines = true;
    return `<span class="wild" title="any number of lines">${ANY_LINES}</span>`;
  }
  let out = "";
  let at = 0;
  for (const m of line.text.matchAll(TOKEN)) {
    out += escapeHtml(line.text.slice(at, m.index));
    if (m[0] === ANY_TEXT) {
      used.anyText = true;
      out += `<span class="wild" title="any text within the line">[..]</span>`;
    } else {
      const name = m[0].slice(1, -1);
      const meaning = meaningOf(name, redactions);
      if (!used.names.has(name)) used.names.set(name, meaning);
      out += `<span class="ph" title="${escapeHtml(meaning)}">${escapeHtml(m[0])}</span>`;
    }
    at = m.index + m[0].length;
  }
  return out + escapeHtml(line.text.slice(at));
}

/** The legend: each wildcard and placeholder of the page, explained once. */
export function legendHtml(used: Used): string {
  const items: string[] = [];
  if (used.anyText) items.push(`<dt><span class="wild">[..]</span></dt><dd>any text within the line</dd>`);
  if (used.anyLines) items.push(`<dt><span class="wild">...</span></dt><dd>a line of its own: any number of lines</dd>`);
  for (const [name, meaning] of [...used.names].sort(([a], [b]) => a.localeCompare(b))) {
    items.push(`<dt><span class="ph">[${escapeHtml(name)}]</span></dt><dd>${escapeHtml(meaning)}</dd>`);
  }
  if (items.length === 0) return "";
  return `<section class="legend" aria-label="How to read the outputs"><h2 id="reading-the-outputs">Reading the outputs</h2><p>The outputs are the recorded snapshots: each is checked against a real run. Values that differ between runs are shown as placeholders, and a few wildcards match what varies:</p><dl>${items.join("")}</dl></section>`;
}
