// Finds and kills a process and all its descendants, by PID, through /proc.

import { readdirSync, readFileSync } from "node:fs";

/** Parent PID of every process now alive. */
export function parentMap(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // comm may hold spaces and parentheses: fields resume after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      // the process ended while we looked
    }
  }
  return parents;
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

/** Sends `signal` to each PID; returns those we may not signal (EPERM). */
export function signalAll(pids: readonly number[], signal: NodeJS.Signals): number[] {
  const denied: number[] = [];
  for (const pid of pids) {
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

/**
 * Kills `root` and every descendant with SIGKILL. The tree is first frozen with
 * SIGSTOP, re-read until no new process appears, so nothing forks away between
 * reading the tree and killing it.
 */
export async function killTree(root: number, escalate?: Escalate): Promise<number[]> {
  let known: number[] = [];
  for (let round = 0; round < 10; round++) {
    const now = treeOf(known.length > 0 ? known : [root]);
    const fresh = now.filter((p) => !known.includes(p));
    if (fresh.length === 0) break;
    known = [...known, ...fresh];
    const denied = signalAll(fresh, "SIGSTOP");
    if (denied.length > 0 && escalate) await escalate(denied, "STOP");
  }
  const denied = signalAll(known, "SIGKILL");
  if (denied.length > 0 && escalate) await escalate(denied, "KILL");
  return known;
}
