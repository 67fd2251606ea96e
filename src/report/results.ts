// What a run reports: per step, per chapter, for the whole run; and the events it emits.

import type { Chapter, ExpectedExit, Step } from "../book/model.js";
import type { TeardownReport } from "../host/teardown.js";

export type StepStatus =
  | "passed"
  /** A new snapshot section was recorded. */
  | "written"
  /** A changed section was rewritten (--update). */
  | "updated"
  /** A background step was started. */
  | "started"
  | "skipped"
  /** The run was stopped (Ctrl-C, a signal) while the step ran: not a failure of the step. */
  | "interrupted"
  | "failed"
  | "mismatch"
  | "timeout";

export interface StepResult {
  id: string;
  terminal: string;
  line: number;
  status: StepStatus;
  durationMs: number;
  exitCode: number | undefined;
  expectedExit: ExpectedExit;
  /** The normalized output (what the snapshot holds). */
  output: string;
  diff: string | undefined;
  /** Why it was skipped, or what went wrong. */
  reason: string | undefined;
  /** Who skipped it: the learner (step mode) or the host (a capability it requires is missing). */
  skippedBy?: "learner" | "host";
  /** Who did the step: the learner typed it (practice), or the book ran it (the default). */
  by?: "learner" | "book";
  /** The step's state check (a check= block), where it has one and it ran. */
  check?: { passed: boolean; reason: string };
  /** The right answer to the step's question (a question= block), from live state. */
  answer?: string;
  /** What went wrong, for a failed, timed-out or mismatched step. */
  failure: StepFailure | undefined;
}

/** How to fix a failed step, and the last lines of its output (empty where a diff says more); what went wrong is the result's `reason`. */
export interface StepFailure {
  hint: string | undefined;
  outputTail: string;
}

/**
 * passed: every step ran and matched (steps for a capability this host lacks
 * are skipped and do not count); failed: a step failed; incomplete: nothing
 * failed, but the learner skipped steps or quit part-way; not-run: not reached.
 */
export type ChapterStatus = "passed" | "failed" | "incomplete" | "not-run";

export interface ChapterResult {
  id: string;
  title: string;
  file: string;
  needed: boolean;
  status: ChapterStatus;
  steps: StepResult[];
  obsolete: string[];
  /** Obsolete sections fail the chapter (update mode none). */
  obsoleteFails: boolean;
  snapshotFile: string;
  snapshotSaved: boolean;
  durationMs: number;
  /** How many steps the chapter has. */
  stepsTotal: number;
  /** Steps that did not run: skipped by the learner, or never reached (quit, stop). */
  notRun: string[];
}

export interface RunReport {
  runId: string;
  workDir: string;
  startedAt: string;
  durationMs: number;
  chapters: ChapterResult[];
  passed: boolean;
  /** Set when the run was stopped early by a signal or by the learner quitting. */
  interrupted: NodeJS.Signals | "quit" | undefined;
  teardown: TeardownReport | undefined;
  /** Peak resident memory of the runner process (KiB). */
  maxRssKb: number;
}

/** What a step printed as it ran, with this run's own values (the result's `output` has placeholders). */
export interface ShownOutput {
  raw: string;
}

export type RunEvent =
  | { type: "run-start"; runId: string; workDir: string; caps: string[] }
  | { type: "chapter-start"; chapter: Chapter; needed: boolean }
  | { type: "step-start"; chapter: Chapter; step: Step }
  | { type: "step-end"; chapter: Chapter; step: Step; result: StepResult; shown?: ShownOutput }
  | { type: "chapter-end"; chapter: Chapter; result: ChapterResult }
  | { type: "teardown"; report: TeardownReport };

/** The step statuses that fail a chapter: the one list the runner, the text, JUnit and progress reports and the exit code go by. */
const FAILING: ReadonlySet<StepStatus> = new Set(["failed", "mismatch", "timeout"]);

export function isFailing(status: StepStatus): boolean {
  return FAILING.has(status);
}

/** Whether a chapter of the run failed (what makes the exit code "failed"). */
export function anyChapterFailed(report: RunReport): boolean {
  return report.chapters.some((c) => c.status === "failed");
}
