// What a run may change on the host, in a stable order, so that a reading
// before and one after a run can be compared: mounts, network links, named
// network namespaces, cgroup directories in every hierarchy (4 levels), and
// processes in other PID or user namespaces than this one (the sections of
// ../shared/tools/host-state), and processes in this host's own namespaces
// that belong to a consh-book run (CONSH_RUN in their environment, or a
// consh- cgroup), so a stray `sleep` a run left behind is seen too.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { join } from "node:path";

function safe<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}

/**
 * This machine's own per-command cgroups (process_api/<32 hex digits>, one for every
 * command anyone starts here): they come and go with other people's commands, and
 * no run of consh-book makes one (its cgroups are consh-*).
 */
const MACHINE_COMMAND_CGROUP = /\/process_api\/[0-9a-f]{32}$/;

function cgroupDirs(dir: string, depth: number, out: string[]): void {
  if (depth > 4) return;
  for (const e of safe(() => readdirSync(dir), [] as string[])) {
    const p = join(dir, e);
    if (MACHINE_COMMAND_CGROUP.test(p)) continue;
    if (!safe(() => statSync(p).isDirectory(), false)) continue;
    out.push(p);
    cgroupDirs(p, depth + 1, out);
  }
}

export function hostState(): string {
  const mounts = readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => {
      const f = l.split(" ");
      const dash = f.indexOf("-");
      return `${f[4]} ${f[dash + 1]}`;
    })
    .sort();
  const links = execFileSync("ip", ["-o", "link", "show"], { encoding: "utf8" })
    .split("\n")
    .filter(Boolean)
    .map((l) => (l.split(": ")[1] ?? "").replace(/@.*/, ""))
    .sort();
  const netns = safe(() => readdirSync("/var/run/netns"), [] as string[]).sort();
  const cgroups: string[] = [];
  cgroupDirs("/sys/fs/cgroup", 1, cgroups);
  cgroups.sort();
  const selfPid = readlinkSync("/proc/self/ns/pid");
  const selfUser = readlinkSync("/proc/self/ns/user");
  const others: string[] = [];
  const runProcesses: string[] = [];
  for (const e of readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    const pid = safe(() => readlinkSync(`/proc/${e}/ns/pid`), "");
    const user = safe(() => readlinkSync(`/proc/${e}/ns/user`), "");
    if (!pid || !user) continue;
    const comm = safe(() => readFileSync(`/proc/${e}/comm`, "utf8").trim(), "?");
    if (pid !== selfPid || user !== selfUser) {
      others.push(`${comm} (pid ${e})`);
      continue;
    }
    const run = /(?:^|\0)CONSH_RUN=([^\0]*)/.exec(safe(() => readFileSync(`/proc/${e}/environ`, "latin1"), ""))?.[1];
    const inRunCgroup = /\/consh-[a-z0-9]{6}(?:\/|$)/m.test(safe(() => readFileSync(`/proc/${e}/cgroup`, "utf8"), ""));
    if (run !== undefined || inRunCgroup)
      runProcesses.push(`${comm} (pid ${e})${run !== undefined ? ` CONSH_RUN=${run}` : ""}${inRunCgroup ? " in a consh- cgroup" : ""}`);
  }
  others.sort();
  runProcesses.sort();
  return [
    "## mounts (mount point, fs type)",
    ...mounts,
    "## network links",
    ...links,
    "## named network namespaces",
    ...netns,
    "## cgroup directories (all hierarchies, 4 levels)",
    ...cgroups,
    "## processes in other namespaces than this one",
    ...others,
    "## processes of consh-book runs in this host's namespaces",
    ...runProcesses,
  ].join("\n");
}
