// `consh-book run` (and `practice`, which is run with the learner typing):
// plan the chapters and check the host; then the session (session/run-session.ts)
// runs them, reports, and decides the exit code. The session's modules (the
// runner, execa, the reporters) load while the host probes run. Named chapters
// run only if the host can run them all; --all and --next run what it can and
// name the rest (exit 3 when nothing else went wrong).

import { loadBookCached } from "../book/book-cache.js";
import { resolveBookDir } from "../book/book-dir.js";
import type { Book, Chapter } from "../book/model.js";
import { findChapter, planRun } from "../book/plan.js";
import { ExitCode, HostNotCapableError, UsageError } from "../errors.js";
import { type CheckResult, probesFor, runChecks } from "../host/checks.js";
import { probeHost } from "../host/probe.js";
import { type CannotRun, unrunnable } from "../host/runnable.js";
import { scanWorkRoot } from "../host/stale-runs.js";
import { Progress, progressFile } from "../progress/progress.js";
import { formatCheckFailures } from "../report/check-failures.js";
import { checkReportPath } from "../report/report-file.js";
import { ensureWorkRoot } from "../run/work-root.js";
import { defaultWorkRoot } from "../run/world.js";
import type { RunFlags } from "../session/run-session.js";
import { resolveUpdateMode } from "../snapshot/state.js";
import type { Io } from "../util/io.js";
import { currentUid } from "../util/trust.js";
import { visible } from "../util/visible.js";

export type { RunFlags };

function selectChapters(book: Book, refs: string[], all: boolean | undefined): Chapter[] {
  if (all && refs.length > 0) throw new UsageError("give chapters or --all, not both");
  if (all) return book.chapters;
  if (refs.length === 0) throw new UsageError("name the chapters to run, or pass --all", "e.g. consh-book run chapter-07");
  return refs.map((r) => findChapter(book, r));
}

/** The chapters asked for; with --next, those not passed (for practice: not all typed) yet, or undefined when there are none. */
function asked(book: Book, refs: string[], flags: RunFlags, progress: Progress): Chapter[] | undefined {
  if (!flags.next) return selectChapters(book, refs, flags.all);
  if (refs.length > 0 || flags.all) throw new UsageError("--next picks the chapter itself; give no chapters and no --all with it");
  const left = progress.notPassed(book, flags.practice === true);
  return left.length > 0 ? left : undefined;
}

/** Notes on runs an earlier runner left behind, and on what in the work root is not trusted. */
function noteStaleRuns(workRoot: string, io: Io): void {
  const { stale, skipped } = scanWorkRoot(workRoot, currentUid());
  if (stale.length > 0) {
    io.err(
      `note: ${stale.length === 1 ? "an earlier run" : `${stale.length} earlier runs`} (${stale.map((r) => r.id).join(", ")}) ended without cleaning up; run consh-book clean to remove what ${stale.length === 1 ? "it" : "they"} left\n`,
    );
    for (const r of stale) if (r.invalid) io.err(`  ${r.id}: ${visible(r.invalid)}; treated as left behind\n`);
  }
  for (const s of skipped) io.err(`note: ${visible(s.path)} ${visible(s.why)}; consh-book does not trust it (remove it if you do not know it)\n`);
}

export async function runCommand(refs: string[], flags: RunFlags, io: Io): Promise<number> {
  const book = await loadBookCached(resolveBookDir(flags.book), io.env);
  // Report paths are checked before anything runs: a typo must not cost a whole run.
  if (flags.json) checkReportPath("--json", flags.json);
  if (flags.junit) checkReportPath("--junit", flags.junit);
  const progress = new Progress(progressFile(io.env));
  const ci = io.env.CI === "true" || io.env.CI === "1";
  const wanted = asked(book, refs, flags, progress);
  if (!wanted) {
    io.out(
      flags.practice
        ? "You have typed every step of every chapter on this machine. (consh-book progress --reset starts over.)\n"
        : "Every chapter has passed on this machine. (consh-book progress --reset starts over.)\n",
    );
    return ExitCode.pass;
  }
  const wide = planRun(book, wanted).map((p) => p.chapter);
  // Refuse a work root another user made or can change before anything is probed or run.
  const workRoot = ensureWorkRoot(flags.workDir ?? defaultWorkRoot(io.env));
  const mode = resolveUpdateMode({ update: flags.update === true, ci });
  // Only the probes these chapters need. They are child processes: the session loads while they run.
  const probing = probeHost(probesFor(wide), io.env);
  const loading = import("../session/run-session.js");
  loading.catch(() => {}); // awaited below, unless a check fails first
  const host = await probing;
  const checks = await runChecks(host, wide);
  const { requested, cannotRun } = choose(book, wanted, checks, flags);
  if (cannotRun.length > 0) io.out(`${cannotRunText(cannotRun, flags.next ? "next" : requested.length)}\n`);
  if (flags.next) io.out(`next: ${requested[0]!.id}: ${visible(requested[0]!.title)}\n`);
  const plan = planRun(book, requested);
  noteStaleRuns(workRoot, io);
  const { runSession } = await loading;
  return runSession({ book, plan, requested, workRoot, mode, host, progress, ci, cannotRun }, flags, io);
}

/**
 * The chapters to run, and those left out because this host cannot run them.
 * Chapters named on the command line run all or not at all (exit 3, nothing run);
 * --all runs every one it can; --next the first not yet passed that it can.
 */
function choose(book: Book, asked: Chapter[], checks: CheckResult[], flags: RunFlags): { requested: Chapter[]; cannotRun: CannotRun } {
  const cannot = unrunnable(book, asked, checks);
  const blocked = new Set(cannot.map((x) => x.chapter.id));
  const runnable = asked.filter((c) => !blocked.has(c.id));
  const partial = flags.all === true || flags.next === true;
  if (cannot.length > 0 && (!partial || runnable.length === 0)) {
    const failing = cannot.flatMap((x) => x.failing);
    const what = partial ? `any chapter ${flags.next ? "that has not passed yet" : "of the book"}` : [...new Set(failing.map((f) => f.chapter.id))].join(", ");
    throw new HostNotCapableError(`this host cannot run ${what}:\n${formatCheckFailures(failing)}`, "run consh-book doctor for the whole picture");
  }
  if (!flags.next) return { requested: runnable, cannotRun: cannot };
  // --next: the first chapter it can run; the ones before it that it cannot are said.
  const next = runnable[0]!;
  return { requested: [next], cannotRun: cannot.filter((x) => x.chapter.number < next.number) };
}

/** What a run that leaves chapters out says before it starts; `running`: how many chapters it runs, or "next" (--next). */
function cannotRunText(cannotRun: CannotRun, running: number | "next"): string {
  const ids = cannotRun.map((x) => x.chapter.id).join(", ");
  const what = running === "next" ? "the next chapter it can" : running === 1 ? "the one chapter it can" : `the ${running} chapters it can`;
  return `this host cannot run ${ids}; running ${what} (the run ends with exit 3 when nothing fails):\n${formatCheckFailures(cannotRun.flatMap((x) => x.failing))}\n  (consh-book doctor gives the whole picture)`;
}
