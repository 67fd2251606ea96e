// `consh-book export chapter-07`: the chapter (with its needs) as one plain POSIX shell script.

import { findChapter, loadBook, planRun } from "../book/load-book.js";
import { ExitCode } from "../errors.js";
import { exportScript } from "../report/export-script.js";
import type { Io } from "./io.js";
import { resolveBookDir } from "./book-dir.js";

export function exportCommand(ref: string, flags: { book?: string }, io: Io): number {
  const book = loadBook(resolveBookDir(flags.book));
  const chapter = findChapter(book, ref);
  const chapters = planRun(book, [chapter]).map((p) => p.chapter);
  io.out(exportScript(chapters, chapter));
  return ExitCode.pass;
}
