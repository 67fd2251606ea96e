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
      state = c.green("passed");
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
  io.out(`\n${passed} of ${book.chapters.length} chapters passed.${next ? ` Next: consh-book run --next (${next.id}).` : " All done!"}\n`);
  return ExitCode.pass;
}
