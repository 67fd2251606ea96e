// `consh-book doctor`: what this host offers, and per chapter whether it can run here.

import type { Chapter } from "../book/model.js";
import { loadBook } from "../book/load-book.js";
import { ExitCode } from "../errors.js";
import { failingFor, runChecks } from "../host/checks.js";
import { EVERY_PROBE, probeHost } from "../host/probe.js";
import { makeColors, useColor } from "../util/colors.js";
import type { Io } from "../util/io.js";
import { resolveBookDir } from "../book/book-dir.js";
import { visible } from "../util/visible.js";
import { formatCheckFailures } from "../report/check-failures.js";

export async function doctorCommand(flags: { book?: string }, io: Io): Promise<number> {
  const book = loadBook(resolveBookDir(flags.book));
  const host = await probeHost(EVERY_PROBE, io.env);
  const checks = await runChecks(host);
  const c = makeColors(useColor({ isTTY: io.stdoutIsTTY }, io.env));
  io.out(c.bold("This host\n"));
  for (const check of checks) {
    io.out(`  ${check.ok ? c.green("✓") : c.red("✗")} ${check.title}: ${c.dim(check.detail)}\n`);
  }
  io.out(`  capabilities for requires=: ${[...host.caps].sort().join(", ") || "(none)"}\n`);
  io.out(c.bold("\nChapters\n"));
  const byId = new Map(book.chapters.map((ch) => [ch.id, ch]));
  const withNeeds = (ch: Chapter, seen = new Set<string>()): Chapter[] => {
    if (seen.has(ch.id)) return [];
    seen.add(ch.id);
    return [...ch.needs.flatMap((n) => withNeeds(byId.get(n)!, seen)), ch];
  };
  let blocked = 0;
  for (const ch of book.chapters) {
    const failing = withNeeds(ch).flatMap((x) => failingFor(x, checks).map((check) => ({ chapter: x, check })));
    if (failing.length === 0) {
      io.out(`  ${c.green("✓")} ${ch.id}: ${visible(ch.title)}\n`);
    } else {
      blocked++;
      io.out(`  ${c.red("✗")} ${ch.id}: ${visible(ch.title)}\n${formatCheckFailures(failing)}\n`);
    }
  }
  io.out(blocked === 0 ? c.green("\nEvery chapter can run here.\n") : c.red(`\n${blocked} chapters cannot run here; fix the lines marked ✗ above.\n`));
  return blocked === 0 ? ExitCode.pass : ExitCode.hostNotCapable;
}
