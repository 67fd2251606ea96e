// What one row's run left behind (exit code, the --json report, host state before
// and after), turned into the row of the matrix report.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const PASSED = new Set(["passed", "written", "updated", "started"]);
const FAILED = new Set(["failed", "mismatch", "timeout"]);

const read = (dir, f) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), "utf8") : undefined);

/** The lines of `a` and `b` that differ, marked - and +. */
export function stateDiff(a, b) {
  const A = a.split("\n"),
    B = b.split("\n");
  const sa = new Set(A),
    sb = new Set(B);
  return [...A.filter((l) => !sb.has(l)).map((l) => `- ${l}`), ...B.filter((l) => !sa.has(l)).map((l) => `+ ${l}`)];
}

/**
 * Count steps, collect the failing ones, the skipped ones by the capability they
 * lack ({ root: ["ch01 who-am-i-root"] }), and the chapters the run could not run, from a --json report.
 */
export function countSteps(report) {
  const out = { passed: 0, failed: 0, skipped: 0, failedSteps: [], skips: {}, cannotRun: (report?.cannotRun ?? []).map((c) => c.id) };
  for (const c of report?.chapters ?? []) {
    for (const s of c.steps) {
      if (PASSED.has(s.status)) out.passed++;
      else if (s.status === "skipped") {
        out.skipped++;
        const why = /^needs ([a-z0-9-]+)/.exec(s.reason ?? "")?.[1] ?? s.reason ?? "skipped";
        out.skips[why] = [...(out.skips[why] ?? []), `${c.id.replace("chapter-", "ch")} ${s.id}`];
      } else if (FAILED.has(s.status)) {
        out.failed++;
        // A mismatch: its changed lines; a failure or timeout: why, and the output's last lines.
        const diff = s.diff
          ? s.diff
              .split("\n")
              .filter((l) => /^[-+](?![-+]{2})/.test(l))
              .slice(0, 8)
              .join("\n")
          : [s.reason, ...(s.output ?? "").trim().split("\n").slice(-3)].filter(Boolean).join("\n");
        out.failedSteps.push({ step: `${c.id.replace("chapter-", "ch")} ${s.id}`, status: s.status, diff });
      }
    }
  }
  return out;
}

/** What the practice driver printed (one JSON line), or why there is nothing to read. */
export function practiceOutcome(chapter, json, err) {
  try {
    const p = JSON.parse(json ?? "");
    return { chapter, exit: p.exit, typed: p.typed, total: p.total, problem: p.problem, screen: p.screen };
  } catch {
    return {
      chapter,
      exit: -1,
      typed: 0,
      total: 0,
      problem: `the practice driver printed no result${err?.trim() ? `: ${err.trim().split("\n").slice(-5).join("\n")}` : ""}`,
    };
  }
}

/** The matrix row for a finished (or failed) run; `boot` holds how the guest ended. */
export function outcome(row, kernel, outDir, boot) {
  const base = {
    name: row.name,
    guest: row.guest,
    kernel,
    cgroup: row.cgroup,
    init: row.init === "host" ? "none" : row.init,
    runner: row.runner,
    uid: row.uid,
    gid: row.gid,
    expectedExit: row.expectedExit,
    seconds: boot.seconds,
  };
  const done = existsSync(join(outDir, "done"));
  if (!done) {
    const why = boot.timedOut ? `timed out after ${row.timeoutSec} s` : `ended (${boot.code}) before the run finished`;
    const tail = (boot.console ?? "").trim().split("\n").slice(-12).join("\n");
    return {
      ...base,
      exit: -1,
      passed: 0,
      failed: 0,
      skipped: 0,
      hostStateSame: false,
      ok: false,
      failedSteps: [],
      error: `guest ${why}${boot.stderr ? `; qemu: ${boot.stderr}` : ""}\nlast console lines:\n${tail}`,
    };
  }
  const exit = Number((read(outDir, "exit") ?? "-1").trim());
  let report;
  try {
    report = JSON.parse(read(outDir, "report.json") ?? "null");
  } catch {
    report = null;
  }
  const counts = countSteps(report);
  const diff = stateDiff(read(outDir, "state-before") ?? "", read(outDir, "state-after") ?? "");
  const hostStateSame = diff.length === 0;
  const ranNoSteps = counts.passed + counts.failed === 0;
  // A row that expects chapters left out (exit 3) names them: another set is not as expected.
  const cannotRunOk = !row.expectCannotRun || JSON.stringify([...counts.cannotRun].sort()) === JSON.stringify([...row.expectCannotRun].sort());
  // The systemd row is meant to be a learner's login: the shell sits in a session scope.
  const cgroup = (read(outDir, "cgroup") ?? "").trim();
  const scopeOk = !row.expectSessionScope || /\/session-[^/]+\.scope$/m.test(cgroup);
  const practice = row.practice ? practiceOutcome(row.practice, read(outDir, "practice.json"), read(outDir, "practice.err")) : undefined;
  const practiceOk = !practice || (practice.exit === 0 && practice.total > 0 && practice.typed === practice.total);
  const ok = exit === row.expectedExit && hostStateSame && (!row.expectNoSteps || ranNoSteps) && scopeOk && cannotRunOk && practiceOk;
  const log = read(outDir, "book.log") ?? "";
  const note = row.expectedExit === 3 ? log.trim().split("\n").slice(0, 12).join("\n") : undefined;
  const error = !scopeOk
    ? `the runner's shell is not in a session scope: ${cgroup}`
    : !cannotRunOk
      ? `the run left out ${counts.cannotRun.join(", ") || "no chapter"}, the row expects ${row.expectCannotRun.join(", ")}`
      : !practiceOk
        ? `practising ${row.practice}: exit ${practice.exit}, ${practice.typed} of ${practice.total} steps typed${practice.problem ? `: ${practice.problem}` : ""}${practice.screen ? `\nits screen's last lines:\n${practice.screen.join("\n")}` : ""}`
        : undefined;
  return {
    ...base,
    ...(error ? { error } : {}),
    exit,
    passed: counts.passed,
    failed: counts.failed,
    skipped: counts.skipped,
    hostStateSame,
    ok,
    failedSteps: counts.failedSteps,
    skips: counts.skips,
    cannotRun: counts.cannotRun,
    stateDiff: diff,
    bookSeconds: Number(read(outDir, "seconds") ?? 0),
    node: read(outDir, "node")?.trim(),
    ...(practice ? { practice: { chapter: practice.chapter, exit: practice.exit, typed: practice.typed, total: practice.total } } : {}),
    ...(note ? { note } : {}),
  };
}
