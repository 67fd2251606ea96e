// `consh-book clean`: removes what runs that were killed left on the host. Idempotent.
// Trusts only work roots and run dirs their user owns; one bad run never stops the others.

import { readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { visible } from "../util/visible.js";
import { ExitCode } from "../errors.js";
import { otherRunWithId, readProcessViews } from "../host/discover.js";
import { scanWorkRoot, type StaleRun, type WorkRootScan } from "../host/stale-runs.js";
import { tearDown } from "../host/teardown.js";
import { currentUid, lstatOrUndefined } from "../util/trust.js";
import { defaultWorkRoot } from "../run/world.js";
import { checkWorkRoot } from "../run/work-root.js";
import { teardownParts } from "../report/text.js";
import type { Io } from "../util/io.js";

interface WorkRoot {
  path: string;
  /** The uid that must own it and everything in it. */
  owner: number;
}

/** The work roots to look in: the given one, or this user's (and, as root, every user's `consh-book-N`). */
function workRoots(flag: string | undefined, env: NodeJS.ProcessEnv): WorkRoot[] {
  const uid = currentUid();
  if (flag) return [{ path: resolve(flag), owner: uid }];
  const mine = resolve(defaultWorkRoot(env));
  const roots = [{ path: mine, owner: uid }];
  if (uid === 0) {
    const parent = dirname(mine);
    let entries: string[] = [];
    try {
      entries = readdirSync(parent);
    } catch {
      // no temp dir: nothing to look at
    }
    for (const d of entries.sort()) {
      const m = /^consh-book-(\d+)$/.exec(d);
      if (m && join(parent, d) !== mine) roots.push({ path: join(parent, d), owner: Number(m[1]) });
    }
  }
  return roots;
}

/** Scans a work root if it can be trusted; says why not otherwise. */
function scanRoot(root: WorkRoot, explicit: boolean, io: Io): WorkRootScan | undefined {
  if (!lstatOrUndefined(root.path)) return undefined; // never made: nothing was left there
  try {
    checkWorkRoot(root.path, root.owner);
  } catch (err) {
    if (explicit) throw err; // --work-dir on a file or an unsafe dir: exit 5 with its hint
    io.err(
      `skipped ${visible(root.path)}: ${visible((err as Error).message).replace(/^the work root \S+ is not safe to use: /, "")}; not trusted as uid ${root.owner}'s work root\n`,
    );
    return undefined;
  }
  const scan = scanWorkRoot(root.path, root.owner);
  for (const s of scan.skipped) io.err(`skipped ${visible(s.path)}: it ${visible(s.why)}; not trusted as a run dir of uid ${root.owner}\n`);
  return scan;
}

async function cleanOne(run: StaleRun, live: Set<string>, io: Io): Promise<number> {
  // A live run with this id elsewhere (another work dir, another user) owns the consh-<id> names.
  const other = live.has(run.id) ? undefined : otherRunWithId(readProcessViews(), run, run.owner);
  const byName = !live.has(run.id) && !other;
  const started = run.info ? ` (started ${visible(String(run.info.startedAt))})` : "";
  if (run.invalid) io.out(`run ${run.id}: ${visible(run.invalid)}; treated as a run that was left behind\n`);
  if (other)
    io.out(
      `run ${run.id}: process ${other.pid} belongs to another live run with the same id, so nothing is removed by name (cgroups, netns names, links); only what lies under ${run.runDir}\n`,
    );
  else if (!byName)
    io.out(`run ${run.id}: a live run has the same id, so nothing is removed by name (cgroups, netns names, links); only what lies under ${run.runDir}\n`);
  const r = await tearDown(run, { removeRunDir: true, byName, owner: run.owner });
  const parts = teardownParts(r);
  io.out(`run ${run.id}${started}: removed ${[...parts, r.runDirRemoved ? "its directory" : ""].filter(Boolean).join(", ") || "nothing"}\n`);
  for (const p of r.problems) io.err(`  problem: ${visible(p)}\n`);
  return r.problems.length;
}

export async function cleanCommand(flags: { workDir?: string }, io: Io): Promise<number> {
  const explicit = flags.workDir !== undefined;
  const scans = workRoots(flags.workDir, io.env).flatMap((root) => scanRoot(root, explicit, io) ?? []);
  const live = new Set(scans.flatMap((s) => s.live));
  let cleaned = 0;
  let problems = 0;
  for (const run of scans.flatMap((s) => s.stale)) {
    cleaned++;
    try {
      problems += await cleanOne(run, live, io);
    } catch (err) {
      problems++;
      io.err(`  problem: run ${run.id} in ${visible(run.runDir)}: ${visible((err as Error).message)}\n`);
    }
  }
  if (cleaned === 0) io.out("nothing to clean: no run was left behind\n");
  return problems > 0 ? ExitCode.failed : ExitCode.pass;
}
