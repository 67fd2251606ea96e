// Runs the command line of this process (cli.ts) with the process's streams and
// sets its exit code: what the executable does once the compile cache is on.

import { isatty } from "node:tty";
import { main } from "../cli.js";
import { ExitCode } from "../errors.js";
import { processIo } from "../util/io.js";

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
