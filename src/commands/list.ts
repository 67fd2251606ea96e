// `consh-book list`: the chapters of the book, with titles and step counts.

import { loadBookCached } from "../book/book-cache.js";
import { stepsOf } from "../book/model.js";
import { ExitCode } from "../errors.js";
import { visible } from "../util/visible.js";
import type { Io } from "../util/io.js";
import { resolveBookDir } from "../book/book-dir.js";

export async function listCommand(flags: { book?: string }, io: Io): Promise<number> {
  const book = await loadBookCached(resolveBookDir(flags.book), io.env);
  const titles = new Map(book.chapters.map((c) => [c.id, visible(c.title)]));
  const width = Math.max(5, ...[...titles.values()].map((t) => t.length));
  io.out(`${"chapter".padEnd(11)} ${"title".padEnd(width)} steps  needs\n`);
  for (const c of book.chapters) {
    const steps = String(stepsOf(c).length).padStart(5);
    io.out(`${c.id.padEnd(11)} ${titles.get(c.id)!.padEnd(width)} ${steps}  ${c.needs.join(", ") || "-"}\n`);
  }
  return ExitCode.pass;
}
