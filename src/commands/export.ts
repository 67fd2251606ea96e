// `consh-book export chapter-07`: the chapter (with its needs) as one plain POSIX shell script.

import { findChapter, planRun } from "../book/plan.js";
import { loadBookCached } from "../book/book-cache.js";
import { ExitCode } from "../errors.js";
import { exportScript } from "../report/export-script.js";
import type { Io } from "../util/io.js";
import { resolveBookDir } from "../book/book-dir.js";

export async function exportCommand(ref: string, flags: { book?: string }, io: Io): Promise<number> {
  const book = await loadBookCached(resolveBookDir(flags.book), io.env);
  const chapter = findChapter(book, ref);
  const chapters = planRun(book, [chapter]).map((p) => p.chapter);
  io.out(exportScript(chapters, chapter, { forTerminal: io.stdoutIsTTY }));
  return ExitCode.pass;
}
