// Reads one answer from the learner: a key on a terminal, a line from a pipe.

import type { Readable } from "node:stream";

export class KeyReader {
  private buffer = "";
  private ended = false;

  constructor(private readonly input: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => void }) {
    input.on("end", () => {
      this.ended = true;
    });
    // A terminal that closed (EIO) ends the input; it is not a crash.
    input.on("error", () => {
      this.ended = true;
      input.emit("end");
    });
  }

  /** One key (TTY) or the first character of one line (pipe); "" for Enter, "\u0004" at end of input. */
  read(): Promise<string> {
    const tty = this.input.isTTY === true && typeof this.input.setRawMode === "function";
    return new Promise((resolve) => {
      const take = (): boolean => {
        if (tty) {
          if (this.buffer.length === 0) {
            if (!this.ended) return false;
            resolve("\u0004");
            return true;
          }
          const key = this.buffer[0]!;
          this.buffer = this.buffer.slice(1);
          resolve(key === "\r" || key === "\n" ? "" : key);
          return true;
        }
        const nl = this.buffer.indexOf("\n");
        if (nl < 0) {
          if (this.ended) {
            resolve("\u0004");
            return true;
          }
          return false;
        }
        const line = this.buffer.slice(0, nl).trim();
        this.buffer = this.buffer.slice(nl + 1);
        resolve(line.slice(0, 1));
        return true;
      };
      if (take()) return;
      const onData = (d: Buffer) => {
        this.buffer += d.toString();
        if (take()) done();
      };
      const onEnd = () => {
        if (take()) done();
      };
      const done = () => {
        this.input.off("data", onData);
        this.input.off("end", onEnd);
        try {
          if (tty) this.input.setRawMode!(false);
        } catch {
          // the terminal is gone (hung up): nothing to restore
        }
        this.input.pause();
      };
      if (tty) this.input.setRawMode!(true);
      this.input.on("data", onData);
      this.input.on("end", onEnd);
      this.input.resume();
    });
  }
}
