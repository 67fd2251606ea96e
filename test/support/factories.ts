// Shared test factories for the model's plain records: a chapter, a step, a step
// result and a chapter result with every field set, so a test names only the
// fields it is about.
import type { Chapter, Step } from "../../src/book/model.js";
import type { ChapterResult, StepResult } from "../../src/report/results.js";

export function chapterOf(over: Partial<Chapter> = {}): Chapter {
  return { id: "chapter-01", number: 1, slug: "x", title: "X", needs: [], file: "/x.md", blocks: [], prose: [], source: "", bodyLine: 1, ...over };
}

export function stepOf(over: Partial<Step> = {}): Step {
  return {
    kind: "step",
    id: "s",
    lang: "sh",
    terminal: "host",
    timeoutSeconds: 30,
    exit: 0,
    background: false,
    requires: [],
    redactions: [],
    text: "",
    line: 1,
    lead: "",
    intro: "",
    hints: [],
    ...over,
  };
}

export function stepResultOf(over: Partial<StepResult> = {}): StepResult {
  return {
    id: "s",
    terminal: "host",
    line: 1,
    status: "passed",
    durationMs: 1,
    exitCode: 0,
    expectedExit: 0,
    output: "",
    diff: undefined,
    reason: undefined,
    failure: undefined,
    ...over,
  };
}

export function chapterResultOf(over: Partial<ChapterResult> = {}): ChapterResult {
  return {
    id: "chapter-01",
    title: "X",
    file: "",
    needed: false,
    status: "passed",
    steps: [],
    obsolete: [],
    obsoleteFails: false,
    snapshotFile: "",
    snapshotSaved: false,
    durationMs: 1,
    stepsTotal: 4,
    notRun: [],
    ...over,
  };
}
