// Controllers a run switched on in cgroup2's cgroup.subtree_control (chapter 10 does it
// with sudo where the host had not): noticed after steps, recorded, switched off at teardown.

import { lstatSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Resource } from "./ledger.js";
import { privileged } from "./privileged.js";

/**
 * Root-owned directory of marks, one empty file per (cgroup, controller, run) for
 * each consh-book run that switched it on or shares it: so a run that starts later
 * knows the host did not have it, a ledger's record is honoured only for a run a
 * mark names (a forged stale run names none), and the last run out switches it off.
 */
export const MARK_DIR = "/run/consh-book";

export type SubtreeResource = Extract<Resource, { kind: "subtree" }>;

/** Controllers listed in `dir/cgroup.subtree_control` (empty when unreadable). */
export function readSubtree(dir: string): string[] {
  try {
    return readFileSync(join(dir, "cgroup.subtree_control"), "utf8").trim().split(/\s+/).filter(Boolean);
  } catch {
    return [];
  }
}

export function markName(path: string, controller: string): string {
  return `subtree-${controller}-${encodeURIComponent(path)}`;
}

/** The mark of one run ("@" never occurs in an encoded path). */
export function runMarkName(path: string, controller: string, runId: string): string {
  return `${markName(path, controller)}@${runId}`;
}

/** Whether any mark (of any run, or an older unnamed one) says a run switched `controller` on in `path`. */
export function isMarked(marks: ReadonlySet<string>, path: string, controller: string): boolean {
  const name = markName(path, controller);
  return [...marks].some((m) => m === name || m.startsWith(`${name}@`));
}

/** Marks in MARK_DIR, trusted only if root owns the directory and the file and no one else may write there. */
export function trustedMarks(dir = MARK_DIR): Set<string> {
  const marks = new Set<string>();
  try {
    const d = lstatSync(dir);
    if (!d.isDirectory() || d.uid !== 0 || (d.mode & 0o022) !== 0) return marks;
    for (const name of readdirSync(dir)) {
      const f = lstatSync(join(dir, name));
      if (f.isFile() && f.uid === 0) marks.add(name);
    }
  } catch {
    // no marks
  }
  return marks;
}

interface SubtreeWatch {
  /** The cgroup whose children are the runs' cgroups (cgroup2's root). */
  path: string;
  /** What the host itself has switched on there. */
  hostHas: Set<string>;
  /** The run that watches (named in its marks). */
  runId: string;
}

/**
 * At the start of a run: what the host has switched on in `path`. A controller a
 * live run switched on (it has a mark) is not the host's: this run records it
 * too, so whichever run ends last switches it off.
 */
export function watchSubtree(path: string | undefined, runId: string, marks = trustedMarks()): { watch: SubtreeWatch | undefined; shared: SubtreeResource[] } {
  if (!path) return { watch: undefined, shared: [] };
  const on = readSubtree(path);
  const marked = on.filter((c) => isMarked(marks, path, c));
  return {
    watch: { path, hostHas: new Set(on.filter((c) => !marked.includes(c))), runId },
    shared: marked.map((controller) => ({ kind: "subtree", path, controller })),
  };
}

/** After a step: controllers switched on that the host did not have; marks them with this run's id. */
export async function noticeSubtree(watch: SubtreeWatch | undefined): Promise<SubtreeResource[]> {
  if (!watch) return [];
  const fresh = readSubtree(watch.path).filter((c) => !watch.hostHas.has(c));
  if (fresh.length === 0) return [];
  const marks = trustedMarks();
  const unmarked = fresh.filter((c) => !marks.has(runMarkName(watch.path, c, watch.runId)));
  if (unmarked.length > 0) {
    await privileged([
      "sh",
      "-c",
      'd=$1; shift; mkdir -p -m 0755 "$d" && cd "$d" && touch -- "$@"',
      "sh",
      MARK_DIR,
      ...unmarked.map((c) => runMarkName(watch.path, c, watch.runId)),
    ]);
  }
  return fresh.map((controller) => ({ kind: "subtree", path: watch.path, controller }));
}

/** Cgroups of other runs under `path` (named consh-ID), which may need its controllers. */
export function otherRunCgroups(path: string): string[] {
  try {
    return readdirSync(path).filter((n) => /^consh-[a-z0-9]{6}$/.test(n) && statSync(join(path, n)).isDirectory());
  } catch {
    return [];
  }
}

interface SubtreeRestore {
  /** What was done, e.g. "switched cpu off in /sys/fs/cgroup", "left cpu on in /sys/fs/cgroup for consh-ab12cd". */
  done: string[];
  /** Switching off failed: why. */
  failed: string[];
}

/**
 * For each of `records` that a trusted mark of run `runId` backs (any other record,
 * e.g. a forged ledger's, is ignored): removes that mark, and switches the controller
 * off when no other run's mark and no other run's cgroup is left under the path
 * (call it after the run's own cgroups are gone). What the host had on is never marked.
 */
export async function restoreSubtree(records: readonly SubtreeResource[], runId: string, marks = trustedMarks()): Promise<SubtreeRestore> {
  const out: SubtreeRestore = { done: [], failed: [] };
  const seen = new Set<string>();
  for (const { path, controller } of records) {
    const key = `${controller}@${path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const mark = runMarkName(path, controller, runId);
    if (!marks.has(mark)) continue;
    const rest = new Set([...marks].filter((m) => m !== mark));
    const others = otherRunCgroups(path);
    const on = readSubtree(path).includes(controller);
    const keep = !on || isMarked(rest, path, controller) || others.length > 0;
    // This run's mark goes in any case; the controller only when no other run needs it.
    const forget = '{ rm -f -- "$3/$4" && { rmdir "$3" 2>/dev/null; true; }; }';
    const r = await privileged(["sh", "-c", keep ? forget : `echo "-$2" > "$1/cgroup.subtree_control" && ${forget}`, "sh", path, controller, MARK_DIR, mark]);
    if (r.exitCode !== 0)
      out.failed.push(`could not ${keep ? "remove the mark of" : "switch off"} ${controller} in ${path}: ${r.output.trim() || `exit ${r.exitCode}`}`);
    else if (!keep) out.done.push(`switched ${controller} off in ${path}`);
    else if (on) out.done.push(`left ${controller} on in ${path} for ${others.length > 0 ? others.join(" ") : "another run that switched it on"}`);
  }
  return out;
}
