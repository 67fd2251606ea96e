// Terminal safety: control characters in untrusted text are shown, not executed.
import { describe, expect, it } from "vitest";
import { parseChapter } from "../../src/book/parse-chapter.js";
import type { Chapter, Step } from "../../src/book/model.js";
import { makeColors } from "../../src/util/colors.js";
import { TextReporter } from "../../src/report/text.js";
import { hasControl, visible } from "../../src/util/visible.js";
import type { StepResult } from "../../src/report/results.js";
import { stepResultOf } from "../support/factories.js";

const ESC = "\u001b";
const HOSTILE = `${ESC}]0;owned\u0007${ESC}[2J\rcr\u0000nul\u007fdel\u009bcsi`;
/** Any control character other than tab and newline. */
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe("visible", () => {
  it("escapes C0 and C1 controls and DEL, keeps tab, newline and printable text", () => {
    expect(visible(HOSTILE)).toBe("\\x1b]0;owned\\x07\\x1b[2J\\x0dcr\\x00nul\\x7fdel\\x9bcsi");
    expect(visible("a\tb\nc ü → ✓")).toBe("a\tb\nc ü → ✓");
    expect(hasControl(HOSTILE)).toBe(true);
    expect(hasControl("plain\ttext\n")).toBe(false);
  });
});

function stepOf(source: string): { chapter: Chapter; step: Step } {
  const r = parseChapter("/b/chapters/chapter-01-x.md", "chapter-01-x.md", source);
  if (Array.isArray(r)) throw new Error(r.map((p) => p.what).join("; "));
  return { chapter: r.chapter, step: r.chapter.blocks[0] as Step };
}

describe("the text reporter", () => {
  const { chapter, step } = stepOf(`---\ntitle: "T"\n---\n\nIt shows ${ESC}[2J the screen.\n\n\`\`\`sh {step=s}\necho\n\`\`\`\n`);
  const base: StepResult = stepResultOf({ line: 7, output: `out ${HOSTILE}\n` });
  const run = (results: StepResult[], verbose: boolean) => {
    let text = "";
    const r = new TextReporter({ write: (t) => (text += t), colors: makeColors(true), verbose, author: true });
    r.handle({ type: "chapter-start", chapter: { ...chapter, title: `title ${HOSTILE}` }, needed: false });
    for (const result of results) r.handle({ type: "step-end", chapter, step, result });
    return text;
  };
  /** The text with the reporter's own SGR colour codes taken out. */
  const withoutColours = (t: string) => t.replace(/\u001b\[[0-9;]*m/g, "");

  it("escapes titles, verbose output, diffs, reasons, output tails and prose, and keeps its colours", () => {
    const failure = { outputTail: `tail ${HOSTILE}`, hint: `hint ${HOSTILE}` };
    const reason = `chapter-01 step 's' (terminal host, f:7) failed ${HOSTILE}`;
    const text = run(
      [
        base,
        { ...base, status: "mismatch", diff: `@@ -1 +1 @@\n-old ${HOSTILE}\n+new`, reason: `reason ${HOSTILE}` },
        { ...base, status: "failed", reason, failure },
      ],
      true,
    );
    expect(withoutColours(text)).not.toMatch(RAW);
    expect(text).toContain("\\x1b]0;owned\\x07");
    for (const what of ["title", "out", "-old", "reason", "failed", "tail", "hint"]) expect(text).toContain(`${what} \\x1b]0;owned`);
    expect(text).toContain("It shows \\x1b[2J the screen.");
    expect(text).toContain("\u001b[31m"); // the reporter's own red still works
  });
});
