// From what a step's terminal reported to the step's result: status, reason, failure,
// and what the runner must do next (forget a dead terminal, stop the run).

import type { Step } from "../book/model.js";
import { STDIN_CONSUMED } from "../report/hints.js";
import type { StepFailure, StepResult } from "../report/results.js";
import type { RedactOutcome } from "../snapshot/redact.js";
import type { SnapshotState } from "../snapshot/state.js";
import type { StepOutcome } from "../terminal/terminal.js";

/** Where a step lives, for messages. */
export interface StepLocation {
  chapter: string;
  step: string;
  terminal: string;
  file: string;
  line: number;
}

function where(loc: StepLocation): string {
  return `${loc.chapter} step '${loc.step}' (terminal ${loc.terminal}, ${loc.file}:${loc.line})`;
}

function failure(loc: StepLocation, what: string, outputTail: string, hint?: string): StepFailure {
  return { message: `${where(loc)} ${what}`, hint, outputTail };
}

const MISMATCH_HINT = "if the new output is right, record it with: consh-book run --update …";

const TAIL_LINES = 15;

function tail(text: string): string {
  const lines = text.replace(/\n$/, "").split("\n");
  return lines.slice(-TAIL_LINES).join("\n");
}

/** The fields every result of `step` starts from. */
export function baseResult(step: Step): Omit<StepResult, "status"> {
  return {
    id: step.id,
    terminal: step.terminal,
    line: step.line,
    expectedExit: step.exit,
    exitCode: undefined,
    output: "",
    diff: undefined,
    reason: undefined,
    failure: undefined,
    durationMs: 0,
  };
}

interface StepVerdict {
  result: StepResult;
  /** The step's terminal is gone (killed or exited): start a new one for the next step. */
  terminalGone: boolean;
  /** The run cannot go on (a step timed out, or ate its terminal's input). */
  stop: boolean;
}

interface StepRun {
  step: Step;
  loc: StepLocation;
  outcome: StepOutcome;
  redacted: RedactOutcome;
  /** The normalized, redacted output. */
  output: string;
  /** The run was interrupted meanwhile; `by` names the signal, if known. */
  aborted: { by: string | undefined } | undefined;
  state: SnapshotState;
}

/** Maps one ran step to its result; checks the snapshot (which may record or update it) only for a step that ended as declared. */
export function stepVerdict({ step, loc, outcome, redacted, output, aborted, state }: StepRun): StepVerdict {
  const base = baseResult(step);
  const done = (result: StepResult, terminalGone = false, stop = false): StepVerdict => ({ result, terminalGone, stop });
  if (aborted || redacted.kind === "aborted") {
    return done({ ...base, status: "failed", output, durationMs: outcome.durationMs, reason: `interrupted by ${aborted?.by ?? "a signal"}` });
  }
  if (outcome.kind === "timeout") {
    const error = failure(
      loc,
      `timed out after ${step.timeoutSeconds}s; its terminal was killed`,
      tail(output),
      "raise timeout= on the step if it is just slow, or look for a command waiting for input",
    );
    return done({ ...base, status: "timeout", output, durationMs: outcome.durationMs, reason: error.message, failure: error }, true, true);
  }
  if (redacted.kind === "too-slow") {
    const error = failure(
      loc,
      `has a redact=${redacted.redaction.name}:${redacted.redaction.source} that did not finish within ${(redacted.ms / 1000).toFixed(1)}s on its output; it was stopped`,
      tail(output),
      "the pattern backtracks without end on this output (nested repetition such as (a+)+ or (.*)*): rewrite it so each character can be matched only one way",
    );
    return done({
      ...base,
      status: "failed",
      exitCode: outcome.kind === "done" ? outcome.status : undefined,
      output,
      durationMs: outcome.durationMs,
      reason: error.message,
      failure: error,
    });
  }
  if (outcome.kind === "consumed-input") {
    const error = failure(loc, "read its terminal's standard input; its terminal was killed", tail(output), STDIN_CONSUMED);
    return done(
      { ...base, status: "failed", output, durationMs: outcome.durationMs, reason: `${error.message}: ${STDIN_CONSUMED}`, failure: error },
      true,
      true,
    );
  }
  if (outcome.kind === "exited") {
    const error = failure(
      loc,
      `ended its terminal's shell (${outcome.status}) before the step finished`,
      tail(output),
      "a step must not 'exit' its terminal; run the command in a subshell ( ... ) instead",
    );
    return done({ ...base, status: "failed", output, durationMs: outcome.durationMs, reason: error.message, failure: error }, true);
  }
  if (step.background) return done({ ...base, status: "started", exitCode: outcome.status, durationMs: outcome.durationMs });
  if (step.exit !== "any" && outcome.status !== step.exit) {
    const error = failure(
      loc,
      `exited with status ${outcome.status}, expected ${step.exit}`,
      tail(output),
      "see the output above; if the status is meant, declare it with exit=N",
    );
    return done({ ...base, status: "failed", exitCode: outcome.status, output, durationMs: outcome.durationMs, reason: error.message, failure: error });
  }
  const verdict = state.check(step, output, outcome.status);
  const common = { ...base, exitCode: outcome.status, output, durationMs: outcome.durationMs };
  if (verdict.kind === "mismatch") {
    const error = failure(loc, `output differs from ${state.file}`, "", MISMATCH_HINT);
    return done({ ...common, status: "mismatch", diff: verdict.diff, reason: error.message, failure: error });
  }
  if (verdict.kind === "missing") {
    const error = failure(loc, `output differs from ${state.file}`, "", MISMATCH_HINT);
    return done({
      ...common,
      status: "mismatch",
      reason: `no section for step '${step.id}' in ${state.file} (CI never records; run locally to record it)`,
      failure: error,
    });
  }
  return done({
    ...common,
    status: verdict.kind,
    diff: verdict.kind === "updated" ? verdict.diff : undefined,
    reason: verdict.kind === "passed" ? undefined : verdict.note,
  });
}
