// `consh-book doctor`: what this host offers, and per chapter whether it can run here.

import { loadBook } from "../book/load-book.js";
import { ExitCode } from "../errors.js";
import { runChecks } from "../host/checks.js";
import { EVERY_PROBE, probeHost } from "../host/probe.js";
import { doctorReport } from "../report/doctor-report.js";
import { makeColors, useColor } from "../util/colors.js";
import type { Io } from "../util/io.js";
import { resolveBookDir } from "../book/book-dir.js";

export async function doctorCommand(flags: { book?: string }, io: Io): Promise<number> {
  const book = loadBook(resolveBookDir(flags.book));
  const host = await probeHost(EVERY_PROBE, io.env);
  const checks = await runChecks(host);
  const { text, blocked } = doctorReport(book, host, checks, makeColors(useColor({ isTTY: io.stdoutIsTTY }, io.env)));
  io.out(text);
  return blocked === 0 ? ExitCode.pass : ExitCode.hostNotCapable;
}
