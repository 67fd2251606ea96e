// The run itself, once `consh-book run` has planned it and checked the host: the
// terminals and the runner, step mode and --shell, the reports, the progress
// record and the exit code.

import type { planRun } from "../book/plan.js";
import { DEFAULT_TERMINAL, type Book, type Chapter } from "../book/model.js";
import { ConshError, EnvironmentError, ExitCode, SIGNAL_EXIT, type TeardownSignal } from "../errors.js";
import { type Leftover, leftovers, takeInventory } from "../host/inventory.js";
import type { HostFacts } from "../host/probe.js";
import type { CannotRun } from "../host/runnable.js";
import { makeColors, useColor } from "../util/colors.js";
import { jsonReport } from "../report/json.js";
import { junitReport } from "../report/junit.js";
import { writeReportFile } from "../report/report-file.js";
import { TextReporter } from "../report/text.js";
import { StatusLine, whenAllowed } from "../report/status-line.js";
import { anyChapterFailed, type RunReport } from "../report/results.js";
import type { Progress } from "../progress/progress.js";
import { runBook } from "../run/runner.js";
import type { UpdateMode } from "../snapshot/state.js";
import { textWidth, type Io } from "../util/io.js";
import { visible } from "../util/visible.js";
import { interactive } from "./interactive.js";
import { shellHandOver, type SignalGuard } from "./shell.js";

export interface RunFlags {
  book?: string;
  all?: boolean;
  next?: boolean;
  step?: boolean;
  /** Practice: the learner types every step of the requested chapters. */
  practice?: boolean;
  /** true (the default terminal) or a terminal name. */
  shell?: boolean | string;
  keepGoing?: boolean;
  update?: boolean;
  json?: string;
  junit?: string;
  workDir?: string;
  verbose?: boolean;
}

/** What `consh-book run` hands over once the plan is made and the host checked. */
interface PlannedRun {
  book: Book;
  plan: ReturnType<typeof planRun>;
  requested: Chapter[];
  workRoot: string;
  mode: UpdateMode;
  host: HostFacts;
  progress: Progress;
  ci: boolean;
  /** --all/--next: the chapters left out because this host cannot run them (said before the run, and in its reports). */
  cannotRun: CannotRun;
}

function exitCodeOf(report: RunReport, cannotRun: CannotRun): number {
  if (report.interrupted && report.interrupted in SIGNAL_EXIT) return SIGNAL_EXIT[report.interrupted as TeardownSignal];
  if (report.interrupted) return ExitCode.interrupted;
  if (anyChapterFailed(report)) return ExitCode.failed;
  // Nothing failed, but chapters this host cannot run were left out.
  if (cannotRun.length > 0) return ExitCode.hostNotCapable;
  // A chapter the learner did not finish (steps skipped) is not passed, but nothing failed.
  return ExitCode.pass;
}

const TEARDOWN_SIGNALS = Object.keys(SIGNAL_EXIT) as TeardownSignal[];

export async function runSession(s: PlannedRun, flags: RunFlags, io: Io): Promise<number> {
  const { book, plan, requested, workRoot, mode, host, ci, cannotRun } = s;
  const colors = makeColors(useColor({ isTTY: io.stdoutIsTTY }, io.env));
  const width = textWidth(io);
  const learner = flags.step === true || flags.practice === true;
  const reporter = new TextReporter({
    write: io.out,
    colors,
    verbose: flags.verbose === true || learner,
    needsVerbose: flags.verbose === true,
    // The author's fixes: for --update (an author at work) and CI (a book's maintainer reads it).
    author: flags.update === true || ci,
    platform: host.platform,
  });
  const status = whenAllowed(io) ? new StatusLine({ write: io.out, colors, columns: () => io.columns() ?? 80 }) : undefined;
  const guard: SignalGuard = { ignore: false };
  const shellWhere = flags.shell === true ? defaultShellTerminal(requested) : typeof flags.shell === "string" ? flags.shell : undefined;
  const beforeTeardown = shellWhere ? shellHandOver(shellWhere, io, colors, guard) : undefined;
  const controller = new AbortController();
  let signals = 0;
  /** `fromPrompt`: Ctrl-C was read at a prompt (not a signal), so it stops the run even while a learner's command is guarded. */
  const onSignal = (signal: NodeJS.Signals, fromPrompt = false) => {
    if (!fromPrompt && guard.ignore && (signal === "SIGINT" || signal === "SIGQUIT")) return; // keys meant for the handed-over shell
    if (!fromPrompt && signal === "SIGINT" && guard.onInterrupt) return guard.onInterrupt(); // Ctrl-C stops the learner's command, not the run
    signals++;
    if (signals === 1) {
      status?.clear();
      io.err(`\n${signal}: stopping and tearing down (this takes a moment)...\n`);
      controller.abort(signal);
    }
  };
  // Ctrl-C at a learner's prompt, and a terminal that is gone (its input ended with EIO), stop the run as SIGINT and SIGHUP do.
  const learning = learner ? interactive(io, colors, width, book, guard, flags.practice === true, (signal) => onSignal(signal, true)) : undefined;
  // Closing the terminal (SIGHUP) or Ctrl-\ (SIGQUIT) tears down like Ctrl-C and SIGTERM.
  const onProcessSignal = (signal: NodeJS.Signals) => onSignal(signal);
  for (const sig of TEARDOWN_SIGNALS) process.on(sig, onProcessSignal);
  // What the learner makes by hand elsewhere is never removed by guess: it is listed after the run.
  const before = learner ? takeInventory() : undefined;
  let report: RunReport;
  try {
    report = await runBook({
      book,
      plan,
      mode,
      keepGoing: flags.keepGoing === true,
      workRoot,
      host,
      env: io.env,
      onEvent: (e) => {
        status?.handle(e);
        reporter.handle(e);
        learning?.handle(e);
      },
      signal: controller.signal,
      ...learning?.hooks,
      beforeTeardown,
    });
  } finally {
    learning?.close();
    status?.clear();
    for (const sig of TEARDOWN_SIGNALS) process.off(sig, onProcessSignal);
  }
  reporter.summary(report);
  if (before) reportLeftovers(io, leftovers(before, takeInventory()));
  if (cannotRun.length > 0 && !report.interrupted) {
    io.out(
      colors.yellow(`not run: this host cannot run ${cannotRun.map((x) => x.chapter.id).join(", ")} (why and how to fix it: above, or consh-book doctor)\n`),
    );
  }
  saveAfterRun(s, flags, io, report);
  return exitCodeOf(report, cannotRun);
}

/** The reports and the progress, after the verdict is printed: what cannot be written is said after it (exit 5). */
function saveAfterRun(s: PlannedRun, flags: RunFlags, io: Io, report: RunReport): void {
  const { book, progress, ci, cannotRun } = s;
  const afterRun: ConshError[] = [];
  const keep = (write: () => void) => {
    try {
      write();
    } catch (err) {
      if (!(err instanceof ConshError)) throw err;
      afterRun.push(err);
    }
  };
  if (flags.json) keep(() => writeReportFile("--json", flags.json!, jsonReport(report, cannotRun)));
  if (flags.junit) keep(() => writeReportFile("--junit", flags.junit!, junitReport(report)));
  // Progress that cannot be saved is said, but does not change the book's verdict.
  if (!ci) {
    try {
      progress.record(book, report);
    } catch (err) {
      if (!(err instanceof ConshError)) throw err;
      io.err(`note: your progress was not saved: ${visible(err.message)}\n${err.hint ? `  hint: ${visible(err.hint)}\n` : ""}`);
    }
  }
  if (afterRun.length === 1) throw afterRun[0]!;
  if (afterRun.length > 1)
    throw new EnvironmentError(afterRun.map((e) => e.message).join("\n"), {
      hint: afterRun
        .map((e) => e.hint)
        .filter(Boolean)
        .join("; "),
    });
}

/** The terminal `--shell` enters by default: the last non-host terminal the chapters use, else host. */
function defaultShellTerminal(chapters: Chapter[]): string {
  const terminals = chapters.flatMap((c) => c.blocks.flatMap((b) => (b.kind === "step" ? [b.terminal] : [])));
  return [...terminals].reverse().find((t) => t !== DEFAULT_TERMINAL) ?? DEFAULT_TERMINAL;
}

/** What appeared on the host during a learner's run and outlived its teardown, with the commands to remove it. */
function reportLeftovers(io: Io, left: Leftover[]): void {
  if (left.length === 0) return;
  io.out(
    `\nThese appeared on the host while you worked, under names that are not the run's, so consh-book left them (it removes only what it can prove is its own). If they are yours, remove them with:\n${left.map((l) => `  ${visible(l.remove)}    # ${visible(l.what)}`).join("\n")}\n`,
  );
}
