// A shell of the learner's own in a live terminal's world: `run --shell` once
// the steps are done (the run is torn down when they leave), or step mode's `o`
// before a step (they come back to it). In a container it is a new shell that
// joins the container's namespaces, root and working directory (nsenter); it
// carries the book's variables: the run's CONSH_* and the terminal's own
// (such as $ct_pid), read from its shell.

import { readlinkSync } from "node:fs";
import { execa } from "execa";
import type { LiveRun } from "../run/runner.js";
import { stdinReader } from "../terminal/process-tree.js";
import type { StepTerminal } from "../terminal/terminal.js";
import type { Colors } from "../util/colors.js";
import type { Io } from "../util/io.js";

/** While a learner's shell or command runs, Ctrl-C belongs to it, not to the run. */
export interface SignalGuard {
  ignore: boolean;
  /** While a learner's command runs in a terminal: Ctrl-C stops it (and only it). */
  onInterrupt?: () => void;
}

function sameUserNamespace(pid: number): boolean {
  try {
    return readlinkSync(`/proc/${pid}/ns/user`) === readlinkSync("/proc/self/ns/user");
  } catch {
    return true;
  }
}

const SIMPLE = /^([a-z_][a-z0-9_]*)=(?:'([^']*)'|([A-Za-z0-9_./:@%+,-]*))$/;
/** Shell variables of no interest to a learner (bash's own, lower case). */
const SHELLS_OWN = new Set(["_", "histchars", "opterr", "optind"]);

/** The terminal's own shell variables (lower-case names with plain values), as its shell's `set` prints them. */
export async function shellVariables(terminal: StepTerminal): Promise<Record<string, string>> {
  const r = await terminal.run({ text: "set\n", timeoutMs: 5000 });
  const vars: Record<string, string> = {};
  if (r.kind !== "done") return vars;
  for (const line of r.output.split("\n")) {
    const m = SIMPLE.exec(line);
    if (m && !SHELLS_OWN.has(m[1]!) && !m[1]!.startsWith("__consh")) vars[m[1]!] = m[2] ?? m[3] ?? "";
  }
  return vars;
}

interface HandOverOptions {
  /** Start the terminal if it is not running (step mode's `o`), rather than say it is gone. */
  start?: boolean;
  /** What happens when the learner leaves (said before and after). */
  afterwards?: string;
}

function containerCommand(pid: number, env: Record<string, string>): string[] {
  const ns = ["--user", "--mount", "--uts", "--ipc", "--net", "--pid", "--cgroup"];
  const vars = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  return [
    "env",
    "-i",
    "PATH=/bin:/sbin:/usr/bin:/usr/sbin",
    "HOME=/",
    "PS1=bbsh# ",
    ...vars,
    "nsenter",
    `--target=${pid}`,
    ...ns,
    "--preserve-credentials",
    "--root",
    "--wd",
    "/bin/sh",
    "-i",
  ];
}

export function shellHandOver(where: string, io: Io, colors: Colors, guard: SignalGuard, o: HandOverOptions = {}) {
  const then = o.afterwards ?? "the run is then torn down";
  return async (live: LiveRun): Promise<void> => {
    const c = colors;
    const terminal = o.start ? live.terminal(where) : live.terminals.get(where);
    if (!terminal?.alive) {
      const known = [...live.terminals.keys()].join(", ") || "none";
      io.err(`consh-book: no live terminal '${where}' in this run (terminals: ${known}); tearing down\n`);
      return;
    }
    const pid = stdinReader(terminal.pid);
    const inside = !sameUserNamespace(pid);
    const own = await shellVariables(terminal);
    const book = Object.fromEntries(Object.entries(live.world.env).filter(([k]) => k.startsWith("CONSH_")));
    const carried = { ...book, ...own, TERM: io.env.TERM ?? "xterm" };
    let cwd = live.world.workDir;
    try {
      cwd = readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      // gone meanwhile: the work dir
    }
    const names =
      Object.keys(own).length > 0 ? `$${Object.keys(own).slice(0, 6).join(", $")}${Object.keys(own).length > 6 ? ", ..." : ""} and $CONSH_*` : "$CONSH_*";
    io.out(
      inside
        ? `\n${c.bold(`A new shell in the ${where} terminal's container (run ${live.world.id})`)}: it joined the container's namespaces, root and working directory with nsenter, so it is not the container's PID 1 shell (host PID ${pid}); ps shows both.\n`
        : `\n${c.bold(`A new shell beside the ${where} terminal of run ${live.world.id}`)}, in ${cwd}.\n`,
    );
    io.out(`It has the book's variables (${names}). Type ${c.bold("exit")} or press ${c.bold("Ctrl-D")} to leave; ${then}.\n\n`);
    const command = inside ? containerCommand(pid, carried) : ["bash", "--noprofile", "--norc", "-i"];
    guard.ignore = true;
    try {
      await execa(command[0]!, command.slice(1), {
        stdio: "inherit",
        reject: false,
        cwd: inside ? "/" : cwd,
        env: inside ? {} : { ...live.world.env, ...carried, PS1: `[consh ${where}] \\w\\$ ` },
        extendEnv: !inside,
      });
    } finally {
      guard.ignore = false;
    }
    io.out(`\n${c.dim(`left the shell; ${o.afterwards ?? "tearing the run down"}`)}\n`);
  };
}
