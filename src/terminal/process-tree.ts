// Finds and kills a process and all its descendants, by PID, through /proc.

import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { readText } from "../util/read-text.js";
import { sleep } from "../util/sleep.js";

/**
 * The fields of /proc/PID/stat after the command name (which may hold spaces
 * and parentheses): [0] state, [1] ppid, [2] pgrp, [3] session, [19] start time.
 */
export function statFields(pid: number | string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined; // the process ended while we looked
  }
}

function pids(): string[] {
  return readdirSync("/proc").filter((e) => /^\d+$/.test(e));
}

/** Parent PID of every process now alive. */
export function parentMap(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of pids()) {
    const fields = statFields(entry);
    if (fields) parents.set(Number(entry), Number(fields[1]));
  }
  return parents;
}

/**
 * Processes (zombies too) in the given sessions. Every terminal is started as
 * a session leader, so this finds what a terminal started even after it was
 * reparented away from the terminal's tree.
 */
export function sessionMembers(sessions: readonly number[]): number[] {
  if (sessions.length === 0) return [];
  const wanted = new Set(sessions);
  return pids()
    .filter((entry) => wanted.has(Number(statFields(entry)?.[3])))
    .map(Number);
}

/** The PIDs of `roots` and all their descendants now alive. */
export function treeOf(roots: readonly number[], parents = parentMap()): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) {
    const list = children.get(ppid) ?? [];
    list.push(pid);
    children.set(ppid, list);
  }
  const out = new Set<number>();
  const queue = roots.filter((p) => parents.has(p));
  while (queue.length > 0) {
    const pid = queue.shift()!;
    if (out.has(pid)) continue;
    out.add(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return [...out];
}

/**
 * PIDs consh-book never signals, whatever a ledger or a tree says: the host's
 * init (PID 1), this process, and its ancestors (a shell, sudo, a CI agent).
 */
export function protectedPids(): Set<number> {
  const out = new Set<number>([1, process.pid]);
  for (let pid = process.ppid, i = 0; pid > 1 && i < 256 && !out.has(pid); i++) {
    out.add(pid);
    const parent = Number(statFields(pid)?.[1]);
    if (!Number.isSafeInteger(parent)) break;
    pid = parent;
  }
  return out;
}

/** The PIDs of `pids` that may be signalled: positive (never a process group), not protected. */
export function signallable(pids: readonly number[]): number[] {
  const guard = protectedPids();
  return pids.filter((p) => Number.isSafeInteger(p) && p > 1 && !guard.has(p));
}

/** Sends `signal` to each PID (never a protected one); returns those we may not signal (EPERM). */
export function signalAll(pids: readonly number[], signal: NodeJS.Signals): number[] {
  const denied: number[] = [];
  for (const pid of signallable(pids)) {
    try {
      process.kill(pid, signal);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EPERM") denied.push(pid);
    }
  }
  return denied;
}

/** Sends a signal to PIDs this process may not signal itself (e.g. through sudo). */
export type Escalate = (pids: number[], signal: "STOP" | "KILL") => Promise<void>;

/** Whether the process exists and has not yet exited (a zombie has). */
export function isRunning(pid: number): boolean {
  const state = statFields(pid)?.[0];
  return state !== undefined && state !== "Z" && state !== "X";
}

/** Whether /proc still has the PID (running, or a zombie not yet reaped). */
export function present(pid: number): boolean {
  return existsSync(`/proc/${pid}`);
}

/** How many PID namespaces deep a process is, and whether it is PID 1 of the innermost. */
function pidNamespaceRank(pid: number): { depth: number; init: boolean } {
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8").match(/^NSpid:\s*(.*)$/m)?.[1] ?? "";
    const ids = line.trim().split(/\s+/);
    return { depth: ids.length, init: ids.length > 1 && ids[ids.length - 1] === "1" };
  } catch {
    return { depth: 0, init: false };
  }
}

/**
 * Kills `root` and every descendant with SIGKILL, so that every parent is
 * still alive when its child dies and reaps it (no zombie is left to the
 * host's init, which may take its time). A container is ended through its
 * PID 1, innermost container first: the kernel then ends everything in that
 * PID namespace, and the container's parent (unshare) reaps it. Outside
 * containers the tree is killed leaves first.
 */
export async function killTree(root: number, escalate?: Escalate): Promise<number[]> {
  const killed = new Set<number>();
  const guard = protectedPids();
  if (guard.has(root) || root <= 1) return [];
  for (let round = 0; round < 40; round++) {
    const parents = parentMap();
    const tree = treeOf([root], parents).filter((p) => isRunning(p) && !guard.has(p));
    if (tree.length === 0) break;
    const ranked = tree.map((pid) => ({ pid, ...pidNamespaceRank(pid) }));
    const inits = ranked.filter((r) => r.init);
    let targets: number[];
    if (inits.length > 0) {
      const deepest = Math.max(...inits.map((r) => r.depth));
      targets = inits.filter((r) => r.depth === deepest).map((r) => r.pid);
    } else if (round < 30) {
      const inTree = new Set(tree);
      const hasChild = new Set<number>();
      for (const pid of tree) {
        const parent = parents.get(pid);
        if (parent !== undefined && inTree.has(parent)) hasChild.add(parent);
      }
      targets = tree.filter((p) => !hasChild.has(p));
    } else {
      targets = tree; // a tree that keeps forking: give up on order
    }
    const denied = signalAll(targets, "SIGKILL");
    if (denied.length > 0 && escalate) await escalate(denied, "KILL");
    for (const p of targets) killed.add(p);
    for (let i = 0; i < 100 && targets.some(isRunning); i++) await sleep(5);
    // Let the parents reap before any of them is killed in turn.
    for (let i = 0; i < 100 && targets.some(present); i++) await sleep(5);
  }
  return [...killed];
}

/**
 * Whether a process ignores SIGINT (SigIgn in /proc/PID/status): a shell
 * without job control starts its background jobs so.
 */
function ignoresSigint(pid: number): boolean {
  const mask = readText(`/proc/${pid}/status`)?.match(/^SigIgn:\s*([0-9a-f]+)$/m)?.[1];
  return mask !== undefined && (BigInt(`0x${mask}`) & 2n) !== 0n;
}

/**
 * Whether `pid` was started as a shell's background job: a shell without job
 * control starts its jobs with SIGINT ignored, and their stdin from /dev/null.
 * An ignore the process inherited (its parent ignores SIGINT too: util-linux
 * 2.36's `unshare --fork` hands its own ignore to the container's shell) makes
 * no job, unless its stdin is /dev/null as well.
 */
function startedInBackground(pid: number, parents: ReadonlyMap<number, number>): boolean {
  if (!ignoresSigint(pid)) return false;
  const parent = parents.get(pid);
  if (parent === undefined || !ignoresSigint(parent)) return true;
  try {
    return readlinkSync(`/proc/${pid}/fd/0`) === "/dev/null";
  } catch {
    return false;
  }
}

/**
 * Whether `pid`, a descendant of the shell `top`, runs in one of its background
 * jobs: it, or a process between it and `top`, was started in the background
 * (a server's own children belong to the server's job).
 */
export function isBackgroundJob(pid: number, top: number, parents: ReadonlyMap<number, number> = parentMap()): boolean {
  for (let p = pid, i = 0; p !== top && i < 64; i++) {
    if (startedInBackground(p, parents)) return true;
    const parent = parents.get(p);
    if (parent === undefined) return false;
    p = parent;
  }
  return false;
}

/**
 * The process that now reads a terminal's commands: the deepest process in the
 * tree of `root` whose standard input is the same pipe as root's (after
 * `exec unshare ... sh`, that is the shell inside the container), leaving out
 * the shell's background jobs, which may keep that stdin.
 */
export function stdinReader(root: number): number {
  let pipe: string;
  try {
    pipe = readlinkSync(`/proc/${root}/fd/0`);
  } catch {
    return root;
  }
  const parents = parentMap();
  const depth = (pid: number) => {
    let d = 0;
    for (let p = pid; p !== root && d < 64; p = parents.get(p) ?? root) d++;
    return d;
  };
  let best = root;
  for (const pid of treeOf([root], parents)) {
    try {
      if (isRunning(pid) && readlinkSync(`/proc/${pid}/fd/0`) === pipe && depth(pid) > depth(best) && !isBackgroundJob(pid, root, parents)) best = pid;
    } catch {
      // not ours to look at
    }
  }
  return best;
}
