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

/** What a failed step's result says: where and what (its reason), the fix, and the last output. */
function failure(loc: StepLocation, what: string, outputTail: string, hint?: string): { reason: string; failure: StepFailure } {
  return { reason: `${where(loc)} ${what}`, failure: { hint, outputTail } };
}

const MISMATCH_HINT = "if the new output is right, record it with: consh-book run --update …";
const MISSING_HINT = "record it: run the chapter once where snapshots may be written (not with CI=true), and commit the snapshot file";

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

type Then = { terminalGone?: boolean; stop?: boolean };
const verdict = (result: StepResult, then: Then = {}): StepVerdict => ({ result, terminalGone: then.terminalGone === true, stop: then.stop === true });

/** The verdict of a step that did not end as a step should (timed out, ate its input, ended its shell); undefined if it ended. */
function brokenStep({ step, loc, outcome, output }: StepRun): StepVerdict | undefined {
  const base = { ...baseResult(step), output, durationMs: outcome.durationMs };
  switch (outcome.kind) {
    case "timeout": {
      const f = failure(
        loc,
        `timed out after ${step.timeoutSeconds}s; its terminal was killed`,
        tail(output),
        "raise timeout= on the step if it is just slow, or look for a command waiting for input",
      );
      return verdict({ ...base, status: "timeout", ...f }, { terminalGone: true, stop: true });
    }
    case "consumed-input": {
      const f = failure(loc, "read its terminal's standard input; its terminal was killed", tail(output), STDIN_CONSUMED);
      return verdict({ ...base, status: "failed", ...f, reason: `${f.reason}: ${STDIN_CONSUMED}` }, { terminalGone: true, stop: true });
    }
    case "exited": {
      const f = failure(
        loc,
        `ended its terminal's shell (${outcome.status}) before the step finished`,
        tail(output),
        "a step must not 'exit' its terminal; run the command in a subshell ( ... ) instead",
      );
      return verdict({ ...base, status: "failed", ...f }, { terminalGone: true });
    }
    default:
      return undefined;
  }
}

/** Maps one ran step to its result; checks the snapshot (which may record or update it) only for a step that ended as declared. */
export function stepVerdict(run: StepRun): StepVerdict {
  const { step, loc, outcome, redacted, output, aborted, state } = run;
  const base = baseResult(step);
  if (aborted || redacted.kind === "aborted") {
    return verdict({ ...base, status: "interrupted", output, durationMs: outcome.durationMs, reason: `interrupted by ${aborted?.by ?? "a signal"}` });
  }
  const broken = brokenStep(run);
  if (broken) return broken;
  if (outcome.kind !== "done") throw new Error(`unexpected step outcome ${outcome.kind}`);
  const common = { ...base, exitCode: outcome.status, output, durationMs: outcome.durationMs };
  if (redacted.kind === "too-slow") {
    const what = `has a redact=${redacted.redaction.name}:${redacted.redaction.source} that did not finish within ${(redacted.ms / 1000).toFixed(1)}s on its output; it was stopped`;
    const fix =
      "the pattern backtracks without end on this output (nested repetition such as (a+)+ or (.*)*): rewrite it so each character can be matched only one way";
    return verdict({ ...common, status: "failed", ...failure(loc, what, tail(output), fix) });
  }
  if (step.background) return verdict({ ...base, status: "started", exitCode: outcome.status, durationMs: outcome.durationMs });
  if (step.exit !== "any" && outcome.status !== step.exit) {
    const f = failure(
      loc,
      `exited with status ${outcome.status}, expected ${step.exit}`,
      tail(output),
      "see the output above; if the status is meant, declare it with exit=N",
    );
    return verdict({ ...common, status: "failed", ...f });
  }
  const compared = state.check(step, output, outcome.status);
  if (compared.kind === "mismatch")
    return verdict({ ...common, status: "mismatch", diff: compared.diff, ...failure(loc, `output differs from ${state.file}`, "", MISMATCH_HINT) });
  if (compared.kind === "missing") {
    const f = failure(loc, `has no section in ${state.file}, and CI=true records none`, "", MISSING_HINT);
    return verdict({ ...common, status: "mismatch", ...f });
  }
  return verdict({
    ...common,
    status: compared.kind,
    diff: compared.kind === "updated" ? compared.diff : undefined,
    reason: compared.kind === "passed" ? undefined : compared.note,
  });
}
