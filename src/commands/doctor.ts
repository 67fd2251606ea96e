// `consh-book doctor`: what this host offers, and per chapter whether it can run here.

import { loadBook } from "../book/load-book.js";
import { ExitCode } from "../errors.js";
import { runChecks } from "../host/checks.js";
import { probeHost } from "../host/probe.js";
import { makeColors, useColor } from "../report/colors.js";
import { doctorReport } from "../report/doctor-report.js";
import type { Io } from "./io.js";
import { resolveBookDir } from "./book-dir.js";

export async function doctorCommand(flags: { book?: string }, io: Io): Promise<number> {
  const book = loadBook(resolveBookDir(flags.book));
  const host = await probeHost();
  const checks = await runChecks(host);
  const { text, blocked } = doctorReport(book, host, checks, makeColors(useColor({ isTTY: io.stdoutIsTTY }, io.env)));
  io.out(text);
  return blocked === 0 ? ExitCode.pass : ExitCode.hostNotCapable;
}
