// The salted end-of-step protocol spoken with a terminal's shell (bash, dash, busybox ash).
//
// For step N the runner writes `ACK(N)` followed by the step text. When the
// shell prints the ack, it has read what came before the step (and a shell that
// reads in blocks has the whole step), so the runner only then writes `END(N)`.
// That is why a step may `exec` into another shell: END(N) is still in the pipe
// for the new shell to read, not lost in the old shell's buffer. END(N) prints
// a newline, the salted tag, N and `$?`, the step's exit status. The tag never
// appears in the command text in one piece, so echoed input (set -v) cannot
// fake it.

import { randomBytes } from "node:crypto";
import { shellQuote } from "../host/quote.js";

export interface StepEnd {
  /** Output between the ack and the end marker, the marker's own newline removed. */
  output: string;
  status: number;
  /** Index in the buffer just past the end marker. */
  next: number;
}

export class MarkerProtocol {
  readonly tag: string;

  constructor(salt: string = randomBytes(9).toString("base64url").replace(/[-_]/g, "x")) {
    this.tag = `CONSH${salt}`;
  }

  ackCommand(seq: number): string {
    return `printf '%s:%s:ack\\n' ${shellQuote(this.tag)} ${seq}\n`;
  }

  endCommand(seq: number): string {
    return `printf '\\n%s:%s:%s\\n' ${shellQuote(this.tag)} ${seq} "$?"\n`;
  }

  /** Index just past the ack line of step `seq`, or -1. */
  findAck(buffer: string, seq: number, from = 0): number {
    const needle = `${this.tag}:${seq}:ack\n`;
    const at = buffer.indexOf(needle, from);
    return at < 0 ? -1 : at + needle.length;
  }

  /** The step's output and status if the end marker of `seq` is in `buffer` after `start`. */
  findEnd(buffer: string, seq: number, start: number): StepEnd | undefined {
    const needle = `\n${this.tag}:${seq}:`;
    const at = buffer.indexOf(needle, start);
    if (at < 0) return undefined;
    const statusStart = at + needle.length;
    const nl = buffer.indexOf("\n", statusStart);
    if (nl < 0) return undefined;
    const status = Number(buffer.slice(statusStart, nl));
    // The marker's leading newline belongs to the protocol, not to the output.
    const output = buffer.slice(start, at);
    return { output, status: Number.isFinite(status) ? status : -1, next: nl + 1 };
  }
}
