// `consh-book clean`: removes what runs that were killed left on the host. Idempotent.

import { existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { ExitCode } from "../errors.js";
import { findStaleRuns } from "../host/stale-runs.js";
import { tearDown } from "../host/teardown.js";
import { defaultWorkRoot } from "../run/world.js";
import { teardownParts } from "../report/text.js";
import type { Io } from "./io.js";

/** The work roots to look in: the given one, or this user's (and, as root, every user's). */
function workRoots(flag: string | undefined): string[] {
  if (flag) return [resolve(flag)];
  const mine = defaultWorkRoot();
  const roots = [mine];
  if (process.getuid?.() === 0) {
    const parent = dirname(mine);
    if (existsSync(parent)) {
      for (const d of readdirSync(parent)) if (/^consh-book-\d+$/.test(d) && join(parent, d) !== mine) roots.push(join(parent, d));
    }
  }
  return roots;
}

export async function cleanCommand(flags: { workDir?: string }, io: Io): Promise<number> {
  let cleaned = 0;
  let problems = 0;
  for (const root of workRoots(flags.workDir)) {
    for (const run of findStaleRuns(root)) {
      const r = await tearDown(run, { removeRunDir: true });
      cleaned++;
      const parts = teardownParts(r);
      io.out(`run ${run.id} (started ${run.info.startedAt}): removed ${[...parts, r.runDirRemoved ? "its directory" : ""].filter(Boolean).join(", ") || "nothing"}\n`);
      for (const p of r.problems) {
        problems++;
        io.err(`  problem: ${p}\n`);
      }
    }
  }
  if (cleaned === 0) io.out("nothing to clean: no run was left behind\n");
  return problems > 0 ? ExitCode.failed : ExitCode.pass;
}
