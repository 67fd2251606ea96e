// What this machine remembers of a learner's way through a book: per chapter,
// passed or failed (at which step), kept under $XDG_STATE_HOME/consh-book.

import { closeSync, constants, fstatSync, mkdirSync, openSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import type { Book, Chapter } from "../book/model.js";
import { EnvironmentError } from "../errors.js";
import { writableDirProblem, writeFileAtomic } from "../host/safe-write.js";
import { ancestorProblem, currentUid } from "../host/trust.js";
import { isFailing, type RunReport } from "../report/results.js";

interface ChapterProgress {
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

const HINT = (file: string) => `remove or rename ${file} (consh-book keeps its progress there), or set XDG_STATE_HOME to a directory of yours`;

function notAFile(file: string, what: string): EnvironmentError {
  return new EnvironmentError(`the progress file ${file} is ${what}, not a regular file`, { hint: HINT(file) });
}

function empty(): ProgressFile {
  return { version: 1, books: {} };
}

function readText(file: string): string | undefined {
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw notAFile(file, "a directory");
    if (!st.isFile()) throw notAFile(file, "something else (a FIFO, socket or device)");
  } catch (err) {
    if (err instanceof EnvironmentError) throw err;
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new EnvironmentError(`cannot read the progress file ${file}: ${(err as Error).message}`, { cause: err, hint: HINT(file) });
  }
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (err) {
    throw new EnvironmentError(`cannot read the progress file ${file}: ${(err as Error).message}`, { cause: err, hint: HINT(file) });
  }
  try {
    if (!fstatSync(fd).isFile()) throw notAFile(file, "no longer a regular file");
    return readFileSync(fd, "utf8");
  } finally {
    closeSync(fd);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Keeps only entries of the expected shape: a hand-edited or damaged file is partly forgotten, never a crash. */
function sane(parsed: unknown): ProgressFile {
  if (!isObject(parsed) || parsed.version !== 1 || !isObject(parsed.books)) return empty();
  const books: ProgressFile["books"] = {};
  for (const [dir, chapters] of Object.entries(parsed.books)) {
    if (!isObject(chapters)) continue;
    const kept: Record<string, ChapterProgress> = {};
    for (const [id, p] of Object.entries(chapters)) {
      // Kept whole (later versions may add fields) when its core fields have their types.
      if (!isObject(p) || typeof p.status !== "string" || typeof p.at !== "string" || (p.step !== undefined && typeof p.step !== "string")) continue;
      kept[id] = p as unknown as ChapterProgress;
    }
    books[dir] = kept;
  }
  return { version: 1, books };
}

function load(file: string): ProgressFile {
  const text = readText(file);
  if (text === undefined) return empty();
  try {
    return sane(JSON.parse(text));
  } catch {
    return empty(); // progress that is not JSON is forgotten, not fatal
  }
}

/** Saved only into a directory that is the user's alone: root run with a learner's HOME must not write there. */
function save(file: string, data: ProgressFile): void {
  const dir = dirname(file);
  const uid = currentUid();
  const above = ancestorProblem(dir, uid, { allowMissing: true });
  const unsafe = (what: string) =>
    new EnvironmentError(`will not write the progress file ${file}: ${what}, so another user could redirect the write`, {
      hint: `set XDG_STATE_HOME to a directory only you (uid ${uid}) can write to, e.g. XDG_STATE_HOME=${uid === 0 ? "/root" : "$HOME"}/.local/state`,
    });
  if (above) throw unsafe(`${above.path} ${above.what}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new EnvironmentError(`cannot write the progress file ${file}: ${(err as Error).message}`, { cause: err, hint: HINT(file) });
  }
  const problem = writableDirProblem(dir, uid);
  if (problem) throw unsafe(problem);
  try {
    writeFileAtomic(file, `${JSON.stringify(data, null, 2)}\n`);
  } catch (err) {
    throw new EnvironmentError(`cannot write the progress file ${file}: ${(err as Error).message}`, { cause: err, hint: HINT(file) });
  }
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
    const entries = this.data.books[book.dir] ?? {};
    this.data.books[book.dir] = entries;
    const at = new Date().toISOString();
    for (const c of report.chapters) {
      if (c.status === "passed") entries[c.id] = { status: "passed", at };
      if (c.status === "incomplete" && entries[c.id]?.status !== "passed") {
        entries[c.id] = { status: "started", ran: c.stepsTotal - c.notRun.length, total: c.stepsTotal, notRun: c.notRun, at };
      }
      if (c.status === "failed") {
        const step = c.steps.find((s) => isFailing(s.status))?.id;
        entries[c.id] = step ? { status: "failed", step, at } : { status: "failed", at };
      }
    }
    save(this.file, this.data);
  }

  /** The first chapter of the book that has not passed yet. */
  next(book: Book): Chapter | undefined {
    return this.notPassed(book)[0];
  }

  /** The chapters of the book that have not passed yet, in book order. */
  notPassed(book: Book): Chapter[] {
    const mine = this.of(book);
    return book.chapters.filter((c) => mine[c.id]?.status !== "passed");
  }

  reset(book: Book): void {
    delete this.data.books[book.dir];
    save(this.file, this.data);
  }
}
