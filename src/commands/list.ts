// `consh-book list`: the chapters of the book, with titles and step counts.

import { loadBook } from "../book/load-book.js";
import { stepsOf } from "../book/model.js";
import { ExitCode } from "../errors.js";
import { visible } from "../report/visible.js";
import type { Io } from "./io.js";
import { resolveBookDir } from "./run.js";

export function listCommand(flags: { book?: string }, io: Io): number {
  const book = loadBook(resolveBookDir(flags.book));
  const titles = new Map(book.chapters.map((c) => [c.id, visible(c.title)]));
  const width = Math.max(5, ...[...titles.values()].map((t) => t.length));
  io.out(`${"chapter".padEnd(11)} ${"title".padEnd(width)} steps  needs\n`);
  for (const c of book.chapters) {
    const steps = String(stepsOf(c).length).padStart(5);
    io.out(`${c.id.padEnd(11)} ${titles.get(c.id)!.padEnd(width)} ${steps}  ${c.needs.join(", ") || "-"}\n`);
  }
  return ExitCode.pass;
}
