// Finds runs whose runner is gone (killed) but whose directory, and maybe host
// resources, are still there; `clean` removes them and `run` warns about them.
// Only directories and files owned by the work root's user, without symlinks, are trusted.

import { RUN_ID } from "./run-names.js";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { realUidOf, startTimeOf, type RunIdentity } from "./discover.js";
import { dirProblem, lstatOrUndefined, readOwnedFile } from "../util/trust.js";

/** What run.json in a run's directory holds. */
export interface RunInfo {
  id: string;
  /** PID of the runner, and its start time (to tell it from a later process with that PID). */
  pid: number;
  start: string;
  startedAt: string;
  uid: number;
}

export interface StaleRun extends RunIdentity {
  /** The uid that owns the run's work root and dir. */
  owner: number;
  info?: RunInfo;
  /** Why run.json was not accepted (the run is treated as stale). */
  invalid?: string;
}

export interface WorkRootScan {
  stale: StaleRun[];
  /** Ids of runs whose runner still lives. */
  live: string[];
  /** Entries not trusted, and why. */
  skipped: { path: string; why: string }[];
}

/** The RunInfo in `value`, or what is wrong with it. */
export function validateRunInfo(value: unknown, id: string, owner: number): RunInfo | string {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "is not a JSON object";
  const v = value as Record<string, unknown>;
  if (v.id !== id) return `names run ${JSON.stringify(v.id)}, not ${id}`;
  if (!Number.isSafeInteger(v.pid) || (v.pid as number) <= 0) return "has no valid pid";
  if (typeof v.start !== "string" || !/^\d*$/.test(v.start)) return "has no valid start time";
  if (typeof v.startedAt !== "string") return "has no startedAt";
  if (v.uid !== owner) return `names uid ${JSON.stringify(v.uid)}, but the run dir belongs to uid ${owner}`;
  return { id, pid: v.pid as number, start: v.start, startedAt: v.startedAt, uid: owner };
}

/** Reads and checks run.json of a run dir owned by `owner`. */
function readRunInfo(runDir: string, id: string, owner: number): RunInfo | string {
  const read = readOwnedFile(join(runDir, "run.json"), owner, 64 * 1024);
  if ("problem" in read) return `run.json ${read.problem}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(read.text);
  } catch {
    return "run.json is not valid JSON";
  }
  const info = validateRunInfo(parsed, id, owner);
  return typeof info === "string" ? `run.json ${info}` : info;
}

/** The runner lives: its PID has the recorded start time and is a process of the run's owner (a forged run.json naming another user's process, e.g. PID 1, is not live). */
export function runnerAlive(info: RunInfo): boolean {
  return info.start !== "" && startTimeOf(info.pid) === info.start && realUidOf(info.pid) === info.uid;
}

/** A run dir without run.json this young may be a run that is just starting. */
const STARTING_MS = 60_000;

/**
 * Looks through `workRoot` (a directory the caller checked is owned by
 * `owner`): which runs are stale, which live, and what was not trusted.
 */
export function scanWorkRoot(workRoot: string, owner: number): WorkRootScan {
  const scan: WorkRootScan = { stale: [], live: [], skipped: [] };
  let entries: string[];
  try {
    entries = readdirSync(workRoot).sort();
  } catch {
    return scan;
  }
  for (const id of entries) {
    if (!RUN_ID.test(id)) continue;
    const runDir = join(workRoot, id);
    const st = lstatOrUndefined(runDir);
    const problem = dirProblem(st, owner, { private: true });
    if (problem) {
      scan.skipped.push({ path: runDir, why: problem });
      continue;
    }
    const run: StaleRun = { id, name: `consh-${id}`, runDir, owner };
    const info = readRunInfo(runDir, id, owner);
    if (typeof info === "string") {
      if (info === "run.json does not exist" && Date.now() - st!.mtimeMs < STARTING_MS) {
        scan.live.push(id); // just being made, or made by an older version: leave it alone for now
        continue;
      }
      scan.stale.push({ ...run, invalid: info });
    } else if (runnerAlive(info)) {
      scan.live.push(id);
    } else {
      scan.stale.push({ ...run, info });
    }
  }
  return scan;
}
