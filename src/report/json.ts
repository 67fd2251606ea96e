// The --json report: every chapter and step with status, duration and diff.
// Its contract is the type JsonReport below and src/report/report.schema.json
// (shipped in the package); schemaVersion changes when a field changes meaning.

import type { CannotRun } from "../host/runnable.js";
import type { RunReport } from "./results.js";

export const JSON_REPORT_SCHEMA_VERSION = 2;

interface JsonStep {
  id: string;
  terminal: string;
  /** Line of the step's fence in the chapter file. */
  line: number;
  status: "passed" | "written" | "updated" | "started" | "skipped" | "interrupted" | "failed" | "mismatch" | "timeout";
  durationMs: number;
  exitCode: number | null;
  expectedExit: number | "any";
  /** Unified diff against the snapshot (mismatch, or update). */
  diff: string | null;
  /** Why it was skipped, or what went wrong. */
  reason: string | null;
  /** Who skipped it, when skipped: the learner (step mode) or the host (a missing capability). */
  skippedBy: "learner" | "host" | null;
  /** The normalized output (what the snapshot holds). */
  output: string;
  /** Who did the step: the learner typed it (practice), or the book ran it; null when it did not run. */
  by: "learner" | "book" | null;
  /** Its state check (a check= block), where it has one and it ran: passed, or why not. */
  check: { passed: boolean; reason: string } | null;
  /** The right answer to its question (a question= block), from live state. */
  answer: string | null;
}

export interface JsonChapter {
  id: string;
  title: string;
  /** Run first because a requested chapter needs it. */
  needed: boolean;
  /** incomplete: nothing failed, but steps were skipped by the learner or not reached (quit). */
  status: "passed" | "failed" | "incomplete" | "not-run";
  durationMs: number;
  snapshotFile: string;
  /** Snapshot sections of steps that no longer exist. */
  obsolete: string[];
  stepsTotal: number;
  /** Steps that did not run (skipped by the learner, or never reached). */
  notRun: string[];
  steps: JsonStep[];
}

export interface JsonTeardown {
  processes: number[];
  netns: string[];
  links: string[];
  mounts: string[];
  cgroups: string[];
  runDirRemoved: boolean;
  problems: string[];
}

/** A chapter `run --all`/`--next` left out because this host cannot run it. */
export interface JsonCannotRun {
  id: string;
  title: string;
  /** The failing host checks (doctor's), with the chapter (this one or one it needs) that needs each. */
  checks: { id: string; title: string; detail: string; neededBy: string; fix: { debian: string; fedora: string } | null }[];
}

export interface JsonReport {
  schemaVersion: typeof JSON_REPORT_SCHEMA_VERSION;
  runId: string;
  startedAt: string;
  durationMs: number;
  /** Every chapter passed (every step ran and matched), none was left out, and nothing interrupted the run. */
  passed: boolean;
  interrupted: string | null;
  chapters: JsonChapter[];
  /** Chapters left out because this host cannot run them (run --all, --next; exit 3). */
  cannotRun: JsonCannotRun[];
  teardown: JsonTeardown | null;
  runner: { maxRssKb: number };
}

function toJsonReport(report: RunReport, cannotRun: CannotRun): JsonReport {
  return {
    schemaVersion: JSON_REPORT_SCHEMA_VERSION,
    runId: report.runId,
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    passed: report.passed && cannotRun.length === 0,
    interrupted: report.interrupted ?? null,
    chapters: report.chapters.map((c) => ({
      id: c.id,
      title: c.title,
      needed: c.needed,
      status: c.status,
      durationMs: c.durationMs,
      snapshotFile: c.snapshotFile,
      obsolete: c.obsolete,
      stepsTotal: c.stepsTotal,
      notRun: c.notRun,
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
        skippedBy: s.skippedBy ?? null,
        output: s.output,
        by: s.by ?? null,
        check: s.check ?? null,
        answer: s.answer ?? null,
      })),
    })),
    cannotRun: cannotRun.map(({ chapter, failing }) => ({
      id: chapter.id,
      title: chapter.title,
      checks: failing.map((f) => ({ id: f.check.id, title: f.check.title, detail: f.check.detail, neededBy: f.chapter.id, fix: f.check.fix ?? null })),
    })),
    teardown: report.teardown
      ? {
          processes: report.teardown.processes,
          netns: report.teardown.netns,
          links: report.teardown.links,
          mounts: report.teardown.mounts,
          cgroups: report.teardown.cgroups,
          runDirRemoved: report.teardown.runDirRemoved,
          problems: report.teardown.problems,
        }
      : null,
    runner: { maxRssKb: report.maxRssKb },
  };
}

export function jsonReport(report: RunReport, cannotRun: CannotRun = []): string {
  return `${JSON.stringify(toJsonReport(report, cannotRun), null, 2)}\n`;
}
