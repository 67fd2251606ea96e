// What this machine remembers of a learner's way through a book: per chapter,
// passed or failed (at which step), kept under $XDG_STATE_HOME/consh-book.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import type { Book, Chapter } from "../book/model.js";
import type { RunReport } from "../run/results.js";

export interface ChapterProgress {
  /** passed: every step ran and matched; started: the learner skipped steps or quit part-way. */
  status: "passed" | "failed" | "started";
  /** The first failing step, when failed. */
  step?: string;
  /** When started: how many of how many steps ran, and which did not. */
  ran?: number;
  total?: number;
  notRun?: string[];
  at: string;
}

interface ProgressFile {
  version: 1;
  /** Book directory → chapter id → progress. */
  books: Record<string, Record<string, ChapterProgress>>;
}

export function progressFile(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_STATE_HOME || join(env.HOME || homedir(), ".local", "state");
  return join(base, "consh-book", "progress.json");
}

function load(file: string): ProgressFile {
  if (!existsSync(file)) return { version: 1, books: {} };
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as ProgressFile;
    return parsed.version === 1 && typeof parsed.books === "object" ? parsed : { version: 1, books: {} };
  } catch {
    return { version: 1, books: {} }; // unreadable progress is forgotten, not fatal
  }
}

function save(file: string, data: ProgressFile): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
}

export class Progress {
  private readonly data: ProgressFile;

  constructor(readonly file: string) {
    this.data = load(file);
  }

  of(book: Book): Record<string, ChapterProgress> {
    return this.data.books[book.dir] ?? {};
  }

  /**
   * Records the chapters a run reached: passed, failed, or started (the learner
   * skipped steps or quit part-way; a chapter that passed before stays passed).
   * Chapters it did not reach are left as they were.
   */
  record(book: Book, report: RunReport): void {
    const entries = (this.data.books[book.dir] ??= {});
    const at = new Date().toISOString();
    for (const c of report.chapters) {
      if (c.status === "passed") entries[c.id] = { status: "passed", at };
      if (c.status === "incomplete" && entries[c.id]?.status !== "passed") {
        entries[c.id] = { status: "started", ran: c.stepsTotal - c.notRun.length, total: c.stepsTotal, notRun: c.notRun, at };
      }
      if (c.status === "failed") {
        const step = c.steps.find((s) => s.status === "failed" || s.status === "mismatch" || s.status === "timeout")?.id;
        entries[c.id] = step ? { status: "failed", step, at } : { status: "failed", at };
      }
    }
    save(this.file, this.data);
  }

  /** The first chapter of the book that has not passed yet. */
  next(book: Book): Chapter | undefined {
    const mine = this.of(book);
    return book.chapters.find((c) => mine[c.id]?.status !== "passed");
  }

  reset(book: Book): void {
    delete this.data.books[book.dir];
    save(this.file, this.data);
  }
}
