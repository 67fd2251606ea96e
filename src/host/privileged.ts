// Runs a host command with root privilege: directly when root, else through `sudo -n`.

import { execa } from "execa";
import { isRoot } from "../util/trust.js";

interface CommandResult {
  exitCode: number;
  output: string;
}

/** Runs `argv` as root (never prompts for a password); resolves with its status and output. */
export function privileged(argv: readonly string[], timeoutMs = 10_000): Promise<CommandResult> {
  return plain(isRoot() ? argv : ["sudo", "-n", "--", ...argv], timeoutMs);
}

/** Runs `argv` as the invoking user. */
async function plain(argv: readonly string[], timeoutMs = 10_000): Promise<CommandResult> {
  const [file, ...args] = argv;
  const r = await execa(file!, args, { reject: false, all: true, timeout: timeoutMs, stdin: "ignore" });
  return { exitCode: r.exitCode ?? -1, output: r.all ?? "" };
}
