// `run --shell[=TERMINAL]`: once the steps are done, an interactive shell in
// the live terminal's world (for a container: its namespaces, root and working
// directory, through nsenter); the run is torn down when the learner leaves.

import { readlinkSync } from "node:fs";
import { execa } from "execa";
import type { LiveRun } from "../run/runner.js";
import type { Colors } from "../util/colors.js";
import { stdinReader } from "../terminal/process-tree.js";
import type { Io } from "../util/io.js";

/** While a learner's shell runs, Ctrl-C belongs to it, not to the run. */
export interface SignalGuard {
  ignore: boolean;
}

function sameUserNamespace(pid: number): boolean {
  try {
    return readlinkSync(`/proc/${pid}/ns/user`) === readlinkSync("/proc/self/ns/user");
  } catch {
    return true;
  }
}

export function shellHandOver(where: string, io: Io, colors: Colors, guard: SignalGuard) {
  return async (live: LiveRun): Promise<void> => {
    const c = colors;
    const terminal = live.terminals.get(where);
    if (!terminal?.alive) {
      const known = [...live.terminals.keys()].join(", ") || "none";
      io.err(`consh-book: no live terminal '${where}' in this run (terminals: ${known}); tearing down\n`);
      return;
    }
    const pid = stdinReader(terminal.pid);
    const inside = !sameUserNamespace(pid);
    const cwd = (() => {
      try {
        return readlinkSync(`/proc/${pid}/cwd`);
      } catch {
        return live.world.workDir;
      }
    })();
    io.out(
      `\n${c.bold(`You are in the ${where} terminal of run ${live.world.id}`)}${inside ? ` (its namespaces, root and working directory; its shell is PID ${pid} on the host)` : ` (in ${cwd})`}.\n` +
        `Look around. Type ${c.bold("exit")} or press ${c.bold("Ctrl-D")} to leave; the run is then torn down.\n\n`,
    );
    const command = inside
      ? [
          "env",
          "-i",
          "PATH=/bin:/sbin:/usr/bin:/usr/sbin",
          `TERM=${io.env.TERM ?? "xterm"}`,
          "HOME=/",
          "PS1=bbsh# ",
          "nsenter",
          `--target=${pid}`,
          "--user",
          "--mount",
          "--uts",
          "--ipc",
          "--net",
          "--pid",
          "--cgroup",
          "--preserve-credentials",
          "--root",
          "--wd",
          "/bin/sh",
          "-i",
        ]
      : ["bash", "--noprofile", "--norc", "-i"];
    guard.ignore = true;
    try {
      await execa(command[0]!, command.slice(1), {
        stdio: "inherit",
        reject: false,
        cwd: inside ? "/" : cwd,
        env: inside ? {} : { ...live.world.env, TERM: io.env.TERM ?? "xterm", PS1: `[consh ${where}] \\w\\$ ` },
        extendEnv: !inside,
      });
    } finally {
      guard.ignore = false;
    }
    io.out(`\n${c.dim("left the shell; tearing the run down")}\n`);
  };
}
