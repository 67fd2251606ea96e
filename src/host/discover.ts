// Finds the host resources that belong to one run, by its naming and its directory.

import { readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import type { Resource } from "./ledger.js";
import { readMounts } from "./mountinfo.js";
import { linkPrefix, NETNS_DIRS } from "./run-names.js";
import { statFields } from "../terminal/process-tree.js";
import { readText } from "../util/read-text.js";

/** What identifies a run on the host. */
export interface RunIdentity {
  id: string;
  /** `consh-<id>`: the prefix of its cgroups and netns names. */
  name: string;
  runDir: string;
}

/** Whether a cgroup path (from /proc/PID/cgroup) lies in a cgroup named for the run (`consh-<id>` or `consh-<id>-...`). */
export function inRunCgroup(cgroupFile: string, run: RunIdentity): boolean {
  return cgroupFile.split("\n").some((l) => {
    const path = l.slice(l.indexOf(":", l.indexOf(":") + 1) + 1);
    return path.split("/").some((part) => part === run.name || part.startsWith(`${run.name}-`));
  });
}

/**
 * Whether process `pid` provably belongs to the run: its environment carries
 * both `CONSH_RUN=<id>` and `CONSH_WORK=<the run's work dir>` (every terminal
 * starts so), or, where `byName`, it sits in a cgroup named for the run.
 */
export function belongsToRun(pid: number, run: RunIdentity, byName = true): boolean {
  const dir = `/proc/${pid}`;
  if (byName && inRunCgroup(readText(`${dir}/cgroup`) ?? "", run)) return true;
  const environ = readText(`${dir}/environ`);
  if (environ === undefined) return false;
  const vars = new Set(environ.split("\0"));
  return vars.has(`CONSH_RUN=${run.id}`) && vars.has(`CONSH_WORK=${join(run.runDir, "work")}`);
}

/** The real uid in a /proc/PID/status text (its `Uid:` line's first number). */
export function realUidIn(status: string): number | undefined {
  const m = status.match(/^Uid:\s*(\d+)/m);
  return m ? Number(m[1]) : undefined;
}

export function realUidOf(pid: number): number | undefined {
  const status = readText(`/proc/${pid}/status`);
  return status === undefined ? undefined : realUidIn(status);
}

/** What `otherRunWithId` looks at of one process. */
export interface ProcessView {
  pid: number;
  ppid: number;
  /** /proc/PID/environ, undefined when unreadable. */
  environ?: string;
  cgroup: string;
  /** Real uid, undefined when unreadable. */
  uid?: number;
}

/**
 * A process showing that another live run has `run`'s id (so `consh-<id>` names are
 * not this run's alone): it carries CONSH_RUN=<id> with another CONSH_WORK, or sits
 * in a cgroup named for the run while nothing proves it the run's: neither it nor an
 * ancestor carries the run's own CONSH_RUN and CONSH_WORK, and it is not a process of
 * the run's `owner` (a container that `exec env -i` emptied, orphaned when its runner
 * was killed, still runs as the user who ran it). Undefined when there is none.
 */
export function otherRunWithId(procs: readonly ProcessView[], run: RunIdentity, owner: number): ProcessView | undefined {
  const work = `CONSH_WORK=${join(run.runDir, "work")}`;
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const vars = (p: ProcessView) => new Set((p.environ ?? "").split("\0"));
  const proven = (p: ProcessView): boolean => {
    for (let q: ProcessView | undefined = p, i = 0; q && i < 256; q = byPid.get(q.ppid), i++) {
      const v = vars(q);
      if (v.has(`CONSH_RUN=${run.id}`) && v.has(work)) return true;
    }
    return false;
  };
  return procs.find((p) => {
    const v = vars(p);
    if (v.has(`CONSH_RUN=${run.id}`) && !v.has(work)) return true;
    return inRunCgroup(p.cgroup, run) && p.uid !== owner && !proven(p);
  });
}

/** Every process now alive but this one, as otherRunWithId sees it. */
export function readProcessViews(): ProcessView[] {
  const out: ProcessView[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const ppid = Number(statFields(entry)?.[1] ?? 0);
    const view = {
      pid: Number(entry),
      ppid,
      environ: readText(`/proc/${entry}/environ`),
      cgroup: readText(`/proc/${entry}/cgroup`) ?? "",
      uid: realUidOf(Number(entry)),
    };
    out.push(view);
  }
  return out;
}

/** Processes of the run (see belongsToRun); never this process. */
export function findProcesses(run: RunIdentity, byName = true): Resource[] {
  const out: Resource[] = [];
  const self = process.pid;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === self || pid === 1) continue;
    if (belongsToRun(pid, run, byName)) out.push({ kind: "process", pid, comm: (readText(`/proc/${entry}/comm`) ?? "?").trim() });
  }
  return out;
}

/** Mounts under the run dir, and (where `byName`) netns bind mounts with the run's name; deepest first. */
export function findMounts(run: RunIdentity, byName = true): Resource[] {
  return readMounts()
    .filter(
      (m) =>
        m.mountPoint.startsWith(`${run.runDir}/`) ||
        (byName && NETNS_DIRS.some((d) => m.mountPoint.startsWith(`${d}/`)) && basename(m.mountPoint).includes(run.name)),
    )
    .sort((a, b) => b.id - a.id)
    .map((m) => ({ kind: "mount", path: m.mountPoint, fsType: m.fsType }));
}

export function findNetns(run: RunIdentity): Resource[] {
  const names = new Set<string>();
  for (const d of NETNS_DIRS) {
    try {
      for (const n of readdirSync(d)) if (n.includes(run.name)) names.add(n);
    } catch {
      // no such directory
    }
  }
  return [...names].map((name) => ({ kind: "netns", name }));
}

export function findLinks(run: RunIdentity): Resource[] {
  try {
    return readdirSync("/sys/class/net")
      .filter((n) => n.startsWith(linkPrefix(run.id)))
      .map((name) => ({ kind: "link", name }));
  } catch {
    return [];
  }
}

/** Cgroup directories (any hierarchy) named with the run's name, and everything under them; deepest first. */
export function findCgroups(run: RunIdentity): Resource[] {
  const roots = [
    ...new Set(
      readMounts()
        .filter((m) => m.fsType === "cgroup" || m.fsType === "cgroup2")
        .map((m) => m.mountPoint),
    ),
  ];
  const found: string[] = [];
  const walk = (dir: string, depth: number, inside: boolean) => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const e of entries) {
      const path = join(dir, e);
      let isDir = false;
      try {
        isDir = statSync(path).isDirectory();
      } catch {
        continue;
      }
      if (!isDir) continue;
      const ours = inside || e.includes(run.name);
      if (ours) found.push(path);
      if (depth < 8) walk(path, depth + 1, ours);
    }
  };
  for (const r of roots) walk(r, 1, false);
  return found.sort((a, b) => b.split("/").length - a.split("/").length).map((path) => ({ kind: "cgroup", path }));
}

/** Start time of a process (clock ticks after boot), to tell it from a later one with its PID. */
export function startTimeOf(pid: number): string | undefined {
  return statFields(pid)?.[19];
}

/** What outlives the run's processes: netns names, links, mounts, cgroups. */
export function discoverPersistent(run: RunIdentity): Resource[] {
  return [...findNetns(run), ...findLinks(run), ...findMounts(run), ...findCgroups(run)];
}

/** Whether a step's text may create host resources (worth a look for the ledger afterwards). */
export function mayCreateResources(text: string): boolean {
  return /\b(sudo|mount|ip|unshare|nsenter|mkdir)\b|consh_setup|cgroup/.test(text);
}

export function discover(run: RunIdentity): Resource[] {
  return [...findProcesses(run), ...findNetns(run), ...findLinks(run), ...findMounts(run), ...findCgroups(run)];
}
