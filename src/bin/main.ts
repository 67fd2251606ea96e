// The bundled CLI (dist/bin/main.cjs): what the executable runs once it has
// loaded this bundle, and the warm-up that fills the build's code cache.

import { isatty } from "node:tty";
import { main } from "../cli.js";
import { type Io, processIo } from "../commands/io.js";
import { ExitCode } from "../errors.js";

/** Runs the command line of this process and sets its exit code. */
export async function start(): Promise<void> {
  const terminalAtStart = [0, 1, 2].some((fd) => isatty(fd));
  const code = await main(process.argv, processIo());
  if (code === ExitCode.hangup && terminalAtStart) {
    // The terminal hung up. At exit Node restores the terminal's modes and aborts
    // (exit 134) when the terminal is gone; so, with everything torn down, end
    // the way a hung-up program does: by SIGHUP, which a shell reports as 129.
    process.removeAllListeners("SIGHUP");
    process.kill(process.pid, "SIGHUP");
  }
  process.exitCode = code;
}

/**
 * Runs the commands a learner starts most (their output dropped) and loads the
 * modules of `run`, so that V8 has compiled their code when the build takes the
 * code cache. `env` points the state and caches at a scratch directory. A
 * command that fails (a chapter being written has an error) only warms less:
 * the build goes on.
 */
export async function warmUp(env: NodeJS.ProcessEnv): Promise<void> {
  const quiet: Io = { out: () => {}, err: () => {}, stdoutIsTTY: false, stderrIsTTY: false, env };
  for (const args of [["--help"], ["list"], ["list"], ["show", "7"], ["progress"], ["read", "3"], ["export", "7"], ["run", "--help"]]) {
    await main(["node", "consh-book", ...args], quiet);
  }
  await Promise.all([import("../commands/run.js"), import("../commands/run-session.js")]);
}
