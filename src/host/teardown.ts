// Removes everything a run left on the host, in reverse order of making:
// processes, netns names, links, mounts (deepest first), cgroups (leaf first), its dir.

import { closeSync, constants, existsSync, fstatSync, openSync, rmSync } from "node:fs";
import { basename, dirname } from "node:path";
import { spawn } from "node:child_process";
import { isRunning, killTree, present, sessionMembers, signallable } from "../terminal/process-tree.js";
import { belongsToRun, findCgroups, findLinks, findMounts, findNetns, findProcesses, startTimeOf, type RunIdentity } from "./discover.js";
import { Ledger, type Resource } from "./ledger.js";
import { privileged } from "./privileged.js";
import { currentUid, dirProblem } from "../util/trust.js";
import { restoreSubtree, type SubtreeResource } from "./subtree.js";
import { sleep } from "../util/sleep.js";
import { readText } from "../util/read-text.js";

export interface TeardownReport {
  processes: number[];
  netns: string[];
  links: string[];
  mounts: string[];
  cgroups: string[];
  /** Controllers the run switched on in a cgroup.subtree_control: "switched cpu off in ...", or "left cpu on in ... for consh-ID". */
  subtree?: string[];
  runDirRemoved: boolean;
  /** What could not be removed, with the reason. */
  problems: string[];
}

/** Signals PIDs we may not signal ourselves, through sudo (never a protected one: see signallable). */
export async function escalateKill(pids: number[], signal: "STOP" | "KILL"): Promise<void> {
  const targets = signallable(pids);
  if (targets.length > 0) await privileged(["kill", `-${signal}`, "--", ...targets.map(String)]);
}

const alive = isRunning;

/** Runs `script` once as root with `args` as $1...; one sudo for many paths. */
async function forEachPrivileged(script: string, args: string[]): Promise<string> {
  if (args.length === 0) return "";
  const r = await privileged(["sh", "-c", script, "sh", ...args], 20_000);
  return r.output;
}

/**
 * Kills the run's processes and waits until every one of them has died and
 * been reaped. `earlier` were killed before (a terminal's tree) and may still
 * be on their way out; `sessions` are the terminals' sessions, whose members
 * are ours even when they left a terminal's tree.
 */
async function killProcesses(run: RunIdentity, earlier: number[], sessions: number[], byName: boolean, report: TeardownReport): Promise<void> {
  const all = new Set<number>(earlier);
  const killedHere = new Set<number>();
  let roots = earlier;
  for (let round = 0; round < 3; round++) {
    const discovered = findProcesses(run, byName).map((r) => (r.kind === "process" ? r.pid : 0));
    const found = [...roots, ...discovered, ...sessionMembers(sessions)].filter((p) => p > 0 && p !== process.pid && alive(p));
    for (const pid of found) {
      for (const p of await killTree(pid, escalateKill)) {
        all.add(p);
        killedHere.add(p);
      }
    }
    const deadline = Date.now() + 3000;
    while ([...all].some(alive) && Date.now() < deadline) await sleep(20);
    if (found.length === 0) break;
    roots = [];
  }
  report.processes = [...killedHere];
  // Give parents (or, for orphans, init) time to reap what died: a zombie
  // still shows in /proc, and in the namespaces it died in.
  const gone = () => ![...all].some(present) && sessionMembers(sessions).length === 0;
  for (let i = 0; i < 250 && !gone(); i++) await sleep(20);
  const zombies = [...new Set([...[...all].filter(present), ...sessionMembers(sessions)])].filter((p) => !alive(p));
  if (zombies.length > 0) report.problems.push(`zombies not yet reaped by their parent or init: ${zombies.join(" ")}`);
  const left = [...all].filter(alive);
  if (left.length > 0) report.problems.push(`processes still alive after SIGKILL: ${left.join(" ")}`);
}

async function removeCgroups(run: RunIdentity, report: TeardownReport): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const dirs = findCgroups(run).map((r) => (r.kind === "cgroup" ? r.path : ""));
    if (dirs.length === 0) return;
    for (const d of dirs) if (!report.cgroups.includes(d)) report.cgroups.push(d);
    // Anything still inside is killed from outside: PID 1 of a namespace ignores SIGTERM.
    const pids = dirs.flatMap((d) => (readText(`${d}/cgroup.procs`) ?? "").split("\n").filter(Boolean).map(Number));
    for (const pid of pids) await killTree(pid, escalateKill);
    await forEachPrivileged('for d; do rmdir "$d" 2>/dev/null; done; true', dirs);
    if (findCgroups(run).length === 0) return;
    if (Date.now() > deadline) {
      report.problems.push(
        `cgroups still busy: ${findCgroups(run)
          .map((r) => (r.kind === "cgroup" ? r.path : ""))
          .join(" ")}`,
      );
      return;
    }
    await sleep(50);
  }
}

interface TeardownOptions {
  /** Processes already killed (terminal trees) to wait for; the caller knows they are the run's. */
  pids?: number[];
  /** Sessions of the run's terminals (each terminal leads its own). */
  sessions?: number[];
  removeRunDir: boolean;
  /**
   * Whether what carries the run's name (cgroups, netns names, links, processes
   * in its cgroups) is the run's. False when a live run has the same id: then
   * only what lies under the run dir, or proves it belongs to it, is removed.
   */
  byName?: boolean;
  /** The uid that owns the run dir (default: this process's); its ledger is read only if that user owns it. */
  owner?: number;
}

/**
 * Removes another user's run dir as root: from a handle on the work root
 * (opened without following a symlink, checked to be that user's), with GNU rm,
 * which never follows a symlink inside and stays on one filesystem.
 */
async function removeForeignRunDir(run: RunIdentity, owner: number): Promise<string | undefined> {
  let fd: number;
  try {
    fd = openSync(dirname(run.runDir), constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
  } catch (err) {
    return `did not remove ${run.runDir}: its work root cannot be opened safely (${(err as NodeJS.ErrnoException).code})`;
  }
  try {
    const problem = dirProblem(fstatSync(fd), owner);
    if (problem) return `did not remove ${run.runDir}: its work root ${problem}`;
    const child = spawn("sh", ["-c", 'cd -P /proc/self/fd/3 && exec rm -rf --one-file-system -- "$1"', "sh", basename(run.runDir)], {
      stdio: ["ignore", "ignore", "pipe", fd],
      timeout: 60_000,
    });
    let errors = "";
    child.stderr!.on("data", (d: Buffer) => (errors += d.toString()));
    const status = await new Promise<number | null>((done) => {
      child.on("close", (code) => done(code));
      child.on("error", () => done(null));
    });
    return status === 0 ? undefined : `rm of ${run.runDir} failed: ${errors.trim() || `status ${status}`}`;
  } finally {
    closeSync(fd);
  }
}

/** Tears down `run`. Safe to call again: what is gone already is skipped. */
export async function tearDown(run: RunIdentity, options: TeardownOptions): Promise<TeardownReport> {
  const report: TeardownReport = { processes: [], netns: [], links: [], mounts: [], cgroups: [], runDirRemoved: false, problems: [] };
  const byName = options.byName !== false;
  const owner = options.owner ?? currentUid();
  const mine = owner === currentUid();
  const ledger = new Ledger(`${run.runDir}/ledger.jsonl`, owner);
  const recorded = Ledger.inspect(ledger.file, owner);
  if (recorded.problem) report.problems.push(`ignored its ledger: ${recorded.problem}`);
  // A ledger is only a list of claims: a terminal is trusted when it is still the
  // same process (start time) and proves it belongs to the run.
  const terminalPids = recorded.resources
    .filter((r): r is Extract<Resource, { kind: "terminal" }> => r.kind === "terminal")
    .filter((r) => startTimeOf(r.pid) === r.start && belongsToRun(r.pid, run, byName))
    .map((r) => r.pid);
  // Record what is about to be removed first, so a second attempt knows it too.
  if (mine) ledger.record(byName ? [...findNetns(run), ...findLinks(run), ...findMounts(run), ...findCgroups(run)] : findMounts(run, false));

  const sessions = [...(options.sessions ?? []), ...terminalPids];
  await killProcesses(run, [...(options.pids ?? []), ...terminalPids], sessions, byName, report);

  if (byName) {
    const netns = findNetns(run).map((r) => (r.kind === "netns" ? r.name : ""));
    report.netns = netns;
    await forEachPrivileged(
      'for n; do ip netns delete "$n" 2>/dev/null || { umount -l "/run/netns/$n" 2>/dev/null; rm -f "/run/netns/$n"; }; done; true',
      netns,
    );

    const links = findLinks(run).map((r) => (r.kind === "link" ? r.name : ""));
    report.links = links;
    await forEachPrivileged('for l; do ip link delete "$l" 2>/dev/null; done; true', links);
  }

  for (let round = 0; round < 5; round++) {
    const mounts = findMounts(run, byName).map((r) => (r.kind === "mount" ? r.path : ""));
    if (mounts.length === 0) break;
    for (const m of mounts) if (!report.mounts.includes(m)) report.mounts.push(m);
    await forEachPrivileged('for m; do umount -l "$m" 2>/dev/null; done; true', mounts);
  }
  const stuck = findMounts(run, byName);
  if (stuck.length > 0) report.problems.push(`mounts left: ${stuck.map((r) => (r.kind === "mount" ? r.path : "")).join(" ")}`);

  if (byName) {
    await removeCgroups(run, report);
    const restored = await restoreSubtree(
      recorded.resources.filter((r): r is SubtreeResource => r.kind === "subtree"),
      run.id,
    );
    report.subtree = restored.done;
    report.problems.push(...restored.failed);
  }

  if (options.removeRunDir && existsSync(run.runDir)) {
    if (stuck.length > 0) {
      report.problems.push(`kept ${run.runDir}: mounts are still under it`);
    } else if (!mine) {
      const problem = await removeForeignRunDir(run, owner);
      if (problem) report.problems.push(problem);
      report.runDirRemoved = !existsSync(run.runDir);
    } else {
      try {
        rmSync(run.runDir, { recursive: true, force: true });
      } catch {
        // files made by root (e.g. overlay's work dir) need root to remove
        await privileged(["rm", "-rf", "--one-file-system", "--", run.runDir]);
      }
      report.runDirRemoved = !existsSync(run.runDir);
      if (!report.runDirRemoved) report.problems.push(`could not remove ${run.runDir}`);
    }
  }
  return report;
}
