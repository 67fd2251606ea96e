// One step of a run: asked about (step mode, practice), skipped, typed by the
// learner, or run by the book and compared with its snapshot; then its state
// check and question, which strengthen every run.

import type { Chapter, Step } from "../book/model.js";
import { type CapabilityName, missingCapability } from "../book/capability-names.js";
import type { ShownOutput, StepResult } from "../report/results.js";
import { replaceRunValues } from "../snapshot/normalize.js";
import { redact } from "../snapshot/redact.js";
import type { SnapshotState } from "../snapshot/state.js";
import { recordResources, type Run, type StepDecision, stepHandle, terminalFor } from "./run-state.js";
import { StepContext } from "./step-context.js";
import { baseResult, type StepLocation, stepVerdict } from "./step-result.js";

/** How long a run waits for a step's check to pass (state may settle a moment after the step). */
const CHECK_WITHIN_MS = 3000;

function lackedCapability(step: Step, run: Run): CapabilityName | undefined {
  return step.requires.find((c) => !run.options.host.caps.has(c as CapabilityName)) as CapabilityName | undefined;
}

/** `promise`, or "quit" as soon as `signal` aborts (a prompt must not hold a signal's teardown back). */
function untilAborted(promise: Promise<StepDecision>, signal: AbortSignal | undefined): Promise<StepDecision> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.resolve("quit");
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve("quit");
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (d) => {
        signal.removeEventListener("abort", onAbort);
        resolve(d);
      },
      (err: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(err);
      },
    );
  });
}

const locationOf = (chapter: Chapter, step: Step): StepLocation => ({
  chapter: chapter.id,
  step: step.id,
  terminal: step.terminal,
  file: chapter.file,
  line: step.line,
});

interface StepRun {
  result: StepResult;
  shown?: ShownOutput;
}

/** Asks (step mode, practice), skips, or runs one step; "break" when the chapter must end here (quit, signal). */
export async function runStep(run: Run, chapter: Chapter, step: Step, needed: boolean, state: SnapshotState): Promise<StepRun | "break"> {
  const { options } = run;
  const missing = lackedCapability(step, run);
  if (missing) {
    const reason = missingCapability(missing);
    if (!needed) await options.onHostSkip?.(chapter, step, reason, state.section(step.id));
    return { result: { ...baseResult(step), status: "skipped", reason, skippedBy: "host" } };
  }
  const ctx = new StepContext(stepHandle(run), chapter, step, state);
  const decision: StepDecision = !needed && options.beforeStep ? await untilAborted(options.beforeStep(ctx), options.signal) : "run";
  if (options.signal?.aborted) return "break"; // a signal while the learner was asked: interrupted, not quit
  if (decision === "quit") {
    run.stop = true;
    run.interrupted = "quit";
    return "break";
  }
  if (decision === "skip") return { result: { ...baseResult(step), status: "skipped", reason: "skipped by you", skippedBy: "learner" } };
  if (decision === "typed") return ctx.typedResult();
  return bookStep(run, chapter, step, state);
}

/** The book runs the step: in its terminal, compared with its snapshot, then its check and question. */
async function bookStep(run: Run, chapter: Chapter, step: Step, state: SnapshotState): Promise<StepRun> {
  const { options, world } = run;
  // A check must tell the step's work apart: it should fail before the step.
  const before = step.check ? await run.checker.check(step.check) : undefined;
  options.onEvent({ type: "step-start", chapter, step });
  const outcome = await terminalFor(run, step.terminal).run({ text: step.text, timeoutMs: step.timeoutSeconds * 1000, background: step.background });
  // Redactions run where they can be stopped, within what is left of the step's time (at least a second).
  const budget = Math.max(step.timeoutSeconds * 1000 - outcome.durationMs, 1000);
  const redacted = await redact(replaceRunValues(outcome.output, world.values), step.redactions, budget, options.signal);
  const output = redacted.kind === "done" ? redacted.text : replaceRunValues(outcome.output, world.values);
  const aborted = options.signal?.aborted ? { by: run.interrupted } : undefined;
  const verdict = stepVerdict({ step, loc: locationOf(chapter, step), outcome, redacted, output, aborted, state });
  if (verdict.terminalGone) run.terminals.delete(step.terminal);
  if (verdict.stop) run.stop = true;
  await recordResources(run, step.text);
  const result = await afterStep(run, chapter, step, verdict.result, before?.passed === true);
  return { result: { ...result, by: "book" }, shown: { raw: outcome.output } };
}

const OK: ReadonlySet<StepResult["status"]> = new Set(["passed", "written", "updated", "started"]);

/**
 * A step that ran as it should is held to its check (the state it leaves) and its
 * question (which must have an answer in live state): either failing fails the step.
 */
async function afterStep(run: Run, chapter: Chapter, step: Step, result: StepResult, passedBefore: boolean): Promise<StepResult> {
  if (!OK.has(result.status) || run.options.signal?.aborted) return result;
  const where = `${chapter.id} step '${step.id}' (terminal ${step.terminal}, ${chapter.file}:${step.line})`;
  let out = result;
  if (step.check) {
    const c = await run.checker.checkWithin(step.check, CHECK_WITHIN_MS);
    out = { ...out, check: { passed: c.passed, reason: c.reason } };
    if (!c.passed) {
      const reason = `${where} ran, but its check (${chapter.file}:${step.check.line}) failed: ${c.reason || "(it printed nothing)"}`;
      return {
        ...out,
        status: "failed",
        reason,
        failure: { hint: "the step did not leave the state the chapter needs; see the check's reason", outputTail: "" },
      };
    }
    if (passedBefore) {
      // A learner practising it would pass without doing anything: in CI that is the book's error.
      const reason = `the check of ${where} (${chapter.file}:${step.check.line}) passed before the step ran, so it cannot tell whether the step was done`;
      const failure = { hint: "make the check look at what this step changes (and what was not so before it)", outputTail: "" };
      if (run.options.mode === "none") return { ...out, status: "failed", reason, failure };
      out = { ...out, reason: out.reason ? `${out.reason}; ${reason}` : reason };
    }
  }
  if (step.question) {
    const a = await run.checker.answer(step.question);
    if ("problem" in a) {
      const reason = `${where} ran, but its question "${step.question.ask}" (${chapter.file}:${step.question.line}) has no answer: ${a.problem}`;
      return { ...out, status: "failed", reason, failure: { hint: "the question's script must print the answer from live state", outputTail: "" } };
    }
    out = { ...out, answer: a.answer };
  }
  return out;
}
