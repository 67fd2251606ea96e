// The run itself, once `consh-book run` has planned it and checked the host: the
// terminals and the runner, step mode and --shell, the reports, the progress
// record and the exit code.

import type { planRun } from "../book/plan.js";
import { DEFAULT_TERMINAL, type Book, type Chapter } from "../book/model.js";
import { ConshError, EnvironmentError, ExitCode, SIGNAL_EXIT, type TeardownSignal } from "../errors.js";
import type { HostFacts } from "../host/probe.js";
import { makeColors, useColor } from "../report/colors.js";
import { jsonReport } from "../report/json.js";
import { junitReport } from "../report/junit.js";
import { writeReportFile } from "../report/report-file.js";
import { TextReporter } from "../report/text.js";
import { StatusLine, whenAllowed } from "../report/status-line.js";
import { anyChapterFailed, type RunReport } from "../report/results.js";
import type { Progress } from "../progress/progress.js";
import { runBook, type RunOptions } from "../run/runner.js";
import type { UpdateMode } from "../snapshot/state.js";
import { textWidth, type Io } from "./io.js";
import { KeyReader } from "./keys.js";
import { shellHandOver, type SignalGuard } from "./shell.js";
import { stepPrompter } from "./step-mode.js";
import type { CannotRun } from "../host/runnable.js";

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

export async function runSession(s: PlannedRun, flags: RunFlags, io: Io, extras: RunExtras): Promise<number> {
  const { book, plan, requested, workRoot, mode, host, progress, ci, cannotRun } = s;
  const colors = makeColors(useColor({ isTTY: io.stdoutIsTTY }, io.env));
  const width = textWidth();
  const reporter = new TextReporter({ write: io.out, colors, verbose: flags.verbose === true || flags.step === true, platform: host.platform });
  const status = whenAllowed(io) ? new StatusLine({ write: io.out, colors, columns: () => process.stdout.columns ?? 80 }) : undefined;
  const guard: SignalGuard = { ignore: false };
  const keys = flags.step ? new KeyReader(process.stdin) : undefined;
  const beforeStep = extras.beforeStep ?? (keys ? stepPrompter(io, keys, colors, width) : undefined);
  const shellWhere = flags.shell === true ? defaultShellTerminal(requested) : typeof flags.shell === "string" ? flags.shell : undefined;
  const beforeTeardown = extras.beforeTeardown ?? (shellWhere ? shellHandOver(shellWhere, io, colors, guard) : undefined);
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (guard.ignore && (signal === "SIGINT" || signal === "SIGQUIT")) return; // keys meant for the handed-over shell
    signals++;
    if (signals === 1) {
      status?.clear();
      io.err(`\n${signal}: stopping and tearing down (this takes a moment)...\n`);
      controller.abort(signal);
    }
  };
  // Closing the terminal (SIGHUP) or Ctrl-\ (SIGQUIT) tears down like Ctrl-C and SIGTERM.
  for (const sig of TEARDOWN_SIGNALS) process.on(sig, onSignal);
  let report: RunReport;
  try {
    report = await runBook({
      book,
      plan,
      mode,
      keepGoing: flags.keepGoing === true,
      workRoot,
      host,
      onEvent: (e) => {
        status?.handle(e);
        reporter.handle(e);
      },
      signal: controller.signal,
      beforeStep,
      beforeTeardown,
    });
  } finally {
    status?.clear();
    for (const sig of TEARDOWN_SIGNALS) process.off(sig, onSignal);
  }
  reporter.summary(report);
  if (cannotRun.length > 0 && !report.interrupted) {
    io.out(
      colors.yellow(`not run: this host cannot run ${cannotRun.map((x) => x.chapter.id).join(", ")} (why and how to fix it: above, or consh-book doctor)\n`),
    );
  }
  // The verdict is printed; what cannot be written after it is said after it (exit 5).
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
  if (!ci) keep(() => progress.record(book, report));
  extras.onReport?.(report, book);
  if (afterRun.length === 1) throw afterRun[0]!;
  if (afterRun.length > 1)
    throw new EnvironmentError(afterRun.map((e) => e.message).join("\n"), {
      hint: afterRun
        .map((e) => e.hint)
        .filter(Boolean)
        .join("; "),
    });
  return exitCodeOf(report, cannotRun);
}

/** The terminal `--shell` enters by default: the last non-host terminal the chapters use, else host. */
function defaultShellTerminal(chapters: Chapter[]): string {
  const terminals = chapters.flatMap((c) => c.blocks.flatMap((b) => (b.kind === "step" ? [b.terminal] : [])));
  return [...terminals].reverse().find((t) => t !== DEFAULT_TERMINAL) ?? DEFAULT_TERMINAL;
}
