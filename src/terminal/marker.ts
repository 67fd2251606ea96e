// The salted end-of-step protocol spoken with a terminal's shell (bash, dash, busybox ash).
//
// For step N the runner writes `ACK(N)` followed by the step text. When the
// shell prints the ack, it has read what came before the step (and a shell that
// reads in blocks has the whole step), so the runner only then writes `END(N)`.
// That is why a step may `exec` into another shell: END(N) is still in the pipe
// for the new shell to read, not lost in the old shell's buffer. END(N) prints
// a newline, the salted tag, N and the step's exit status. The tag never
// appears in the command text in one piece, so echoed input (set -v) cannot
// fake it.
//
// The protocol never shows in a step's output: END(N) saves `$?` and the
// shell's flags and turns off `set -x`/`set -v` inside a group whose stderr is
// /dev/null (so not even that is traced), prints the marker, then puts the
// flags back. What `set -v` still echoes (the END(N) line itself, as read) is
// cut off the output. A step that reads the terminal's stdin (`cat`) eats
// END(N) and prints it: the scanner sees the command text and says so.
//
// Output is scanned as it arrives, each byte once (a carry of one needle's
// length spans chunk boundaries), and joined once at the end: finding a
// step's end is linear in its output.

import { randomBytes } from "../util/random.js";
import { shellQuote } from "../util/quote.js";

interface StepEnd {
  /** Output between the ack and the end marker, the marker's own newline removed. */
  output: string;
  status: number;
}

/** Finds one fixed string in a stream of chunks; each character is looked at once. */
export class NeedleScanner {
  private carry = "";
  /** Characters fed so far. */
  seen = 0;
  /** Offset in the stream just past the needle's first occurrence, or -1. */
  end = -1;

  constructor(readonly needle: string) {}

  /** Forgets what it found; scanning goes on from the next chunk. */
  reset(): void {
    this.end = -1;
    this.carry = "";
  }

  /** Feeds the next chunk; returns true once the needle has been seen. */
  push(chunk: string): boolean {
    if (this.end >= 0) return true;
    const hay = this.carry + chunk;
    const at = hay.indexOf(this.needle);
    const base = this.seen - this.carry.length;
    this.seen += chunk.length;
    if (at >= 0) {
      this.end = base + at + this.needle.length;
      this.carry = "";
      return true;
    }
    const keep = this.needle.length - 1;
    this.carry = keep > 0 ? hay.slice(Math.max(hay.length - keep, 0)) : "";
    return false;
  }
}

/** The length of the longest end of `text` that is a start of `needle` (shorter than the needle). */
function overlap(text: string, needle: string): number {
  for (let k = Math.min(text.length, needle.length - 1); k > 0; k--) if (text.endsWith(needle.slice(0, k))) return k;
  return 0;
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
    const v = `__consh_${this.tag.slice(5, 11)}`;
    return (
      `{ ${v}=$?; ${v}_f=$-; set +xv; } 2>/dev/null; ` +
      `printf '\\n%s:%s:%s\\n' ${shellQuote(this.tag)} ${seq} "$${v}"; ` +
      `case $${v}_f in *v*) set -v;; esac; case $${v}_f in *x*) set -x;; esac\n`
    );
  }

  ackNeedle(seq: number): string {
    return `${this.tag}:${seq}:ack\n`;
  }

  endNeedle(seq: number): string {
    return `\n${this.tag}:${seq}:`;
  }

  /** Reads one step's output as it arrives (handing it to `live` as it comes, if given). */
  reader(seq: number, live?: (text: string) => void): StepReader {
    return new StepReader(this, seq, live);
  }
}

/** Collects one step's output after its ack and finds its end marker, in linear time. */
export class StepReader {
  private readonly pieces: string[] = [];
  private length = 0;
  private readonly ack: NeedleScanner;
  private readonly endScan: NeedleScanner;
  private readonly eaten: NeedleScanner;
  private readonly endText: string;
  private statusText = "";
  private acked = false;
  private done: StepEnd | undefined;
  /** Output not yet handed to `live`: held back while it could be the start of the end marker. */
  private unshown = "";

  /** `live`, if given, gets the step's output as it arrives, never any of the protocol's. */
  constructor(
    protocol: MarkerProtocol,
    seq: number,
    private readonly live?: (text: string) => void,
  ) {
    this.ack = new NeedleScanner(protocol.ackNeedle(seq));
    this.endScan = new NeedleScanner(protocol.endNeedle(seq));
    this.endText = protocol.endCommand(seq);
    // The printf part of END(N) as the shell was sent it: printed back only by
    // a program that read the terminal's stdin (or by set -v, just before the marker).
    this.eaten = new NeedleScanner(this.endText.slice(0, this.endText.indexOf("printf") + 20));
  }

  get hasAck(): boolean {
    return this.acked;
  }

  /** True once the step printed the runner's END command back (it read stdin). */
  get consumedInput(): boolean {
    return this.eaten.end >= 0;
  }

  /** Starts looking for an eaten END command afresh (after the command that ate one was stopped). */
  forgetConsumedInput(): void {
    this.eaten.reset();
  }

  get end(): StepEnd | undefined {
    return this.done;
  }

  /** Feeds output as it arrives. */
  push(chunk: string): void {
    if (this.done) return;
    if (!this.acked) {
      const before = this.ack.seen;
      if (!this.ack.push(chunk)) return;
      this.acked = true;
      chunk = chunk.slice(this.ack.end - before);
      if (chunk === "") return;
    }
    const offset = this.length;
    this.pieces.push(chunk);
    this.length += chunk.length;
    this.eaten.push(chunk);
    if (this.endScan.end < 0) {
      const found = this.endScan.push(chunk);
      this.showLive(chunk, found ? this.endScan.end - this.endScan.needle.length - offset : undefined);
      if (!found) return;
      chunk = chunk.slice(Math.max(this.endScan.end - offset, 0));
    }
    this.statusText += chunk;
    const nl = this.statusText.indexOf("\n");
    if (nl < 0) {
      if (this.statusText.length > 40) this.finish(-1);
      return;
    }
    const status = Number(this.statusText.slice(0, nl));
    this.finish(/^\d+$/.test(this.statusText.slice(0, nl)) ? status : -1);
  }

  /**
   * Hands `chunk` to `live`, all but what could still turn out to be the start
   * of the end marker; `markerAt` (in the chunk) once the marker is found.
   */
  private showLive(chunk: string, markerAt: number | undefined): void {
    if (!this.live) return;
    const text = this.unshown + chunk;
    const keep = markerAt === undefined ? overlap(text, this.endScan.needle) : text.length - (this.unshown.length + markerAt);
    const show = text.slice(0, text.length - keep);
    this.unshown = markerAt === undefined ? text.slice(text.length - keep) : "";
    if (show !== "") this.live(show);
  }

  private finish(status: number): void {
    const needle = this.endScan.needle;
    const markerAt = this.endScan.end - needle.length;
    this.done = { output: this.strip(this.text().slice(0, markerAt)), status };
    this.pieces.length = 0;
  }

  /** Everything after the ack so far (the output of a step that did not end). */
  text(): string {
    if (this.pieces.length > 1) {
      const all = this.pieces.join("");
      this.pieces.length = 0;
      this.pieces.push(all);
    }
    return this.pieces[0] ?? "";
  }

  /** Output without the protocol: set -v's echo of END(N), or END(N) printed back by a program. */
  strip(output: string): string {
    if (output.endsWith(this.endText)) return output.slice(0, -this.endText.length);
    return output.split(this.endText).join("");
  }
}
