// The matrix as a table for people, and as test/hosts/last-report.json (the format
// agreed in HELPERS.md, plus each row's name and failing steps).
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "./job.mjs";

export function table(results) {
  const head = [
    "row",
    "kernel",
    "init",
    "runner",
    "uid:gid",
    "exit (want)",
    "passed",
    "failed",
    "skipped",
    "not run here",
    "tests p/f/s",
    "practised",
    "state before = after",
    "ok",
    "s",
  ];
  const body = results.map((r) =>
    [
      r.name,
      r.kernel,
      r.init,
      r.runner,
      `${r.uid}:${r.gid}`,
      `${r.exit} (${r.expectedExit})`,
      r.passed,
      r.failed,
      r.skipped,
      (r.cannotRun ?? []).map((c) => c.replace("chapter-", "ch")).join(",") || "-",
      r.tests ? `${r.tests.passed}/${r.tests.failed}/${r.tests.skipped}` : "-",
      r.practice ? `${r.practice.chapter.replace("chapter-", "ch")} ${r.practice.typed}/${r.practice.total}` : "-",
      r.hostStateSame ? "yes" : "NO",
      r.ok ? "yes" : "NO",
      r.seconds,
    ].map(String),
  );
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...body.map(line)].join("\n");
}

export function details(results) {
  const out = [];
  for (const r of results) {
    if (r.error) out.push(`${r.name}: ${r.error}`);
    for (const f of r.failedSteps ?? []) out.push(`${r.name}: ${f.step} ${f.status}${f.diff ? `\n${f.diff.replace(/^/gm, "    ")}` : ""}`);
    if (r.stateDiff?.length)
      out.push(
        `${r.name}: host state changed:\n${r.stateDiff
          .slice(0, 20)
          .map((l) => `    ${l}`)
          .join("\n")}`,
      );
    if (r.note) out.push(`${r.name}: the run said:\n${r.note.replace(/^/gm, "    ")}`);
    const skips = Object.entries(r.skips ?? {});
    if (skips.length) out.push(`${r.name}: skipped: ${skips.map(([why, steps]) => `needs ${why} (${steps.join(", ")})`).join("; ")}`);
  }
  return out.join("\n");
}

// The commit the run started on (read at start: the worktree may move on meanwhile).
let commit = "unknown";
try {
  commit = execFileSync("git", ["-C", projectRoot, "rev-parse", "HEAD"], { encoding: "utf8" }).trim();
} catch {}

export function writeReport(results, accel, totalSeconds) {
  const rows = results.map((r) => ({
    guest: r.guest,
    kernel: r.kernel,
    cgroup: r.cgroup,
    init: r.init,
    runner: r.runner,
    uid: r.uid,
    gid: r.gid,
    expectedExit: r.expectedExit,
    exit: r.exit,
    passed: r.passed,
    failed: r.failed,
    skipped: r.skipped,
    hostStateSame: r.hostStateSame,
    ok: r.ok,
    seconds: r.seconds,
    name: r.name,
    failedSteps: (r.failedSteps ?? []).map((f) => f.step),
    skips: r.skips ?? {},
    cannotRun: r.cannotRun ?? [],
    ...(r.node ? { node: r.node } : {}),
    ...(r.tests ? { tests: r.tests } : {}),
    ...(r.practice ? { practice: r.practice } : {}),
    ...(r.error ? { error: r.error.split("\n")[0] } : {}),
  }));
  const file = join(projectRoot, "test", "hosts", "last-report.json");
  writeFileSync(file, `${JSON.stringify({ schemaVersion: 1, finishedAt: new Date().toISOString(), commit, accel, totalSeconds, rows }, null, 2)}\n`);
  return file;
}
