// The text report says what really happened to a chapter the learner did not finish.
import { describe, expect, it } from "vitest";
import type { Chapter } from "../../src/book/model.js";
import { makeColors } from "../../src/util/colors.js";
import { TextReporter } from "../../src/report/text.js";
import type { ChapterResult, RunReport } from "../../src/report/results.js";
import { chapterResultOf } from "../support/factories.js";

const chapter = { id: "chapter-03", title: "Namespaces" } as Chapter;
const result = (status: ChapterResult["status"], notRun: string[]): ChapterResult =>
  chapterResultOf({ id: "chapter-03", title: "Namespaces", status, durationMs: 5, notRun });
const report = (c: ChapterResult, interrupted: RunReport["interrupted"]): RunReport => ({
  runId: "abc123",
  workDir: "/w",
  startedAt: "",
  durationMs: 9,
  chapters: [c],
  passed: false,
  interrupted,
  teardown: undefined,
  maxRssKb: 1,
});

function render(c: ChapterResult, interrupted: RunReport["interrupted"]): string {
  let out = "";
  const r = new TextReporter({ write: (t) => (out += t), colors: makeColors(false), verbose: false });
  r.handle({ type: "chapter-end", chapter, result: c });
  r.summary(report(c, interrupted));
  return out;
}

describe("the text report of an unfinished chapter", () => {
  it("after a quit: k of n steps ran, which did not, and where the learner quit", () => {
    const out = render(result("incomplete", ["uts", "ns-links", "ns-compare"]), "quit");
    expect(out).toMatch(/chapter-03 not finished: 1 of 4 steps ran; not run: uts, ns-links, ns-compare/);
    expect(out).toMatch(/stopped: you quit after 1 of 4 steps of chapter-03/);
    expect(out).not.toMatch(/passed/);
  });

  it("with a skipped step: nothing failed, but not every step ran", () => {
    const out = render(result("incomplete", ["uts"]), undefined);
    expect(out).toMatch(/chapter-03 not finished: 3 of 4 steps ran; not run: uts/);
    expect(out).toMatch(/nothing failed, but not every step ran \(chapter-03: 3 of 4\)/);
    expect(out).not.toMatch(/all passed|failed after/);
  });
});
