// Finds runs whose runner is gone (killed) but whose directory, and maybe host
// resources, are still there; `clean` removes them and `run` warns about them.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { startTimeOf, type RunIdentity } from "./discover.js";

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
  info: RunInfo;
}

function readInfo(runDir: string): RunInfo | undefined {
  try {
    return JSON.parse(readFileSync(join(runDir, "run.json"), "utf8")) as RunInfo;
  } catch {
    return undefined;
  }
}

export function runnerAlive(info: RunInfo): boolean {
  return startTimeOf(info.pid) === info.start;
}

/** Runs under `workRoot` whose runner no longer lives. */
export function findStaleRuns(workRoot: string): StaleRun[] {
  if (!existsSync(workRoot)) return [];
  const out: StaleRun[] = [];
  for (const id of readdirSync(workRoot).sort()) {
    if (!/^[a-z][a-z0-9]{5}$/.test(id)) continue;
    const runDir = join(workRoot, id);
    const info = readInfo(runDir);
    if (!info || info.id !== id || runnerAlive(info)) continue;
    out.push({ id, name: `consh-${id}`, runDir, info });
  }
  return out;
}
