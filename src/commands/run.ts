// `consh-book run`: plan the chapters, check the host, run them, report, decide the exit code.

import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { findChapter, planRun } from "../book/plan.js";
import { loadBookCached } from "./book-cache.js";
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
import { resolveBookDir } from "./book-dir.js";
import { formatCheckFailures } from "./doctor.js";
import { textWidth, type Io } from "./io.js";
import { KeyReader } from "./keys.js";
import { shellHandOver, type SignalGuard } from "./shell.js";
import { stepPrompter } from "./step-mode.js";
import { Progress, progressFile } from "../progress/progress.js";

export interface RunFlags {
  book?: string;
  all?: boolean;
  next?: boolean;
  step?: boolean;
  /** true (the default terminal) or a terminal name. */
  shell?: boolean | string;
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
  // A chapter the learner did not finish (steps skipped) is not passed, but nothing failed.
  return report.chapters.some((c) => c.status === "failed") ? ExitCode.failed : ExitCode.pass;
}

export { resolveBookDir };

export function selectChapters(book: Book, refs: string[], all: boolean | undefined): Chapter[] {
  if (all && refs.length > 0) throw new UsageError("give chapters or --all, not both");
  if (all) return book.chapters;
  if (refs.length === 0) throw new UsageError("name the chapters to run, or pass --all", "e.g. consh-book run chapter-07");
  return refs.map((r) => findChapter(book, r));
}

export async function runCommand(refs: string[], flags: RunFlags, io: Io, extras: RunExtras = {}): Promise<number> {
  const book = await loadBookCached(resolveBookDir(flags.book), io.env);
  const progress = new Progress(progressFile(io.env));
  const ci = io.env.CI === "true" || io.env.CI === "1";
  let requested: Chapter[];
  if (flags.next) {
    if (refs.length > 0 || flags.all) throw new UsageError("--next picks the chapter itself; give no chapters and no --all with it");
    const next = progress.next(book);
    if (!next) {
      io.out("Every chapter has passed on this machine. (consh-book progress --reset starts over.)\n");
      return ExitCode.pass;
    }
    io.out(`next: ${next.id}: ${next.title}\n`);
    requested = [next];
  } else {
    requested = selectChapters(book, refs, flags.all);
  }
  const plan = planRun(book, requested);
  const mode = resolveUpdateMode({ update: flags.update === true, ci });
  const host = await probeHost();
  const checks = await runChecks(host, plan.map((p) => p.chapter));
  const failing = plan.flatMap(({ chapter }) => failingFor(chapter, checks).map((c) => ({ chapter, check: c })));
  if (failing.length > 0) {
    throw new HostNotCapableError(`this host cannot run ${[...new Set(failing.map((f) => f.chapter.id))].join(", ")}:\n${formatCheckFailures(failing)}`, "run consh-book doctor for the whole picture");
  }
  const workRoot = resolve(flags.workDir ?? defaultWorkRoot());
  const stale = findStaleRuns(workRoot);
  if (stale.length > 0) {
    io.err(`note: ${stale.length === 1 ? "an earlier run" : `${stale.length} earlier runs`} (${stale.map((r) => r.id).join(", ")}) ended without cleaning up; run consh-book clean to remove what ${stale.length === 1 ? "it" : "they"} left\n`);
  }
  const colors = makeColors(useColor({ isTTY: io.stdoutIsTTY }, io.env));
  const width = textWidth();
  const reporter = new TextReporter({ write: io.out, colors, verbose: flags.verbose === true || flags.step === true });
  const guard: SignalGuard = { ignore: false };
  const keys = flags.step ? new KeyReader(process.stdin) : undefined;
  const beforeStep = extras.beforeStep ?? (keys ? stepPrompter(io, keys, colors, width) : undefined);
  const shellWhere = flags.shell === true ? defaultShellTerminal(requested) : typeof flags.shell === "string" ? flags.shell : undefined;
  const beforeTeardown = extras.beforeTeardown ?? (shellWhere ? shellHandOver(shellWhere, io, colors, guard) : undefined);
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (guard.ignore && signal === "SIGINT") return;
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
      beforeStep,
      beforeTeardown,
    });
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  reporter.summary(report);
  if (flags.json) writeFileSync(flags.json, jsonReport(report));
  if (flags.junit) writeFileSync(flags.junit, junitReport(report));
  if (!ci) progress.record(book, report);
  extras.onReport?.(report, book);
  return exitCodeOf(report);
}

/** The terminal `--shell` enters by default: the last non-host terminal the chapters use, else host. */
function defaultShellTerminal(chapters: Chapter[]): string {
  const terminals = chapters.flatMap((c) => c.blocks.flatMap((b) => (b.kind === "step" ? [b.terminal] : [])));
  return [...terminals].reverse().find((t) => t !== "host") ?? "host";
}
