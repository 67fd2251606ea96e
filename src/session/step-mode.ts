// Step mode (`run --step`) and practice (`practice`): the whole chapter on
// screen, block by block; before each step the prose that leads to it, and a
// prompt that forgives: a key acts only as a whole line (Enter alone runs the
// step), anything else typed is said back, never run.

import type { Chapter, Step } from "../book/model.js";
import { segmentsOf } from "../prose/segments.js";
import type { StepDecision } from "../run/runner.js";
import type { StepContext } from "../run/step-context.js";
import type { Section } from "../snapshot/format.js";
import type { Io } from "../util/io.js";
import { visible } from "../util/visible.js";
import type { LineReader } from "./line-reader.js";
import type { Practice } from "./practice.js";
import type { Screen } from "./screen.js";

const KEYS: [string, string][] = [
  ["Enter", "run the step"],
  ["t", "type it yourself: the book checks what you do"],
  ["s", "skip it"],
  ["o", "open a shell in this step's terminal now (exit to come back)"],
  ["b", "back: show the previous step again"],
  ["r", "run the previous step again"],
  ["g TERM", "the glossary: what a word of the book means (g alone: every term)"],
  ["?", "these keys"],
  ["q", "quit (everything the run made is removed)"],
];

/** The last step shown, for b and r. */
interface Shown {
  chapter: Chapter;
  step: Step;
  output: string | undefined;
}

export class StepMode {
  private previous: Shown | undefined;

  constructor(
    private readonly io: Io,
    private readonly screen: Screen,
    private readonly lines: LineReader,
    private readonly practice: Practice,
    private readonly openShell: (ctx: StepContext) => Promise<void>,
    /** Practice mode: every step is typed by the learner. */
    private readonly practising: boolean,
    /** The glossary's entry for a term (all of it without one), or what to do when there is none. */
    private readonly glossary: (term: string) => string,
  ) {}

  /** The prose that leads to `step` (after the step before it), paged. */
  private async lead(chapter: Chapter, step: Step): Promise<void> {
    const segment = segmentsOf(chapter).find((s) => s.step === step);
    this.io.out(this.screen.rule());
    await this.screen.page(this.screen.prose(chapter, segment?.prose ?? []) + this.screen.figuresBefore(chapter, step), () => this.more());
  }

  private async more(): Promise<boolean> {
    const a = await this.lines.read({ prompt: this.screen.colors.dim("-- more: Enter goes on, q skips the rest -- ") });
    return !(a.kind === "line" && a.text.trim() === "q") && a.kind === "line";
  }

  /** Before each step of a requested chapter. */
  async before(ctx: StepContext): Promise<StepDecision> {
    const { chapter, step } = ctx;
    await this.lead(chapter, step);
    if (this.practising) {
      this.io.out("\n");
      return this.practice.step(ctx);
    }
    this.io.out(`\n${this.screen.stepBox(chapter, step, { command: true })}`);
    for (;;) {
      const c = this.screen.colors;
      const a = await this.lines.read({ prompt: c.bold("\n[Enter] run it   t type it yourself   s skip   ? more keys   q quit "), signal: ctx.signal });
      if (a.kind === "aborted") return "quit";
      if (a.kind === "interrupt") return this.lines.interruptRun();
      if (a.kind === "eof") return this.lines.gone ? this.lines.hangUp() : "quit";
      if (a.kind === "noticed") continue;
      const key = a.text.trim();
      const decision = await this.key(ctx, key);
      if (decision !== undefined) return decision;
    }
  }

  /** What one line at the step prompt does; undefined: ask again. */
  private async key(ctx: StepContext, key: string): Promise<StepDecision | undefined> {
    const c = this.screen.colors;
    if (/^g(\s|$)/i.test(key)) {
      this.io.out(this.glossary(key.slice(1).trim()));
      return undefined;
    }
    switch (key.toLowerCase()) {
      case "":
        return "run";
      case "t":
        return this.practice.step(ctx);
      case "s":
        return "skip";
      case "q":
        return "quit";
      case "o":
        await this.openShell(ctx);
        return undefined;
      case "b":
        this.back(ctx);
        return undefined;
      case "r":
        await this.again(ctx);
        return undefined;
      case "?":
        this.io.out(`${KEYS.map(([k, what]) => `  ${c.bold(k.padEnd(6))} ${what}`).join("\n")}\n`);
        return undefined;
      default:
        this.io.out(
          `  ${c.yellow(`'${visible(key)}' is not one of the keys`)}: nothing was run. To type the step yourself press t, for a shell of your own o; ? lists the keys.\n`,
        );
        return undefined;
    }
  }

  private back(ctx: StepContext): void {
    const p = this.previous;
    if (!p) {
      this.io.out(this.screen.colors.dim("  this is the first step\n"));
      return;
    }
    const segment = segmentsOf(p.chapter).find((s) => s.step === p.step);
    this.io.out(
      `${this.screen.rule()}${this.screen.prose(p.chapter, segment?.prose ?? [])}\n${this.screen.stepBox(p.chapter, p.step, { command: true, note: "the previous step" })}`,
    );
    if (p.output !== undefined) this.io.out(`${visible(p.output)}${p.output.endsWith("\n") || p.output === "" ? "" : "\n"}`);
    this.io.out(this.screen.rule());
    this.io.out(this.screen.stepBox(ctx.chapter, ctx.step, { command: true }));
  }

  private async again(ctx: StepContext): Promise<void> {
    const p = this.previous;
    if (!p) {
      this.io.out(this.screen.colors.dim("  there is no previous step to run again\n"));
      return;
    }
    this.io.out(this.screen.colors.dim(`  running ${p.step.id} again (terminal ${p.step.terminal}; nothing is compared):\n`));
    const r = await ctx.runAgain(p.step, (s) => this.io.out(visible(s)));
    if (r.status !== undefined && r.status !== 0) this.io.out(this.screen.colors.dim(`  (exit ${r.status})\n`));
  }

  /** A step this host skips: its text and what it would have shown, marked as such. */
  async hostSkip(chapter: Chapter, step: Step, reason: string, recorded: Section | undefined): Promise<void> {
    await this.lead(chapter, step);
    this.io.out(`\n${this.screen.stepBox(chapter, step, { command: true, note: "skipped on this host" })}`);
    this.io.out(this.screen.colors.yellow(`  this host skips it: ${visible(reason)}\n`));
    this.io.out(this.screen.recorded(recorded, "what it shows where it runs (recorded output)"));
  }

  /** The chapter's closing prose, after its last step. */
  closing(chapter: Chapter): void {
    const last = segmentsOf(chapter).at(-1);
    if (last && last.prose.length > 0) this.io.out(`${this.screen.rule()}${this.screen.prose(chapter, last.prose)}`);
  }

  /** Remembers the step that just ran (for b and r), with what it printed. */
  ran(chapter: Chapter, step: Step, output: string | undefined): void {
    this.previous = { chapter, step, output };
  }
}
