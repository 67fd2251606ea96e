// The live status line on a terminal: while a step runs, one line with its
// chapter, step, terminal and elapsed time, redrawn in place; erased before the
// step's result line is printed. Only for a terminal, never in CI (the caller decides).

import type { RunEvent } from "./results.js";
import type { Colors } from "../util/colors.js";

interface StatusLineOptions {
  write: (text: string) => void;
  colors: Colors;
  /** The terminal's width now (the line is cut to fit, so it never wraps). */
  columns: () => number;
  now?: () => number;
  /** How long a step runs before the line appears (quick steps never flicker). */
  delayMs?: number;
  /** How often the line is redrawn. */
  intervalMs?: number;
}

/** Carriage return, then erase the whole line. */
export const ERASE_LINE = "\r\u001b[2K";

export function whenAllowed(o: { stdoutIsTTY: boolean; env: NodeJS.ProcessEnv }): boolean {
  const ci = o.env.CI !== undefined && o.env.CI !== "" && o.env.CI !== "false" && o.env.CI !== "0";
  return o.stdoutIsTTY && !ci && o.env.TERM !== "dumb";
}

const elapsed = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export class StatusLine {
  private timer: NodeJS.Timeout | undefined;
  private drawn = false;
  private started = 0;
  private text = "";
  private readonly now: () => number;

  constructor(private readonly o: StatusLineOptions) {
    this.now = o.now ?? (() => performance.now());
  }

  /** Feed it every run event; it draws between step-start and the next event. */
  handle(e: RunEvent): void {
    this.clear();
    if (e.type !== "step-start") return;
    this.text = `${e.chapter.id} · step ${e.step.id} · terminal ${e.step.terminal}`;
    this.started = this.now();
    const first = setTimeout(() => {
      this.draw();
      this.timer = setInterval(() => this.draw(), this.o.intervalMs ?? 150);
      this.timer.unref();
    }, this.o.delayMs ?? 200);
    first.unref();
    this.timer = first;
  }

  /** The line as it is drawn now (without the erase sequence). */
  line(): string {
    const c = this.o.colors;
    const plain = `  … ${this.text} · ${elapsed(this.now() - this.started)}`;
    const width = Math.max(this.o.columns() - 1, 10);
    const cut = plain.length > width ? `${plain.slice(0, width - 1)}…` : plain;
    return c.dim(cut);
  }

  private draw(): void {
    this.o.write(`${ERASE_LINE}${this.line()}`);
    this.drawn = true;
  }

  /** Stops redrawing and erases the line if it is on the screen. */
  clear(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      clearInterval(this.timer);
      this.timer = undefined;
    }
    if (this.drawn) {
      this.o.write(ERASE_LINE);
      this.drawn = false;
    }
  }
}
