// `consh-book run`: plan the chapters, check the host, run them, report, decide the exit code.

import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { findChapter, loadBook, planRun } from "../book/load-book.js";
import type { Book, Chapter } from "../book/model.js";
import { ExitCode, HostNotCapableError, UsageError } from "../errors.js";
import { failingFor, runChecks } from "../host/checks.js";
import { probeHost } from "../host/probe.js";
import { findStaleRuns } from "../host/stale-runs.js";
import { makeColors, useColor } from "../report/colors.js";
import { jsonReport } from "../report/json.js";
import { junitReport } from "../report/junit.js";
import { TextReporter } from "../report/text.js";
import { runBook, type RunOptions } from "../run/runner.js";
import type { RunReport } from "../run/results.js";
import { defaultWorkRoot } from "../run/world.js";
import { resolveUpdateMode } from "../snapshot/state.js";
import { defaultBookDir } from "../book/default-book.js";
import { formatCheckFailures } from "./doctor.js";
import type { Io } from "./io.js";

export interface RunFlags {
  book?: string;
  all?: boolean;
  keepGoing?: boolean;
  update?: boolean;
  json?: string;
  junit?: string;
  workDir?: string;
  verbose?: boolean;
}

/** Extra behaviour other commands plug in (step mode, --shell, progress). */
export interface RunExtras {
  beforeStep?: RunOptions["beforeStep"];
  beforeTeardown?: RunOptions["beforeTeardown"];
  onReport?: (report: RunReport, book: Book) => void;
}

export function exitCodeOf(report: RunReport): number {
  if (report.interrupted === "SIGTERM") return ExitCode.terminated;
  if (report.interrupted) return ExitCode.interrupted;
  return report.passed ? ExitCode.pass : ExitCode.failed;
}

export function resolveBookDir(flag: string | undefined): string {
  return resolve(flag ?? defaultBookDir());
}

export function selectChapters(book: Book, refs: string[], all: boolean | undefined): Chapter[] {
  if (all && refs.length > 0) throw new UsageError("give chapters or --all, not both");
  if (all) return book.chapters;
  if (refs.length === 0) throw new UsageError("name the chapters to run, or pass --all", "e.g. consh-book run chapter-07");
  return refs.map((r) => findChapter(book, r));
}

export async function runCommand(refs: string[], flags: RunFlags, io: Io, extras: RunExtras = {}): Promise<number> {
  const book = loadBook(resolveBookDir(flags.book));
  const requested = selectChapters(book, refs, flags.all);
  const plan = planRun(book, requested);
  const mode = resolveUpdateMode({ update: flags.update === true, ci: io.env.CI === "true" || io.env.CI === "1" });
  const host = await probeHost();
  const checks = await runChecks(host);
  const failing = plan.flatMap(({ chapter }) => failingFor(chapter, checks).map((c) => ({ chapter, check: c })));
  if (failing.length > 0) {
    throw new HostNotCapableError(`this host cannot run ${[...new Set(failing.map((f) => f.chapter.id))].join(", ")}:\n${formatCheckFailures(failing)}`, "run consh-book doctor for the whole picture");
  }
  const workRoot = resolve(flags.workDir ?? defaultWorkRoot());
  const stale = findStaleRuns(workRoot);
  if (stale.length > 0) {
    io.err(`note: ${stale.length === 1 ? "an earlier run" : `${stale.length} earlier runs`} (${stale.map((r) => r.id).join(", ")}) ended without cleaning up; run consh-book clean to remove what ${stale.length === 1 ? "it" : "they"} left\n`);
  }
  const reporter = new TextReporter({ write: io.out, colors: makeColors(useColor({ isTTY: io.stdoutIsTTY }, io.env)), verbose: flags.verbose === true });
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      io.err(`\n${signal}: stopping and tearing down (this takes a moment)...\n`);
      controller.abort(signal);
    }
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  let report: RunReport;
  try {
    report = await runBook({
      book,
      plan,
      mode,
      keepGoing: flags.keepGoing === true,
      workRoot,
      host,
      onEvent: (e) => reporter.handle(e),
      signal: controller.signal,
      beforeStep: extras.beforeStep,
      beforeTeardown: extras.beforeTeardown,
    });
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  reporter.summary(report);
  if (flags.json) writeFileSync(flags.json, jsonReport(report));
  if (flags.junit) writeFileSync(flags.junit, junitReport(report));
  extras.onReport?.(report, book);
  return exitCodeOf(report);
}
