// The hidden host shell of a run that runs steps' checks and questions: a
// terminal of its own (a name no chapter can use), started in the work dir with
// the run's environment, so a check sees what the learner's steps made.

import type { StepCheck, StepQuestion } from "../book/model.js";
import type { StepTerminal } from "../terminal/terminal.js";
import { shellQuote } from "../util/quote.js";
import { sleep } from "../util/sleep.js";

/** The checker's terminal name: not a valid terminal= name, so no step can run in it. */
export const CHECKER = "(checks)";

const CHECK_TIMEOUT_MS = 10_000;

export interface CheckOutcome {
  passed: boolean;
  /** What the check printed when it failed (why), trimmed; "" when it printed nothing. */
  reason: string;
  durationMs: number;
}

/** `CONSH_PID_<TERMINAL>`: the variable that holds the host PID of the shell reading that terminal's commands. */
export function shellPidVariable(terminal: string): string {
  return `CONSH_PID_${terminal.toUpperCase().replace(/-/g, "_")}`;
}

/**
 * A script run in a subshell with no input, so that `exit` ends the check, never
 * the checker; each terminal's shell PID (after an exec, the container's shell)
 * in CONSH_PID_<TERMINAL>.
 */
function wrapped(text: string, shells: ReadonlyMap<string, number>): string {
  const vars = [...shells].map(([name, pid]) => `${shellPidVariable(name)}=${shellQuote(String(pid))}`);
  return `(\n${vars.length > 0 ? `export ${vars.join(" ")}\n` : ""}${text}) </dev/null 2>&1\n`;
}

/** Trimmed output, at most `lines` lines. */
function short(output: string, lines = 3): string {
  const all = output.trim().split("\n");
  return all.length > lines ? `${all.slice(0, lines).join("\n")} …` : all.join("\n");
}

export class Checker {
  private terminal: StepTerminal | undefined;

  /**
   * `start` starts (and records) the checker's terminal when a first check needs
   * it; `shells` gives each live terminal's shell PID now.
   */
  constructor(
    private readonly start: () => StepTerminal,
    private readonly shells: () => ReadonlyMap<string, number> = () => new Map(),
  ) {}

  private shell(): StepTerminal {
    if (!this.terminal?.alive) this.terminal = this.start();
    return this.terminal;
  }

  /** Runs a check once: exit 0 passes; anything else fails with what it printed. */
  async check(check: StepCheck): Promise<CheckOutcome> {
    const r = await this.shell().run({ text: wrapped(check.text, this.shells()), timeoutMs: CHECK_TIMEOUT_MS });
    if (r.kind === "done") return { passed: r.status === 0, reason: r.status === 0 ? "" : short(r.output), durationMs: r.durationMs };
    const why = r.kind === "timeout" ? `the check did not finish within ${CHECK_TIMEOUT_MS / 1000}s` : `the check's shell ended (${r.kind})`;
    return { passed: false, reason: why, durationMs: r.durationMs };
  }

  /**
   * Runs a check until it passes or `withinMs` has passed (state a step leaves
   * may settle a moment later: a server started in the background).
   */
  async checkWithin(check: StepCheck, withinMs: number): Promise<CheckOutcome> {
    const deadline = Date.now() + withinMs;
    for (;;) {
      const r = await this.check(check);
      if (r.passed || Date.now() >= deadline) return r;
      await sleep(100);
    }
  }

  /** The right answer to a question, from live state; or why there is none. */
  async answer(question: StepQuestion): Promise<{ answer: string } | { problem: string }> {
    const r = await this.shell().run({ text: wrapped(question.text, this.shells()), timeoutMs: CHECK_TIMEOUT_MS });
    if (r.kind !== "done") return { problem: `its script did not finish (${r.kind})` };
    const answer = r.output.trim();
    if (r.status !== 0) return { problem: `its script failed (exit ${r.status}): ${short(r.output)}` };
    if (answer === "") return { problem: "its script printed no answer" };
    return { answer };
  }

  /** The checker's terminal, if it was started (for teardown). */
  get started(): StepTerminal | undefined {
    return this.terminal;
  }
}

/** Whether an answer given by a learner is the right one: the same words, whatever the case and spacing. */
export function sameAnswer(given: string, right: string): boolean {
  const norm = (s: string) => s.trim().replace(/\s+/g, " ").toLowerCase();
  return norm(given) === norm(right);
}
