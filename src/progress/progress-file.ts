// progress.json on disk: read only when it is a small regular file of this user in
// a directory no one else can change (never through a link, never another user's
// file, never a huge one); written whole (temp file, rename) into such a directory
// only. A file that cannot be read as progress is an error (exit 5), never
// forgotten in silence and overwritten.

import { lstatSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { EnvironmentError } from "../errors.js";
import { writableDirProblem, writeFileAtomic } from "../util/safe-write.js";
import { ancestorProblem, currentUid, readOwnedFile } from "../util/trust.js";
import type { WriteFn } from "../util/write-all.js";

export interface ChapterProgress {
  /**
   * passed: every step ran and matched, in a run that asked for the chapter;
   * needed: it passed only as another chapter's need (not by you);
   * started: the learner skipped steps or stopped part-way.
   */
  status: "passed" | "failed" | "started" | "needed";
  /** When passed: how many of its steps the learner typed (practice), and of how many that ran. */
  typed?: number;
  ran?: number;
  /** The first failing step, when failed. */
  step?: string;
  /** When started: how many steps ran (above), of how many, and which did not. */
  total?: number;
  notRun?: string[];
  at: string;
}

export interface ProgressData {
  version: 1;
  /** Book directory → chapter id → progress. */
  books: Record<string, Record<string, ChapterProgress>>;
}

/** Far more than any learner's progress (a few hundred bytes a book): a larger file is not read at all. */
const MAX_BYTES = 4 << 20;

const HINT = (file: string) => `remove or rename ${file} (consh-book keeps its progress there), or set XDG_STATE_HOME to a directory of yours`;

/** Where to keep progress instead; as root, why root will not write into another user's home (sudo -E keeps HOME). */
const safeDirHint = (uid: number) =>
  uid === 0
    ? "consh-book runs as root here, and root does not write where another user could redirect the write (sudo -E keeps your HOME): run consh-book as yourself (the book uses sudo where it must), or set XDG_STATE_HOME=/root/.local/state"
    : `set XDG_STATE_HOME to a directory only you (uid ${uid}) can write to, e.g. XDG_STATE_HOME=$HOME/.local/state`;

/** The progress directory cannot be made (HOME=/ for an ordinary user, a file in its way). */
const cannotMakeHint = (dir: string) => `consh-book keeps its progress in ${dir}, which cannot be made: set XDG_STATE_HOME (or HOME) to a directory of yours`;

function emptyProgress(): ProgressData {
  return { version: 1, books: {} };
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Keeps only entries of the expected shape: a hand-edited entry is forgotten, never a crash. */
function sane(parsed: unknown): ProgressData {
  if (!isObject(parsed) || parsed.version !== 1 || !isObject(parsed.books)) return emptyProgress();
  const books: ProgressData["books"] = {};
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

/** The text of the progress file, undefined when there is none; an EnvironmentError when it may not be read. */
function readProgressText(file: string): string | undefined {
  try {
    lstatSync(file);
  } catch (err) {
    if (["ENOENT", "ENOTDIR"].includes((err as NodeJS.ErrnoException).code ?? "")) return undefined; // no progress yet (a file in the way of its directory is said when saving)
    throw new EnvironmentError(`cannot read the progress file ${file}: ${(err as Error).message}`, { cause: err, hint: HINT(file) });
  }
  const uid = currentUid();
  // Where another user could have put it (root with a learner's HOME, `sudo -E`): not read at all.
  const unsafe = writableDirProblem(dirname(file), uid);
  if (unsafe) {
    throw new EnvironmentError(`will not read the progress file ${file}: ${unsafe}, so another user could have put anything there`, {
      hint: safeDirHint(uid),
    });
  }
  const read = readOwnedFile(file, uid, MAX_BYTES);
  if ("problem" in read) {
    const shown = read.problem.replace(/^is not a regular file$/, "is not a regular file (a FIFO, socket or device?)");
    throw new EnvironmentError(`the progress file ${file} ${shown}`, { hint: HINT(file) });
  }
  return read.text;
}

export function loadProgress(file: string): ProgressData {
  const text = readProgressText(file);
  if (text === undefined) return emptyProgress();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    // Cut short (a full disk, a crash) or edited by hand: said, and kept for the learner to mend or move aside.
    throw new EnvironmentError(`the progress file ${file} is damaged (${text.length} bytes that are not valid JSON: ${(err as Error).message})`, {
      hint: `nothing was changed: mend it, or remove or rename it to start afresh (mv ${file} ${file}.damaged)`,
    });
  }
  return sane(parsed);
}

/** Saved only into a directory that is the user's alone: root run with a learner's HOME must not write there. */
export function saveProgress(file: string, data: ProgressData, write?: WriteFn): void {
  const dir = dirname(file);
  const uid = currentUid();
  const above = ancestorProblem(dir, uid, { allowMissing: true });
  const unsafe = (what: string) =>
    new EnvironmentError(`will not write the progress file ${file}: ${what}, so another user could redirect the write`, { hint: safeDirHint(uid) });
  if (above?.what === "is not a directory") {
    throw new EnvironmentError(`cannot write the progress file ${file}: ${above.path} is not a directory`, { hint: cannotMakeHint(dir) });
  }
  if (above) throw unsafe(`${above.path} ${above.what}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new EnvironmentError(`cannot write the progress file ${file}: ${(err as Error).message}`, { cause: err, hint: cannotMakeHint(dir) });
  }
  const problem = writableDirProblem(dir, uid);
  if (problem) throw unsafe(problem);
  try {
    writeFileAtomic(file, `${JSON.stringify(data, null, 2)}\n`, { write });
  } catch (err) {
    throw new EnvironmentError(`cannot write the progress file ${file}: ${(err as Error).message}`, {
      cause: err,
      hint: `${HINT(file)}; the progress recorded before this run is left as it was`,
    });
  }
}
