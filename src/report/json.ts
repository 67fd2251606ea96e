// The --json report: every chapter and step with status, duration and diff.

import type { RunReport } from "../run/results.js";

export function jsonReport(report: RunReport): string {
  const doc = {
    runId: report.runId,
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    passed: report.passed,
    interrupted: report.interrupted ?? null,
    chapters: report.chapters.map((c) => ({
      id: c.id,
      title: c.title,
      needed: c.needed,
      status: c.status,
      durationMs: c.durationMs,
      snapshotFile: c.snapshotFile,
      obsolete: c.obsolete,
      steps: c.steps.map((s) => ({
        id: s.id,
        terminal: s.terminal,
        line: s.line,
        status: s.status,
        durationMs: s.durationMs,
        exitCode: s.exitCode ?? null,
        expectedExit: s.expectedExit,
        diff: s.diff ?? null,
        reason: s.reason ?? null,
        output: s.output,
      })),
    })),
    teardown: report.teardown ?? null,
    runner: { maxRssKb: report.maxRssKb },
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
