// The streams and environment a command talks to, passed in so tests can drive commands.

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  /** The directory paths are shown relative to. */
  cwd: string;
  /** The terminal's size now (undefined off a terminal). */
  columns: () => number | undefined;
  rows: () => number | undefined;
}

/** Errors of a stream whose reader is gone: a closed pipe (EPIPE), a closed terminal or lost SSH session (EIO). */
const GONE = new Set(["EPIPE", "EIO", "ECONNRESET", "ENOTCONN"]);

/** Writes `text` if the stream can still take it; a stream that is gone is not an error. */
function safeWrite(stream: NodeJS.WritableStream & { writable: boolean; destroyed?: boolean }, text: string): void {
  if (!stream.writable || stream.destroyed) return;
  try {
    stream.write(text);
  } catch (err) {
    if (!GONE.has((err as NodeJS.ErrnoException).code ?? "")) throw err;
  }
}

export function processIo(): Io {
  // A reader that goes away (`consh-book doctor | head`, a closed terminal window)
  // must not crash a run half-way: its teardown still has to happen. Later writes are dropped.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (!GONE.has(err.code ?? "")) throw err;
    });
  }
  return {
    out: (t) => safeWrite(process.stdout, t),
    err: (t) => safeWrite(process.stderr, t),
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
    columns: () => process.stdout.columns,
    rows: () => process.stdout.rows,
  };
}

/** Columns to wrap text to: the terminal's width, kept between 40 and 100. */
export function textWidth(io: Io): number {
  return Math.min(Math.max((io.columns() ?? 80) - 1, 40), 100);
}
