// One named, long-lived shell that runs a chapter's steps in order ("a terminal").

import { execa, type ResultPromise } from "execa";
import { StringDecoder } from "node:string_decoder";
import { MarkerProtocol, type StepReader } from "./marker.js";
import { isBackgroundJob, isRunning, killTree, parentMap, signalAll, stdinReader, treeOf, type Escalate } from "./process-tree.js";
import { sleep } from "../util/sleep.js";

export interface TerminalOptions {
  name: string;
  cwd: string;
  env: Record<string, string>;
  /** The shell and its arguments; it reads commands from stdin. */
  shell: readonly string[];
  /** How to signal processes the runner may not signal itself. */
  escalate?: Escalate;
}

export type StepOutcome =
  /** `readInput`: the command read the terminal's input and was stopped (RunRequest.keepOnInputRead). */
  | { kind: "done"; output: string; status: number; durationMs: number; readInput?: boolean }
  | { kind: "timeout"; output: string; durationMs: number }
  | { kind: "exited"; output: string; status: string; durationMs: number }
  /** The step read the terminal's stdin and so ate the runner's end command; the terminal was killed. */
  | { kind: "consumed-input"; output: string; durationMs: number };

export interface RunRequest {
  text: string;
  timeoutMs: number;
  /** Start the text in the background and return at once; output is discarded. */
  background?: boolean;
  /** Gets the output as it arrives (never the protocol's own text). */
  onOutput?: (text: string) => void;
  /**
   * A command that reads the terminal's input (which carries the runner's
   * commands) is stopped and the terminal kept, instead of killing the terminal:
   * for commands a learner types, whose terminal holds their work.
   */
  keepOnInputRead?: boolean;
}

/** What the runner needs of a terminal: the real one below, or a fake in the runner's unit tests. */
export interface StepTerminal {
  readonly name: string;
  readonly pid: number;
  readonly alive: boolean;
  run(request: RunRequest): Promise<StepOutcome>;
  /** Stops what the terminal's shell runs now (SIGINT to the shell's children, as Ctrl-C would); the shell and its state stay. */
  interrupt(): Promise<void>;
  /** Kills the shell and everything it started; returns their PIDs. */
  kill(): Promise<number[]>;
}

/** Starts a terminal (Terminal.start, or a fake). */
export type StartTerminal = (options: TerminalOptions) => StepTerminal;

type Waiter = () => void;

/** How long the end marker may lag behind the echoed END command before the step counts as having eaten it. */
const EATEN_GRACE_MS = 1000;

export class Terminal implements StepTerminal {
  readonly name: string;
  private readonly protocol = new MarkerProtocol();
  private readonly decoder = new StringDecoder("utf8");
  private readonly escalate: Escalate | undefined;
  /** The current step's output reader; output between steps is dropped. */
  private reader: StepReader | undefined;
  private seq = 0;
  /** The shell that reads this terminal's commands, as it was when the current step started. */
  private shell: number;
  private exitStatus: string | undefined;
  private waiter: Waiter | undefined;
  private readonly exitWaiters: Waiter[] = [];
  private readonly subprocess: ResultPromise;
  readonly pid: number;

  private constructor(options: TerminalOptions) {
    this.name = options.name;
    this.escalate = options.escalate;
    const [file, ...args] = options.shell;
    this.subprocess = execa(file!, args, {
      cwd: options.cwd,
      env: options.env,
      extendEnv: false,
      stdin: "pipe",
      stdout: "pipe",
      // stderr is joined to stdout by the shell itself (exec 2>&1 below), so the
      // two streams keep the order a terminal would show them in.
      stderr: "ignore",
      buffer: false,
      reject: false,
      detached: true,
      cleanup: false,
    });
    if (this.subprocess.pid === undefined) {
      throw new Error(`could not start ${options.shell.join(" ")} for terminal ${options.name}`);
    }
    this.pid = this.subprocess.pid;
    this.shell = this.pid;
    this.subprocess.stdout!.on("data", (chunk: Buffer) => {
      const text = this.decoder.write(chunk);
      if (text !== "") this.reader?.push(text);
      this.waiter?.();
    });
    this.subprocess.stdin!.on("error", () => {
      // EPIPE once the shell is gone; the exit handler reports it.
    });
    // 'exit', not the promise: a process that inherited the pipe may keep it open.
    this.subprocess.once("exit", (code, signal) => {
      this.exitStatus = signal ? `killed by ${signal}` : `exit status ${code ?? "?"}`;
      this.waiter?.();
      for (const w of this.exitWaiters.splice(0)) w();
    });
    void this.subprocess.catch(() => undefined);
  }

  /** Starts the shell in `cwd`; fd 2 is made fd 1 before anything else runs. */
  static start(options: TerminalOptions): Terminal {
    const t = new Terminal(options);
    t.write("exec 2>&1\n");
    return t;
  }

  get alive(): boolean {
    return this.exitStatus === undefined;
  }

  private write(text: string): void {
    if (this.alive) this.subprocess.stdin!.write(text);
  }

  /** Waits until `check` returns a value, the shell exits, or `deadline` passes. */
  private waitFor<T>(check: () => T | undefined, deadline: number): Promise<T | "exited" | "timeout"> {
    return new Promise((resolve) => {
      let done = false;
      const finish = (v: T | "exited" | "timeout") => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        clearInterval(tick);
        this.waiter = undefined;
        resolve(v);
      };
      const poll = () => {
        const v = check();
        if (v !== undefined) finish(v);
        else if (!this.alive) finish("exited");
      };
      this.waiter = poll;
      const timer = setTimeout(() => finish("timeout"), Math.max(deadline - Date.now(), 0));
      // Also on a clock: some ends (an eaten END command) show as silence.
      const tick = setInterval(poll, 250);
      poll();
    });
  }

  /** Runs one step and reports how it ended. Never throws for the step's own failures. */
  async run(request: RunRequest): Promise<StepOutcome> {
    const started = performance.now();
    const deadline = Date.now() + request.timeoutMs;
    const elapsed = () => Math.round((performance.now() - started) * 100) / 100;
    const seq = ++this.seq;
    // After an exec the shell that reads the commands is another process (the container's).
    this.shell = stdinReader(this.pid);
    // Anything left from before this step (late output of an earlier one) is dropped.
    const reader = this.protocol.reader(seq, request.onOutput);
    this.reader = reader;
    const text = request.background ? `{\n${request.text}} </dev/null >/dev/null 2>&1 &\n` : request.text;
    this.write(this.protocol.ackCommand(seq) + text);

    const start = await this.waitFor(() => (reader.hasAck ? true : undefined), deadline);
    if (start === "timeout" || start === "exited") return this.failed(start, reader, elapsed());

    this.write(this.protocol.endCommand(seq));
    let readInput = false;
    for (;;) {
      const end = await this.waitForEnd(reader, deadline);
      if (end === "consumed-input" && request.keepOnInputRead) {
        // The command ate the end command: stop it, and say the end again to the shell.
        readInput = true;
        reader.forgetConsumedInput();
        await this.interrupt();
        this.write(this.protocol.endCommand(seq));
        continue;
      }
      if (end === "timeout" || end === "exited" || end === "consumed-input") return this.failed(end, reader, elapsed());
      this.reader = undefined;
      return { kind: "done", output: end.output, status: end.status, durationMs: elapsed(), ...(readInput ? { readInput } : {}) };
    }
  }

  /** Waits for the step's end marker; a step that printed the END command back has eaten it. */
  private waitForEnd(reader: StepReader, deadline: number) {
    let eatenAt: number | undefined;
    return this.waitFor(() => {
      if (reader.end) return reader.end;
      if (!reader.consumedInput) return undefined;
      eatenAt ??= Date.now();
      return Date.now() - eatenAt >= EATEN_GRACE_MS ? ("consumed-input" as const) : undefined;
    }, deadline);
  }

  /**
   * SIGINT to what the shell runs in the foreground (its descendants that are not
   * background jobs: see isBackgroundJob), then SIGKILL to those that are still
   * there (a command that inherited an ignored SIGINT); never the shell itself.
   */
  async interrupt(): Promise<void> {
    const shell = this.shell;
    const children = () => {
      const parents = parentMap();
      return treeOf([shell], parents).filter((p) => p !== shell && isRunning(p) && !isBackgroundJob(p, shell, parents));
    };
    signalAll(children(), "SIGINT");
    for (let i = 0; i < 40 && children().length > 0; i++) await sleep(25);
    const stubborn = children();
    if (stubborn.length === 0) return;
    const denied = signalAll(stubborn, "SIGKILL");
    if (denied.length > 0 && this.escalate) await this.escalate(denied, "KILL");
  }

  private async failed(how: "timeout" | "exited" | "consumed-input", reader: StepReader, durationMs: number): Promise<StepOutcome> {
    if (how !== "exited") {
      const output = reader.strip(reader.text());
      this.reader = undefined;
      await this.kill();
      return how === "timeout" ? { kind: "timeout", output, durationMs } : { kind: "consumed-input", output, durationMs };
    }
    // Let the pipe deliver what the shell printed last (it ends unless a child still holds it).
    await this.stdoutEnded(200);
    this.reader = undefined;
    return { kind: "exited", output: reader.strip(reader.text()), status: this.exitStatus ?? "ended", durationMs };
  }

  private stdoutEnded(ms: number): Promise<void> {
    const out = this.subprocess.stdout!;
    if (out.readableEnded || out.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      out.once("end", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Resolves once the shell process has exited, or after `ms`. */
  private exited(ms: number): Promise<void> {
    if (!this.alive) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.exitWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Kills the shell and everything it started (SIGKILL, frozen first); returns their PIDs. */
  async kill(): Promise<number[]> {
    const killed = this.alive ? await killTree(this.pid, this.escalate) : [];
    this.subprocess.stdin!.destroy();
    this.subprocess.stdout!.destroy();
    await this.exited(2000);
    return killed;
  }
}
