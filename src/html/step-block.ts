// One step (or tangled file) of a chapter page: its command labelled with its
// terminal, and the recorded output under it.

import type { Redaction, Step, TangleFile } from "../book/model.js";
import { escapeHtml } from "./escape.js";
import { outputLineHtml, seenNoteHtml, type Used } from "./placeholders.js";
import type { RecordedOutput } from "./recorded-output.js";

/** The CSS class of a terminal's label: terminals are numbered in book order (host first). */
export function terminalClass(terminals: readonly string[], name: string): string {
  const i = terminals.indexOf(name);
  return `term term-${i < 0 ? 0 : i % 6}`;
}

function attributes(step: Step): string[] {
  const parts: string[] = [];
  if (step.background) parts.push("runs in the background");
  if (step.exit === "any") parts.push("any exit status");
  else if (step.exit !== 0) parts.push(`expected exit ${step.exit}`);
  if (step.timeoutSeconds !== 30) parts.push(`timeout ${step.timeoutSeconds} s`);
  if (step.requires.length > 0) parts.push(`only where the host has ${step.requires.join(", ")}`);
  return parts;
}

function outputHtml(step: Step, recorded: RecordedOutput | undefined, redactions: readonly Redaction[], used: Used): string {
  if (step.background) return `<p class="out-none">Runs in the background: its output is not recorded.</p>`;
  if (!recorded) return `<p class="out-none">No recorded output yet: this step has no snapshot section.</p>`;
  const status = `exit ${recorded.exit}`;
  const head = `<div class="out-head">recorded output <span class="dim">· ${escapeHtml(status)}</span></div>`;
  if (recorded.lines.length === 0) return `<div class="out">${head}<p class="out-none">(no output)</p></div>`;
  const body = recorded.lines.map((l) => outputLineHtml(l, redactions, used)).join("\n");
  const tail = (recorded.noFinalNewline ? `<div class="dim small">(no newline at the end of the output)</div>` : "") + seenNoteHtml(recorded.lines);
  return `<div class="out">${head}<pre class="output"><code>${body}</code></pre>${tail}</div>`;
}

export function stepHtml(step: Step, terminals: readonly string[], recorded: RecordedOutput | undefined, used: Used): string {
  const attrs = attributes(step);
  const id = `step-${step.id}`;
  return [
    `<section class="step" id="${escapeHtml(id)}" aria-label="step ${escapeHtml(step.id)}">`,
    `<div class="step-head"><span class="${terminalClass(terminals, step.terminal)}">${escapeHtml(step.terminal)}</span>`,
    `<a class="step-id" href="#${escapeHtml(id)}">step ${escapeHtml(step.id)}</a>`,
    attrs.length ? `<span class="attrs">${escapeHtml(attrs.join(" · "))}</span>` : "",
    `</div>`,
    `<pre class="cmd"><code>${escapeHtml(step.text.replace(/\n$/, ""))}</code></pre>`,
    outputHtml(step, recorded, step.redactions, used),
    `</section>\n`,
  ].join("");
}

export function fileHtml(file: TangleFile): string {
  return [
    `<section class="tangle"><div class="step-head"><span class="file-label">file</span> <code>${escapeHtml(file.path)}</code>`,
    `<span class="attrs">${file.executable ? "written as an executable script" : "written"} under the run's work directory; nothing runs</span></div>`,
    `<pre class="cmd file"><code>${escapeHtml(file.text.replace(/\n$/, ""))}</code></pre></section>\n`,
  ].join("");
}
