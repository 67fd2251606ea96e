// `consh-book list`: the chapters of the book, with titles and step counts (and how
// many of the steps run only on some hosts: requires=).

import { loadBookCached } from "../book/book-cache.js";
import { type Chapter, stepsOf } from "../book/model.js";
import { ExitCode } from "../errors.js";
import { visible } from "../util/visible.js";
import type { Io } from "../util/io.js";
import { resolveBookDir } from "../book/book-dir.js";

/** "7", or "7 (2 only on some hosts)" when steps require capabilities a host may lack. */
function stepCount(c: Chapter): string {
  const steps = stepsOf(c);
  const some = steps.filter((s) => s.requires.length > 0).length;
  return some > 0 ? `${steps.length} (${some} only on some hosts)` : String(steps.length);
}

export async function listCommand(flags: { book?: string }, io: Io): Promise<number> {
  const book = await loadBookCached(resolveBookDir(flags.book), io.env);
  const titles = new Map(book.chapters.map((c) => [c.id, visible(c.title)]));
  const width = Math.max(5, ...[...titles.values()].map((t) => t.length));
  const counts = new Map(book.chapters.map((c) => [c.id, stepCount(c)]));
  const countWidth = Math.max(5, ...[...counts.values()].map((t) => t.length));
  io.out(`${"chapter".padEnd(11)} ${"title".padEnd(width)} ${"steps".padEnd(countWidth)}  needs\n`);
  for (const c of book.chapters) {
    io.out(`${c.id.padEnd(11)} ${titles.get(c.id)!.padEnd(width)} ${counts.get(c.id)!.padEnd(countWidth)}  ${c.needs.join(", ") || "-"}\n`);
  }
  return ExitCode.pass;
}
