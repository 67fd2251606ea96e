// `consh-book run`: plan the chapters, check the host, run them, report, decide the exit code.

import { findChapter, planRun } from "../book/plan.js";
import { loadBookCached } from "./book-cache.js";
import { DEFAULT_TERMINAL, type Book, type Chapter } from "../book/model.js";
import { ConshError, EnvironmentError, ExitCode, HostNotCapableError, SIGNAL_EXIT, UsageError, type TeardownSignal } from "../errors.js";
import { failingFor, runChecks } from "../host/checks.js";
import { probeHost } from "../host/probe.js";
import { scanWorkRoot } from "../host/stale-runs.js";
import { currentUid } from "../host/trust.js";
import { ensureWorkRoot } from "../run/work-root.js";
import { makeColors, useColor } from "../report/colors.js";
import { jsonReport } from "../report/json.js";
import { junitReport } from "../report/junit.js";
import { checkReportPath, writeReportFile } from "../report/report-file.js";
import { visible } from "../report/visible.js";
import { TextReporter } from "../report/text.js";
import { StatusLine, whenAllowed } from "../report/status-line.js";
import { runBook, type RunOptions } from "../run/runner.js";
import { anyChapterFailed, type RunReport } from "../report/results.js";
import { defaultWorkRoot } from "../run/world.js";
import { resolveUpdateMode } from "../snapshot/state.js";
import { resolveBookDir } from "./book-dir.js";
import { formatCheckFailures } from "../report/check-failures.js";
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
interface RunExtras {
  beforeStep?: RunOptions["beforeStep"];
  beforeTeardown?: RunOptions["beforeTeardown"];
  onReport?: (report: RunReport, book: Book) => void;
}

function exitCodeOf(report: RunReport): number {
  if (report.interrupted && report.interrupted in SIGNAL_EXIT) return SIGNAL_EXIT[report.interrupted as TeardownSignal];
  if (report.interrupted) return ExitCode.interrupted;
  // A chapter the learner did not finish (steps skipped) is not passed, but nothing failed.
  return anyChapterFailed(report) ? ExitCode.failed : ExitCode.pass;
}

const TEARDOWN_SIGNALS = Object.keys(SIGNAL_EXIT) as TeardownSignal[];

export { resolveBookDir };

function selectChapters(book: Book, refs: string[], all: boolean | undefined): Chapter[] {
  if (all && refs.length > 0) throw new UsageError("give chapters or --all, not both");
  if (all) return book.chapters;
  if (refs.length === 0) throw new UsageError("name the chapters to run, or pass --all", "e.g. consh-book run chapter-07");
  return refs.map((r) => findChapter(book, r));
}

export async function runCommand(refs: string[], flags: RunFlags, io: Io, extras: RunExtras = {}): Promise<number> {
  const book = await loadBookCached(resolveBookDir(flags.book), io.env);
  // Report paths are checked before anything runs: a typo must not cost a whole run.
  if (flags.json) checkReportPath("--json", flags.json);
  if (flags.junit) checkReportPath("--junit", flags.junit);
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
    io.out(`next: ${next.id}: ${visible(next.title)}\n`);
    requested = [next];
  } else {
    requested = selectChapters(book, refs, flags.all);
  }
  const plan = planRun(book, requested);
  // Refuse a work root another user made or can change before anything is probed or run.
  const workRoot = ensureWorkRoot(flags.workDir ?? defaultWorkRoot());
  const mode = resolveUpdateMode({ update: flags.update === true, ci });
  const host = await probeHost();
  const checks = await runChecks(
    host,
    plan.map((p) => p.chapter),
  );
  const failing = plan.flatMap(({ chapter }) => failingFor(chapter, checks).map((c) => ({ chapter, check: c })));
  if (failing.length > 0) {
    throw new HostNotCapableError(
      `this host cannot run ${[...new Set(failing.map((f) => f.chapter.id))].join(", ")}:\n${formatCheckFailures(failing)}`,
      "run consh-book doctor for the whole picture",
    );
  }
  const { stale, skipped } = scanWorkRoot(workRoot, currentUid());
  if (stale.length > 0) {
    io.err(
      `note: ${stale.length === 1 ? "an earlier run" : `${stale.length} earlier runs`} (${stale.map((r) => r.id).join(", ")}) ended without cleaning up; run consh-book clean to remove what ${stale.length === 1 ? "it" : "they"} left\n`,
    );
    for (const r of stale) if (r.invalid) io.err(`  ${r.id}: ${visible(r.invalid)}; treated as left behind\n`);
  }
  for (const s of skipped) io.err(`note: ${visible(s.path)} ${visible(s.why)}; consh-book does not trust it (remove it if you do not know it)\n`);
  const colors = makeColors(useColor({ isTTY: io.stdoutIsTTY }, io.env));
  const width = textWidth();
  const reporter = new TextReporter({ write: io.out, colors, verbose: flags.verbose === true || flags.step === true });
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
  if (flags.json) keep(() => writeReportFile("--json", flags.json!, jsonReport(report)));
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
  return exitCodeOf(report);
}

/** The terminal `--shell` enters by default: the last non-host terminal the chapters use, else host. */
function defaultShellTerminal(chapters: Chapter[]): string {
  const terminals = chapters.flatMap((c) => c.blocks.flatMap((b) => (b.kind === "step" ? [b.terminal] : [])));
  return [...terminals].reverse().find((t) => t !== DEFAULT_TERMINAL) ?? DEFAULT_TERMINAL;
}
