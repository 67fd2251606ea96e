// A step as a learner practises it: the commands they type run in the step's
// real terminal, and the step is verified the way its chapter says: by its
// output (the snapshot), by its check (live state), by its question.

import type { Chapter, Step } from "../book/model.js";
import type { ShownOutput, StepResult } from "../report/results.js";
import { replaceRunValues } from "../snapshot/normalize.js";
import { redact } from "../snapshot/redact.js";
import type { Section } from "../snapshot/format.js";
import type { SnapshotState } from "../snapshot/state.js";
import type { RunValues } from "../snapshot/normalize.js";
import { type CheckOutcome, type Checker, sameAnswer } from "./checker.js";
import type { LiveRun } from "./live.js";
import { baseResult } from "./step-result.js";

/** What a step's context may do with its run (run-state.ts makes it). */
export interface StepRunHandle {
  live: LiveRun;
  /** Forgets a terminal whose shell ended (the next command starts a new one). */
  forget(name: string): void;
  /** Records in the ledger what a command may have made. */
  record(text: string): Promise<void>;
  checker: Checker;
  values: RunValues;
  signal: AbortSignal | undefined;
}

/** A command a learner typed: what it printed (this run's own values) and how it ended. */
export interface TypedCommand {
  text: string;
  raw: string;
  /** Its exit status; undefined when its terminal's shell ended. */
  status: number | undefined;
  /** It read the terminal's input, and was stopped. */
  readInput: boolean;
  /** Its terminal's shell ended (e.g. `exit`): what the terminal held is gone. */
  terminalEnded?: string;
}

type VerifiedBy = "output" | "check" | "question";

export interface Verification {
  passed: boolean;
  /** The output part: matched, or not (only for a step verified by its output). */
  output?: boolean;
  check?: CheckOutcome;
  /** The question is still to be answered. */
  unanswered?: boolean;
  /** The step's output cannot be verified: no recorded output to compare with. */
  noRecording?: boolean;
}

/** A learner's command may run as long as they like: they stop it with Ctrl-C. */
const TYPED_TIMEOUT_MS = 24 * 3600 * 1000;

export class StepContext {
  readonly typed: TypedCommand[] = [];
  private answered = false;
  /** The typed output that matched the snapshot, normalized (for the result). */
  private matched: string | undefined;
  private lastCheck: CheckOutcome | undefined;
  private rightAnswer: string | undefined;

  constructor(
    private readonly run: StepRunHandle,
    readonly chapter: Chapter,
    readonly step: Step,
    private readonly state: SnapshotState,
  ) {}

  get live(): LiveRun {
    return this.run.live;
  }

  get signal(): AbortSignal | undefined {
    return this.run.signal;
  }

  /** How the step is verified: its check and question where it has them, else its output. */
  get verifiedBy(): VerifiedBy[] {
    const by: VerifiedBy[] = [];
    if (this.step.check) by.push("check");
    if (this.step.question) by.push("question");
    return by.length > 0 ? by : ["output"];
  }

  /** The step's recorded output, if any. */
  recorded(): Section | undefined {
    return this.state.section(this.step.id);
  }

  /** Runs a command the learner typed in the step's terminal (output live through `onOutput`). */
  async type(text: string, onOutput: (s: string) => void): Promise<TypedCommand> {
    const terminal = this.run.live.terminal(this.step.terminal);
    const r = await terminal.run({ text: text.endsWith("\n") ? text : `${text}\n`, timeoutMs: TYPED_TIMEOUT_MS, onOutput, keepOnInputRead: true });
    const typed: TypedCommand =
      r.kind === "done"
        ? { text, raw: r.output, status: r.status, readInput: r.readInput === true }
        : { text, raw: r.output, status: undefined, readInput: r.kind === "consumed-input", terminalEnded: r.kind === "exited" ? r.status : r.kind };
    if (typed.terminalEnded) this.run.forget(this.step.terminal);
    this.typed.push(typed);
    await this.run.record(text);
    return typed;
  }

  /** Runs another step's command again in its terminal (step mode's "again"), output live; nothing is compared. */
  async runAgain(step: Step, onOutput: (s: string) => void): Promise<TypedCommand> {
    const r = await this.run.live.terminal(step.terminal).run({ text: step.text, timeoutMs: step.timeoutSeconds * 1000, onOutput, keepOnInputRead: true });
    if (r.kind !== "done") this.run.forget(step.terminal);
    await this.run.record(step.text);
    return r.kind === "done"
      ? { text: step.text, raw: r.output, status: r.status, readInput: r.readInput === true }
      : { text: step.text, raw: r.output, status: undefined, readInput: false, terminalEnded: r.kind };
  }

  /** Stops the learner's command (Ctrl-C); the terminal and its state stay. */
  interrupt(): Promise<void> {
    return this.run.live.terminals.get(this.step.terminal)?.interrupt() ?? Promise.resolve();
  }

  /** Whether what the learner did so far verifies the step. */
  async verify(): Promise<Verification> {
    const by = this.verifiedBy;
    const v: Verification = { passed: true };
    if (by.includes("output")) {
      if (!this.recorded()) return { passed: false, noRecording: true };
      v.output = await this.outputMatches();
      v.passed &&= v.output;
    }
    if (by.includes("check")) {
      v.check = await this.run.checker.check(this.step.check!);
      this.lastCheck = v.check;
      v.passed &&= v.check.passed;
    }
    if (by.includes("question") && !this.answered) {
      v.unanswered = true;
      v.passed = false;
    }
    return v;
  }

  /** Checks an answer to the step's question against live state. */
  async answer(given: string): Promise<{ right: boolean; problem?: string }> {
    const q = this.step.question;
    if (!q) return { right: false, problem: "this step asks no question" };
    const a = await this.run.checker.answer(q);
    if ("problem" in a) return { right: false, problem: a.problem };
    this.answered = sameAnswer(given, a.answer);
    if (this.answered) this.rightAnswer = a.answer;
    return { right: this.answered };
  }

  /**
   * Whether the output of the last k typed commands (for some k), normalized as a
   * run normalizes a step's, matches the snapshot; the last one's status must be
   * the step's where the step declares one.
   */
  private async outputMatches(): Promise<boolean> {
    const last = this.typed[this.typed.length - 1];
    if (!last || last.status === undefined) return false;
    for (let k = 1; k <= this.typed.length; k++) {
      const raw = this.typed
        .slice(-k)
        .map((t) => t.raw)
        .join("");
      const redacted = await redact(replaceRunValues(raw, this.run.values), this.step.redactions, 5000, this.signal);
      if (redacted.kind !== "done") return false;
      if (this.state.matches(this.step, redacted.text, last.status)) {
        this.matched = redacted.text;
        return true;
      }
    }
    return false;
  }

  /** The step's result once the learner's work verified it. */
  typedResult(): { result: StepResult; shown?: ShownOutput } {
    const result: StepResult = { ...baseResult(this.step), status: "passed", by: "learner", output: this.matched ?? "", exitCode: this.typed.at(-1)?.status };
    if (this.lastCheck) result.check = { passed: this.lastCheck.passed, reason: this.lastCheck.reason };
    if (this.rightAnswer !== undefined) result.answer = this.rightAnswer;
    return { result };
  }
}
