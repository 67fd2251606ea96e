// The --junit report: one testsuite per chapter, one testcase per step.

import { isFailing, type RunReport, type StepResult } from "./results.js";

// Characters XML 1.0 forbids (C0 controls but tab, newline and return; lone
// surrogates; U+FFFE, U+FFFF) are shown as \u{HEX}, so the report stays
// well-formed for every output. A carriage return is written as &#13; (a parser
// would turn a raw one into a newline); in attributes, newline and tab too.
const FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function xmlText(s: string): string {
  return s
    .replace(FORBIDDEN, (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase()}}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\r/g, "&#13;");
}

function xml(s: string): string {
  return xmlText(s).replace(/"/g, "&quot;").replace(/\n/g, "&#10;").replace(/\t/g, "&#9;");
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function testcase(chapter: string, file: string, s: StepResult): string {
  const head = `    <testcase classname="${xml(chapter)}" name="${xml(`${s.id} (terminal ${s.terminal})`)}" time="${seconds(s.durationMs)}" file="${xml(file)}" line="${s.line}">`;
  const body: string[] = [];
  if (s.status === "skipped") body.push(`      <skipped message="${xml(s.reason ?? "skipped")}"/>`);
  if (isFailing(s.status)) {
    const detail = s.diff ?? s.output;
    body.push(`      <failure type="${s.status}" message="${xml(s.reason ?? s.status)}">${xmlText(detail)}</failure>`);
  }
  if (s.output !== "") body.push(`      <system-out>${xmlText(s.output)}</system-out>`);
  return [head, ...body, "    </testcase>"].join("\n");
}

export function junitReport(report: RunReport): string {
  const count = (pred: (s: StepResult) => boolean) => report.chapters.reduce((n, c) => n + c.steps.filter(pred).length, 0);
  const suites = report.chapters.map((c) => {
    const f = c.steps.filter((s) => isFailing(s.status)).length;
    const sk = c.steps.filter((s) => s.status === "skipped").length;
    const attrs = `name="${xml(`${c.id}: ${c.title}`)}" tests="${c.steps.length}" failures="${f}" errors="0" skipped="${sk}" time="${seconds(c.durationMs)}" file="${xml(c.file)}"`;
    const cases = c.steps.map((s) => testcase(c.id, c.file, s));
    if (c.obsoleteFails) {
      cases.push(
        `    <testcase classname="${xml(c.id)}" name="obsolete snapshot sections" time="0">\n      <failure type="obsolete" message="${xml(`obsolete sections in ${c.snapshotFile}: ${c.obsolete.join(", ")}`)}"/>\n    </testcase>`,
      );
    }
    return `  <testsuite ${attrs}>\n${cases.join("\n")}\n  </testsuite>`;
  });
  const head = `<testsuites name="consh-book" tests="${count(() => true)}" failures="${count((s) => isFailing(s.status))}" skipped="${count((s) => s.status === "skipped")}" time="${seconds(report.durationMs)}">`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${head}\n${suites.join("\n")}\n</testsuites>\n`;
}
