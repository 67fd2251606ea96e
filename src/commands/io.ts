// The streams and environment a command talks to, passed in so tests can drive commands.

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  env: NodeJS.ProcessEnv;
}

export function processIo(): Io {
  // A reader that goes away (`consh-book doctor | head`) must not crash a run
  // half-way: its teardown still has to happen. Later writes are dropped.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code !== "EPIPE") throw err;
    });
  }
  return {
    out: (t) => void (process.stdout.writable && process.stdout.write(t)),
    err: (t) => void (process.stderr.writable && process.stderr.write(t)),
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
  };
}

/** Columns to wrap text to: the terminal's width, kept between 40 and 100. */
export function textWidth(): number {
  return Math.min(Math.max((process.stdout.columns ?? 80) - 1, 40), 100);
}
