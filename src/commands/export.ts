// `consh-book export chapter-07 [more...] | --all`: the chapters (with their needs) as one plain POSIX shell script that runs them.

import { findChapter, planRun } from "../book/plan.js";
import { loadBookCached } from "../book/book-cache.js";
import { ExitCode, UsageError } from "../errors.js";
import { exportScript } from "../report/export-script.js";
import type { Io } from "../util/io.js";
import { resolveBookDir } from "../book/book-dir.js";

export async function exportCommand(refs: string[], flags: { book?: string; all?: boolean }, io: Io): Promise<number> {
  if (flags.all && refs.length > 0) throw new UsageError("give chapters or --all, not both");
  if (!flags.all && refs.length === 0) throw new UsageError("name the chapters to export, or pass --all", "e.g. consh-book export chapter-07 > chapter-07.sh");
  const book = await loadBookCached(resolveBookDir(flags.book), io.env);
  const requested = flags.all ? book.chapters : refs.map((r) => findChapter(book, r));
  const plan = planRun(book, requested);
  io.out(exportScript(plan, { forTerminal: io.stdoutIsTTY }));
  return ExitCode.pass;
}
