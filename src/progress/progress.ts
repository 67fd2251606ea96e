// What this machine remembers of a learner's way through a book: per chapter,
// passed or failed (at which step), kept under $XDG_STATE_HOME/consh-book
// (read and written by progress-file.ts).

import { homedir } from "node:os";
import { join } from "node:path";
import type { Book, Chapter } from "../book/model.js";
import { isFailing, type RunReport } from "../report/results.js";
import type { WriteFn } from "../util/write-all.js";
import { type ChapterProgress, loadProgress, type ProgressData, saveProgress } from "./progress-file.js";

export function progressFile(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_STATE_HOME || join(env.HOME || homedir(), ".local", "state");
  return join(base, "consh-book", "progress.json");
}

export class Progress {
  private readonly data: ProgressData;

  /** Reads `file` (an EnvironmentError, exit 5, when it may not be read); `options.write` is the write(2) saves use (tests). */
  constructor(
    readonly file: string,
    private readonly options: { write?: WriteFn } = {},
  ) {
    this.data = loadProgress(file);
  }

  of(book: Book): Record<string, ChapterProgress> {
    return this.data.books[book.dir] ?? {};
  }

  /**
   * Records the chapters a run reached: passed (with how many steps the learner
   * typed), passed only as a need, failed, or started (skipped steps, quit or
   * interrupted part-way). A chapter that passed before stays passed, and keeps
   * the most steps ever typed. Chapters it did not reach are left as they were.
   */
  record(book: Book, report: RunReport): void {
    const entries = this.data.books[book.dir] ?? {};
    this.data.books[book.dir] = entries;
    const at = new Date().toISOString();
    for (const c of report.chapters) {
      const before = entries[c.id];
      if (c.status === "passed" && c.needed) {
        if (before?.status !== "passed") entries[c.id] = { status: "needed", at };
      } else if (c.status === "passed") {
        const ran = c.steps.filter((s) => s.status !== "skipped").length;
        const typed = c.steps.filter((s) => s.by === "learner").length;
        entries[c.id] = { status: "passed", typed: Math.max(typed, before?.status === "passed" ? (before.typed ?? 0) : 0), ran, at };
      } else if (c.status === "incomplete" && before?.status !== "passed") {
        entries[c.id] = { status: "started", ran: c.stepsTotal - c.notRun.length, total: c.stepsTotal, notRun: c.notRun, at };
      } else if (c.status === "failed") {
        const step = c.steps.find((s) => isFailing(s.status))?.id;
        entries[c.id] = step ? { status: "failed", step, at } : { status: "failed", at };
      }
    }
    saveProgress(this.file, this.data, this.options.write);
  }

  /**
   * The first chapter of the book not passed yet (run --next); for practice, the
   * first one whose steps the learner has not all typed (one only watched, too).
   */
  next(book: Book, practice = false): Chapter | undefined {
    return this.notPassed(book, practice)[0];
  }

  /** The chapters not passed yet (for practice: not all typed by the learner), in book order. */
  notPassed(book: Book, practice = false): Chapter[] {
    const mine = this.of(book);
    const done = (p: ChapterProgress | undefined) => p?.status === "passed" && (!practice || (p.typed ?? 0) >= (p.ran ?? Number.POSITIVE_INFINITY));
    return book.chapters.filter((c) => !done(mine[c.id]));
  }

  reset(book: Book): void {
    delete this.data.books[book.dir];
    saveProgress(this.file, this.data, this.options.write);
  }
}
