// `consh-book run` (and `practice`, which is run with the learner typing):
// plan the chapters and check the host; then the session (session/run-session.ts)
// runs them, reports, and decides the exit code. The session's modules (the
// runner, execa, the reporters) load while the host probes run.

import { findChapter, planRun } from "../book/plan.js";
import type { Book, Chapter } from "../book/model.js";
import { ExitCode, HostNotCapableError, UsageError } from "../errors.js";
import { failingFor, probesFor, runChecks } from "../host/checks.js";
import { probeHost } from "../host/probe.js";
import { scanWorkRoot } from "../host/stale-runs.js";
import { currentUid } from "../util/trust.js";
import { formatCheckFailures } from "../report/check-failures.js";
import { checkReportPath } from "../report/report-file.js";
import { visible } from "../util/visible.js";
import { Progress, progressFile } from "../progress/progress.js";
import { ensureWorkRoot } from "../run/work-root.js";
import { defaultWorkRoot } from "../run/world.js";
import { resolveUpdateMode } from "../snapshot/state.js";
import { loadBookCached } from "../book/book-cache.js";
import { resolveBookDir } from "../book/book-dir.js";
import type { Io } from "../util/io.js";
import type { RunFlags } from "../session/run-session.js";

export type { RunFlags };

function selectChapters(book: Book, refs: string[], all: boolean | undefined): Chapter[] {
  if (all && refs.length > 0) throw new UsageError("give chapters or --all, not both");
  if (all) return book.chapters;
  if (refs.length === 0) throw new UsageError("name the chapters to run, or pass --all", "e.g. consh-book run chapter-07");
  return refs.map((r) => findChapter(book, r));
}

export async function runCommand(refs: string[], flags: RunFlags, io: Io): Promise<number> {
  const book = await loadBookCached(resolveBookDir(flags.book), io.env);
  // Report paths are checked before anything runs: a typo must not cost a whole run.
  if (flags.json) checkReportPath("--json", flags.json);
  if (flags.junit) checkReportPath("--junit", flags.junit);
  const progress = new Progress(progressFile(io.env));
  const ci = io.env.CI === "true" || io.env.CI === "1";
  let requested: Chapter[];
  if (flags.next) {
    if (refs.length > 0 || flags.all) throw new UsageError("--next picks the chapter itself; give no chapters and no --all with it");
    const next = progress.next(book, flags.practice === true);
    if (!next) {
      io.out(
        flags.practice
          ? "You have typed every step of every chapter on this machine. (consh-book progress --reset starts over.)\n"
          : "Every chapter has passed on this machine. (consh-book progress --reset starts over.)\n",
      );
      return ExitCode.pass;
    }
    io.out(`next: ${next.id}: ${visible(next.title)}\n`);
    requested = [next];
  } else {
    requested = selectChapters(book, refs, flags.all);
  }
  const plan = planRun(book, requested);
  // Refuse a work root another user made or can change before anything is probed or run.
  const workRoot = ensureWorkRoot(flags.workDir ?? defaultWorkRoot(io.env));
  const mode = resolveUpdateMode({ update: flags.update === true, ci });
  // Only the probes these chapters need. They are child processes: the session loads while they run.
  const probing = probeHost(probesFor(plan.map((p) => p.chapter)), io.env);
  const loading = import("../session/run-session.js");
  loading.catch(() => {}); // awaited below, unless a check fails first
  const host = await probing;
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
  const { runSession } = await loading;
  return runSession({ book, plan, requested, workRoot, mode, host, progress, ci }, flags, io);
}
