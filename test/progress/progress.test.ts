import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Book, Chapter } from "../../src/book/model.js";
import { Progress } from "../../src/progress/progress.js";
import type { ChapterResult, ChapterStatus, RunReport } from "../../src/report/results.js";
import { chapterOf, chapterResultOf, stepResultOf } from "../support/factories.js";

const chapter = (n: number): Chapter => chapterOf({ id: `chapter-0${n}`, number: n, title: `C${n}`, file: `/b/chapters/chapter-0${n}-x.md`, bodyLine: 3 });
const book: Book = { dir: "/b", chapters: [chapter(1), chapter(2), chapter(3)] };
const result = (n: number, status: ChapterStatus, notRun: string[] = []): ChapterResult =>
  chapterResultOf({ id: `chapter-0${n}`, title: `C${n}`, status, notRun });
const report = (chapters: ChapterResult[]): RunReport => ({
  runId: "abc123",
  workDir: "/w",
  startedAt: "",
  durationMs: 1,
  chapters,
  passed: false,
  interrupted: undefined,
  teardown: undefined,
  maxRssKb: 1,
});

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const fresh = () => {
  dir = mkdtempSync(join(tmpdir(), "consh-progress-unit-"));
  return join(dir, "progress.json");
};

describe("Progress", () => {
  it("records a chapter the learner did not finish as started, k of n, with the steps that did not run", () => {
    const file = fresh();
    new Progress(file).record(book, report([result(1, "passed"), result(2, "incomplete", ["uts", "ns-links", "ns-compare"])]));
    const p = new Progress(file); // read back from the file
    expect(p.of(book)["chapter-01"]?.status).toBe("passed");
    expect(p.of(book)["chapter-02"]).toMatchObject({ status: "started", ran: 1, total: 4, notRun: ["uts", "ns-links", "ns-compare"] });
  });

  it("offers a started chapter again as the next one", () => {
    const file = fresh();
    new Progress(file).record(book, report([result(1, "passed"), result(2, "incomplete", ["uts"])]));
    expect(new Progress(file).next(book)?.id).toBe("chapter-02");
  });

  it("keeps a chapter that passed before as passed when a later run of it is not finished", () => {
    const file = fresh();
    new Progress(file).record(book, report([result(1, "passed")]));
    new Progress(file).record(book, report([result(1, "incomplete", ["a"])]));
    expect(new Progress(file).of(book)["chapter-01"]?.status).toBe("passed");
    expect(new Progress(file).next(book)?.id).toBe("chapter-02");
  });

  it("a finished run of a started chapter makes it passed", () => {
    const file = fresh();
    new Progress(file).record(book, report([result(1, "incomplete", ["a"])]));
    new Progress(file).record(book, report([result(1, "passed")]));
    expect(new Progress(file).of(book)["chapter-01"]).toEqual({ status: "passed", typed: 0, ran: 0, at: expect.any(String) });
  });
});

describe("Progress, honestly", () => {
  const typedSteps = (n: number, typed: number) =>
    Array.from({ length: n }, (_, i) => ({ ...stepResultOf({ id: `s${i}` }), ...(i < typed ? { by: "learner" as const } : { by: "book" as const }) }));

  it("a chapter that passed only as another chapter's need is not passed by you, and --next offers it", () => {
    const file = fresh();
    new Progress(file).record(book, report([{ ...result(1, "passed"), needed: true }]));
    const p = new Progress(file);
    expect(p.of(book)["chapter-01"]?.status).toBe("needed");
    expect(p.next(book)?.id).toBe("chapter-01");
  });

  it("a chapter you passed stays passed when a later run needs it, is interrupted in, or you quit it", () => {
    const file = fresh();
    new Progress(file).record(book, report([result(1, "passed")]));
    new Progress(file).record(book, report([{ ...result(1, "passed"), needed: true }]));
    new Progress(file).record(book, report([result(1, "incomplete", ["a"])]));
    expect(new Progress(file).of(book)["chapter-01"]?.status).toBe("passed");
  });

  it("counts the steps you typed, keeps the most, and practice --next offers a chapter only watched", () => {
    const file = fresh();
    new Progress(file).record(
      book,
      report([
        { ...result(1, "passed"), steps: typedSteps(4, 3) },
        { ...result(2, "passed"), steps: typedSteps(2, 0) },
      ]),
    );
    new Progress(file).record(book, report([{ ...result(1, "passed"), steps: typedSteps(4, 1) }]));
    const p = new Progress(file);
    expect(p.of(book)["chapter-01"]).toMatchObject({ status: "passed", typed: 3, ran: 4 });
    expect(p.next(book)?.id).not.toBe("chapter-01");
    expect(p.next(book, true)?.id).toBe("chapter-01"); // 3 of 4 typed
    new Progress(file).record(book, report([{ ...result(1, "passed"), steps: typedSteps(4, 4) }]));
    expect(new Progress(file).next(book, true)?.id).toBe("chapter-02"); // passed, but watched
  });
});
