// `consh-book progress [--reset]`: the chapters as passed, failed (at which step) or not yet run.

import { loadBookCached } from "../book/book-cache.js";
import { ExitCode } from "../errors.js";
import { Progress, progressFile } from "../progress/progress.js";
import { makeColors, useColor } from "../util/colors.js";
import { visible } from "../util/visible.js";
import type { Io } from "../util/io.js";
import { resolveBookDir } from "../book/book-dir.js";

export async function progressCommand(flags: { book?: string; reset?: boolean }, io: Io): Promise<number> {
  const book = await loadBookCached(resolveBookDir(flags.book), io.env);
  const progress = new Progress(progressFile(io.env));
  if (flags.reset) {
    progress.reset(book);
    io.out("progress forgotten: every chapter is 'not yet run' again\n");
    return ExitCode.pass;
  }
  const c = makeColors(useColor({ isTTY: io.stdoutIsTTY }, io.env));
  const mine = progress.of(book);
  let passed = 0;
  for (const ch of book.chapters) {
    const p = mine[ch.id];
    const day = p ? ` ${c.dim(`(${visible(p.at.slice(0, 10))})`)}` : "";
    let state: string;
    if (p?.status === "passed") {
      passed++;
      const typed = p.typed ?? 0;
      state = `${c.green("passed")}${typed > 0 ? `, practised: ${typed === p.ran ? "every step" : `${typed} of ${p.ran ?? "?"} steps`} typed by you` : c.dim(", watched (practise it: consh-book practice)")}`;
    } else if (p?.status === "needed") {
      state = c.dim("ran only as a need of a later chapter (not by you yet)");
    } else if (p?.status === "started") {
      state = c.yellow(`started, ${p.ran ?? 0} of ${p.total ?? "?"} steps${p.notRun?.length ? ` (not run: ${p.notRun.join(", ")})` : ""}`);
    } else if (p?.status === "failed") {
      state = c.red(`failed${p.step ? ` at step ${visible(p.step)}` : ""}`);
    } else {
      state = c.dim("not yet run");
    }
    io.out(`${ch.id}  ${visible(ch.title).padEnd(54)} ${state}${day}\n`);
  }
  const next = progress.next(book);
  const practise = progress.next(book, true);
  const nextLine = next ? ` Next: consh-book run --next (${next.id}).` : practise ? ` Next: consh-book practice --next (${practise.id}).` : " All done!";
  io.out(`\n${passed} of ${book.chapters.length} chapters passed.${nextLine}\n`);
  return ExitCode.pass;
}
