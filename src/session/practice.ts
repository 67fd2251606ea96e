// Practice: the learner types a step into its real terminal and the book
// verifies what they did on the live host: by the step's output, its check or
// its question. Hints, the book's command, letting the book run it, skipping
// and quitting are a `:` command away; the keys are listed once and on `?`.

import type { Step } from "../book/model.js";
import type { StepDecision } from "../run/runner.js";
import type { StepContext, TypedCommand, Verification } from "../run/step-context.js";
import type { Colors } from "../util/colors.js";
import type { Io } from "../util/io.js";
import { visible } from "../util/visible.js";
import type { LineReader } from "./line-reader.js";
import { hintsFor } from "./practice-hints.js";
import type { Screen } from "./screen.js";
import type { SignalGuard } from "./shell.js";
import { needsMore } from "./shell-syntax.js";

const KEYS: [string, string][] = [
  [":hint", "a hint (again for the next one)"],
  [":show", "show the book's command"],
  [":run", "let the book run this step (it counts as run by the book)"],
  [":check", "check now, and say what is missing"],
  [":answer TEXT", "answer the step's question"],
  [":glossary TERM", "what a word of the book means"],
  [":skip", "skip this step"],
  [":quit", "stop here (everything the run made is removed)"],
  ["?", "these keys"],
];

/** How often a check step's check is looked at while the learner thinks (completion is noticed without :check). */
const NOTICE_EVERY_MS = 2000;

export class Practice {
  private keysShown = false;

  constructor(
    private readonly io: Io,
    private readonly screen: Screen,
    private readonly lines: LineReader,
    private readonly guard: SignalGuard,
    private readonly glossary: (term: string) => string,
  ) {}

  private get c(): Colors {
    return this.screen.colors;
  }

  /** What the learner must achieve, shown instead of the command. */
  goal(ctx: StepContext): string {
    const c = this.c;
    const { step } = ctx;
    const out: string[] = [];
    const by = ctx.verifiedBy;
    if (by.includes("check")) out.push(`  ${c.bold("goal:")} ${visible(goalOf(step))}`);
    if (by.includes("question")) out.push(`  ${c.bold("then answer:")} ${visible(step.question!.ask)} ${c.dim("(:answer TEXT)")}`);
    if (by.includes("output")) {
      out.push(
        `  ${c.bold("goal:")} make the ${visible(step.terminal)} terminal print what the book recorded${step.exit !== 0 && step.exit !== "any" ? ` (and end with exit status ${step.exit})` : ""}:`,
      );
      out.push(this.screen.recorded(ctx.recorded(), "the book's output").replace(/\n$/, ""));
    }
    return `${out.join("\n")}\n`;
  }

  /** The learner types the step until it is verified, or chooses another way on. */
  async step(ctx: StepContext): Promise<StepDecision> {
    const c = this.c;
    this.io.out(`${this.screen.stepBox(ctx.chapter, ctx.step, { command: false, note: "type it yourself" })}${this.goal(ctx)}`);
    if (!this.keysShown) {
      this.io.out(c.dim(`  keys: ${KEYS.map(([k]) => k).join("  ")}\n`));
      this.keysShown = true;
    }
    const hints = hintsFor(ctx.step);
    let given = 0;
    for (;;) {
      const a = await this.lines.read({
        prompt: `${c.bold(`${ctx.step.terminal} $`)} `,
        needsMore,
        continuation: c.dim("> "),
        signal: ctx.signal,
        notice: ctx.typed.length > 0 && ctx.step.check ? { everyMs: NOTICE_EVERY_MS, check: () => this.noticed(ctx) } : undefined,
      });
      if (a.kind === "aborted") return "quit";
      if (a.kind === "noticed") return this.done(ctx, a.message);
      if (a.kind === "interrupt") return this.lines.interruptRun(); // Ctrl-C at the prompt stops the run, as in run
      if (a.kind === "eof" && this.lines.gone) return this.lines.hangUp();
      if (a.kind === "eof") {
        const quit = !this.lines.tty || (await this.lines.confirm(c.yellow("quit practising (everything the run made is removed)? [y/N] "), ctx.signal));
        if (quit) return "quit";
        continue;
      }
      const text = a.text;
      if (text.trim() === "") continue;
      if (text.trim() === "?" || text.trim() === ":help") {
        this.io.out(`${KEYS.map(([k, what]) => `  ${c.bold(k.padEnd(13))} ${what}`).join("\n")}\n`);
        continue;
      }
      if (text.trimStart().startsWith(":")) {
        const decision = await this.command(ctx, text.trim(), hints, given);
        if (decision === "hint") given++;
        else if (decision !== undefined) return decision;
        continue;
      }
      const verdict = await this.typeOne(ctx, text);
      if (verdict?.passed) return this.done(ctx, "verified");
    }
  }

  /** A `:` command; "hint" when a hint was given, a decision when the step is over. */
  private async command(ctx: StepContext, text: string, hints: string[], given: number): Promise<StepDecision | "hint" | undefined> {
    const c = this.c;
    const [word, ...rest] = text.split(/\s+/);
    switch (word) {
      case ":hint":
        this.io.out(
          given < hints.length ? `  ${c.yellow("hint:")} ${visible(hints[given]!)}\n` : `  ${c.dim("no more hints: :show shows the book's command")}\n`,
        );
        return given < hints.length ? "hint" : undefined;
      case ":show":
        this.io.out(`${this.screen.stepBox(ctx.chapter, ctx.step, { command: true, note: "the book's command" })}`);
        return undefined;
      case ":run":
        this.io.out(c.dim("  the book runs this step\n"));
        return "run";
      case ":skip":
        return "skip";
      case ":quit":
        return "quit";
      case ":check": {
        const v = await ctx.verify();
        if (v.passed) return this.done(ctx, "verified");
        this.io.out(this.whyNot(ctx, v, true));
        return undefined;
      }
      case ":answer":
        return this.answer(ctx, rest.join(" "));
      case ":glossary":
        this.io.out(this.glossary(rest.join(" ")));
        return undefined;
      default:
        this.io.out(`  ${c.yellow(`${visible(word ?? "")} is not a key here`)}: ${KEYS.map(([k]) => k.split(" ")[0]).join(" ")} (? says what each does)\n`);
        return undefined;
    }
  }

  private async answer(ctx: StepContext, given: string): Promise<StepDecision | undefined> {
    const c = this.c;
    if (!ctx.step.question) {
      this.io.out(c.dim("  this step asks no question\n"));
      return undefined;
    }
    if (given.trim() === "") {
      this.io.out(c.dim(`  answer with :answer TEXT (the question: ${visible(ctx.step.question.ask)})\n`));
      return undefined;
    }
    const r = await ctx.answer(given);
    if (r.problem) {
      this.io.out(`  ${c.red("the book cannot check the answer now:")} ${visible(r.problem)}\n`);
      return undefined;
    }
    if (!r.right) {
      this.io.out(`  ${c.red("✗ not the answer")}: look at the live system again (:hint helps)\n`);
      return undefined;
    }
    const v = await ctx.verify();
    if (v.passed) return this.done(ctx, "answered");
    this.io.out(`  ${c.green("✓ right")}; ${this.whyNot(ctx, v, false).trim()}\n`);
    return undefined;
  }

  /** Runs one typed command in the step's terminal, shows how it ended, and verifies the step. */
  private async typeOne(ctx: StepContext, text: string): Promise<Verification | undefined> {
    const c = this.c;
    let last = "\n";
    const onOutput = (s: string) => {
      last = s;
      this.io.out(visible(s));
    };
    // While it runs, Ctrl-C stops the command (and only it), as in a shell.
    this.guard.onInterrupt = () => void ctx.interrupt();
    let t: TypedCommand;
    try {
      t = await ctx.type(text, onOutput);
    } finally {
      this.guard.onInterrupt = undefined;
    }
    if (!last.endsWith("\n")) this.io.out("\n");
    if (t.readInput)
      this.io.out(c.yellow("  it read the terminal's input, which carries consh-book's own commands: it was stopped (give such programs < /dev/null)\n"));
    if (t.terminalEnded) {
      this.io.out(
        c.red(
          `  the ${visible(ctx.step.terminal)} terminal's shell ended (${visible(t.terminalEnded)}): what it held (variables, a container) is gone; a new shell starts with your next command, or :run lets the book do the step\n`,
        ),
      );
      return undefined;
    }
    if (t.status !== undefined && t.status !== 0) this.io.out(c.dim(`  (exit ${t.status})\n`));
    const v = await ctx.verify();
    if (!v.passed) this.io.out(this.whyNot(ctx, v, false));
    return v;
  }

  /** What is still missing, in a line or two; `asked` (":check") also says it for an output step. */
  private whyNot(ctx: StepContext, v: Verification, asked: boolean): string {
    const c = this.c;
    const out: string[] = [];
    if (v.noRecording) out.push("the book has no recorded output for this step to compare with: :run lets the book run it");
    if (v.check && !v.check.passed) out.push(`not yet: ${v.check.reason || "the check found the state not as the step leaves it"}`);
    if (v.output === false && asked) out.push("not yet: what your commands printed is not what the book recorded (above); the last commands' output counts");
    if (v.unanswered && (asked || ctx.typed.length === 1)) out.push(`now answer: ${ctx.step.question!.ask} (:answer TEXT)`);
    return out.length === 0 ? "" : `${out.map((l) => `  ${c.dim(visible(l))}`).join("\n")}\n`;
  }

  /** Polled while the prompt waits: a message once the step's check passes. */
  private async noticed(ctx: StepContext): Promise<string | undefined> {
    const v = await ctx.verify();
    return v.passed ? "noticed" : undefined;
  }

  /** The step is verified; the run's report says so (✓). A check that passed while the learner was thinking is said here. */
  private done(_ctx: StepContext, how: string): StepDecision {
    if (how === "noticed") this.io.out(this.c.dim("\n  (the check passes now)\n"));
    return "typed";
  }
}

/** A check's goal: its leading comment lines, else a plain sentence. */
export function goalOf(step: Step): string {
  const comments: string[] = [];
  for (const l of (step.check?.text ?? "").split("\n")) {
    const m = /^\s*#\s?(.*)$/.exec(l);
    if (!m) break;
    comments.push(m[1]!);
  }
  return comments.length > 0 ? comments.join(" ").trim() : `do what the text above describes, in the ${step.terminal} terminal`;
}
