// Reads what the learner types at a prompt: on a terminal a line at a time with
// editing and history (node:readline), Ctrl-C and Ctrl-D told apart; from a pipe
// one line at a time. A line whose shell syntax is not complete yet gets a
// continuation prompt, as a shell would give.

import { createInterface, type Interface } from "node:readline";
import type { Readable, Writable } from "node:stream";

type Answer =
  | { kind: "line"; text: string }
  /** Ctrl-D at an empty prompt, or the end of piped input. */
  | { kind: "eof" }
  /** Ctrl-C at the prompt. */
  | { kind: "interrupt" }
  /** `notice` (e.g. a passing check) ended the prompt with this message. */
  | { kind: "noticed"; message: string }
  /** The run is being stopped (a signal). */
  | { kind: "aborted" };

interface ReadOptions {
  prompt: string;
  /** Whether the lines so far still need another one (an open quote, `if` without `fi`). */
  needsMore?: (text: string) => boolean;
  /** The prompt for a continuation line (a shell's PS2). */
  continuation?: string;
  signal?: AbortSignal;
  /** Looked at every `everyMs` while the prompt is empty; a message ends the prompt. */
  notice?: { everyMs: number; check: () => Promise<string | undefined> };
}

type Input = Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => void };

export class LineReader {
  private readonly history: string[] = [];
  /** Lines read from a pipe and not yet taken. */
  private readonly queued: string[] = [];
  private ended = false;
  private piped: Interface | undefined;
  private wake: (() => void) | undefined;

  /** `ends` stops the run as SIGINT or SIGHUP would (the session's own signal handler): Ctrl-C at a prompt, a terminal gone. */
  constructor(
    private readonly input: Input,
    private readonly output: Writable,
    private readonly ends: { interrupt(): void; hangUp(): void },
  ) {
    // A terminal that closed (EIO: the window, the SSH connection) ends the input; it is not a crash.
    input.on("error", () => {
      this.ended = true;
      this.hungUp = true;
      const w = this.wake;
      this.wake = undefined;
      w?.();
      for (const f of this.onHangUp.splice(0)) f();
    });
  }

  /** The terminal is gone: every prompt ends as at the end of input. */
  private hungUp = false;
  private readonly onHangUp: (() => void)[] = [];

  /** Whether the terminal is gone (closed window, lost connection). */
  get gone(): boolean {
    // On a terminal the input ends only when the terminal is gone (Ctrl-D is a key there).
    return this.hungUp || (this.tty && (this.input.readableEnded || this.input.destroyed));
  }

  /**
   * The terminal is gone: end the run as a hung-up program ends (SIGHUP, which
   * the session tears down on), never as a learner who chose to quit. Never resolves.
   */
  hangUp(): Promise<never> {
    this.ends.hangUp();
    return new Promise(() => {});
  }

  /** Ctrl-C at a prompt: the run is stopped as by SIGINT (the session tears it down). Never resolves. */
  interruptRun(): Promise<never> {
    this.ends.interrupt();
    return new Promise(() => {});
  }

  get tty(): boolean {
    return this.input.isTTY === true && typeof this.input.setRawMode === "function";
  }

  /** One command (several lines when it continues), or what ended the prompt. */
  async read(o: ReadOptions): Promise<Answer> {
    let text = "";
    let prompt = o.prompt;
    for (;;) {
      const a = await (this.tty ? this.readTty(prompt, o, text === "") : this.readPiped(prompt, o.signal));
      if (a.kind !== "line") return text !== "" && a.kind === "eof" ? { kind: "line", text } : a;
      text = text === "" ? a.text : `${text}\n${a.text}`;
      if (!o.needsMore?.(text)) return { kind: "line", text };
      prompt = o.continuation ?? "> ";
    }
  }

  /** A yes/no question; true only for y or yes. */
  async confirm(question: string, signal?: AbortSignal): Promise<boolean> {
    const a = await this.read({ prompt: question, signal });
    return a.kind === "line" && /^\s*y(es)?\s*$/i.test(a.text);
  }

  private readTty(prompt: string, o: ReadOptions, first: boolean): Promise<Answer> {
    if (this.gone) return Promise.resolve({ kind: "eof" });
    return new Promise((resolve) => {
      const rl = createInterface({ input: this.input, output: this.output, terminal: true, history: [...this.history], historySize: 500 });
      let done = false;
      let timer: NodeJS.Timeout | undefined;
      let ended = () => {};
      const finish = (a: Answer) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        ended();
        o.signal?.removeEventListener("abort", onAbort);
        try {
          rl.close(); // restores the terminal's mode: EIO when it is gone
        } catch {
          // the terminal is gone: nothing to restore
        }
        resolve(a);
      };
      // A terminal that went away (EIO) ends the prompt; it must not crash the run, whose teardown is still to come.
      rl.on("error", () => finish({ kind: "eof" }));
      const onAbort = () => finish({ kind: "aborted" });
      rl.on("line", (line) => {
        if (line.trim() !== "" && this.history[0] !== line) this.history.unshift(line);
        finish({ kind: "line", text: line });
      });
      rl.on("SIGINT", () => finish({ kind: "interrupt" }));
      rl.on("close", () => finish({ kind: "eof" }));
      const onEnd = () => finish({ kind: "eof" });
      this.input.once("end", onEnd);
      const onHangUp = () => finish({ kind: "eof" });
      this.onHangUp.push(onHangUp);
      ended = () => {
        this.input.off("end", onEnd);
        const at = this.onHangUp.indexOf(onHangUp);
        if (at >= 0) this.onHangUp.splice(at, 1);
      };
      o.signal?.addEventListener("abort", onAbort, { once: true });
      if (o.signal?.aborted) onAbort();
      const poll = () => {
        timer = setTimeout(async () => {
          if (done) return;
          const message = rl.line === "" && first ? await o.notice!.check() : undefined;
          if (done) return;
          if (message === undefined) return poll();
          this.output.write("\r\u001b[K");
          finish({ kind: "noticed", message });
        }, o.notice!.everyMs);
      };
      if (o.notice) poll();
      rl.setPrompt(prompt);
      rl.prompt();
    });
  }

  private readPiped(prompt: string, signal?: AbortSignal): Promise<Answer> {
    this.output.write(prompt);
    this.piped ??= this.listen();
    return new Promise((resolve) => {
      const take = () => {
        if (signal?.aborted) return resolve({ kind: "aborted" });
        const line = this.queued.shift();
        if (line !== undefined) {
          this.output.write("\n");
          return resolve({ kind: "line", text: line });
        }
        if (this.ended) return resolve({ kind: "eof" });
        this.wake = take;
      };
      signal?.addEventListener("abort", () => this.wake?.(), { once: true });
      take();
    });
  }

  /** Queues the lines of a pipe as they come (one interface for the whole run: none is lost). */
  private listen(): Interface {
    const rl = createInterface({ input: this.input, terminal: false });
    rl.on("line", (line) => {
      this.queued.push(line);
      const w = this.wake;
      this.wake = undefined;
      w?.();
    });
    rl.on("close", () => {
      this.ended = true;
      const w = this.wake;
      this.wake = undefined;
      w?.();
    });
    return rl;
  }

  /** Lets go of a pipe (at the end of the run), so that the process can end. */
  close(): void {
    this.piped?.close();
    this.input.pause();
  }
}
