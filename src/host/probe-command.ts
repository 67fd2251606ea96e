// Runs one short host probe (`unshare --version`, `ip -V`, ...) and collects its
// status and output. Node's own spawn, not execa: a run spawns these before its
// first step, when execa's first calls in a fresh process are slow (measured in
// bench/BENCHMARKS.md, start-up); the terminals and privileged commands keep execa.

import { spawn } from "node:child_process";

interface ProbeResult {
  /** The exit status; -1 when it could not start or was killed (timeout). */
  exitCode: number;
  /** stdout, then stderr (a probe's output is searched, not shown as it came). */
  output: string;
}

/** Runs `argv` as the invoking user with no input (found on `env`'s PATH); never rejects. */
export function probeCommand(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 10_000): Promise<ProbeResult> {
  const [file, ...args] = argv;
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(file!, args, { stdio: ["ignore", "pipe", "pipe"], env, timeout: timeoutMs, killSignal: "SIGKILL" });
    } catch (e) {
      // Some errors come from spawn() itself (ELOOP, ENAMETOOLONG, E2BIG), not as an event.
      resolve({ exitCode: -1, output: (e as Error).message });
      return;
    }
    child.stdout!.on("data", (d: Buffer) => out.push(d));
    child.stderr!.on("data", (d: Buffer) => err.push(d));
    child.on("error", (e) => resolve({ exitCode: -1, output: e.message }));
    child.on("close", (code) => resolve({ exitCode: code ?? -1, output: Buffer.concat([...out, ...err]).toString("utf8") }));
  });
}
