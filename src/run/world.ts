// One run's world: its id, its directories, the names it may give host resources,
// and the environment every terminal starts with.

import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomInt } from "../util/random.js";
import { EnvironmentError } from "../errors.js";
import type { HostFacts } from "../host/probe.js";
import { which } from "../host/probe.js";
import { startTimeOf } from "../host/discover.js";
import type { RunInfo } from "../host/stale-runs.js";
import { makeRunValues, type RunValues } from "../snapshot/normalize.js";
import { currentUid } from "../util/trust.js";
import { pickFreeSubnet } from "../host/subnet.js";
import { RUN_ID_CHARS, runName, SBIN_DIRS, vethNames, workRootName } from "../host/run-names.js";
import { ensureWorkRoot, makeRunDir, writeFileAtomic } from "./work-root.js";

export interface World {
  id: string;
  /** Directory of this run: work/, bin/, run.json, ledger.jsonl. */
  runDir: string;
  workDir: string;
  ledgerFile: string;
  /** Prefix of every host-visible name this run creates (cgroups, netns). */
  name: string;
  env: Record<string, string>;
  values: RunValues;
  shell: string[];
}

/** Six characters, starting with a letter: short enough for 15-character link names. */
export function newRunId(): string {
  let id = RUN_ID_CHARS[randomInt(26)]!;
  for (let i = 0; i < 5; i++) id += RUN_ID_CHARS[randomInt(RUN_ID_CHARS.length)]!;
  return id;
}

export function defaultWorkRoot(): string {
  return join(process.env.CONSH_BOOK_TMPDIR ?? tmpdir(), workRootName(process.getuid?.() ?? "user"));
}

const SUDO_SHIM = `#!/bin/sh
# consh-book: the book runs as root on a host without sudo, so "sudo CMD" just runs CMD.
while [ $# -gt 0 ]; do
  case $1 in
    -n|-E|-H) shift ;;
    --) shift; break ;;
    -*) echo "consh-book sudo shim: option $1 is not supported" >&2; exit 1 ;;
    *) break ;;
  esac
done
exec "$@"
`;

function ensurePath(path: string): string {
  const parts = path.split(":").filter(Boolean);
  for (const extra of SBIN_DIRS) if (!parts.includes(extra)) parts.push(extra);
  return parts.join(":");
}

/**
 * Makes the run's directory under `workRoot`: the work root is made or checked
 * first (owned by this user, no one else can write it or above it), the run dir
 * is made fresh with mode 0700, so everything a run executes (bin/, tangled
 * scripts in work/) sits where only this user and root can write.
 */
export function createWorld(host: HostFacts, workRoot: string): World {
  const uid = currentUid();
  const root = ensureWorkRoot(workRoot, uid);
  let id = newRunId();
  let runDir = join(root, id);
  const workDir = () => join(runDir, "work");
  try {
    for (let tries = 0; ; tries++) {
      try {
        makeRunDir(runDir, uid);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST" || tries > 20) throw err;
        id = newRunId();
        runDir = join(root, id);
      }
    }
    mkdirSync(workDir(), { mode: 0o700 });
    const info: RunInfo = { id, pid: process.pid, start: startTimeOf(process.pid) ?? "", startedAt: new Date().toISOString(), uid };
    writeFileAtomic(join(runDir, "run.json"), `${JSON.stringify(info)}\n`);
  } catch (err) {
    if (err instanceof EnvironmentError) throw err;
    throw new EnvironmentError(`cannot create the run's work dir under ${root}: ${(err as Error).message}`, {
      cause: err,
      hint: "pass --work-dir DIR with a directory you can write to (or set CONSH_BOOK_TMPDIR)",
    });
  }
  const binDir = join(runDir, "bin");
  mkdirSync(binDir, { mode: 0o700 });
  if (host.root && !host.sudoPath) {
    writeFileSync(join(binDir, "sudo"), SUDO_SHIM, { flag: "wx", mode: 0o700 });
    chmodSync(join(binDir, "sudo"), 0o700);
  }
  const net = pickFreeSubnet();
  const name = runName(id);
  const veth = vethNames(id);
  const env: Record<string, string> = {
    PATH: ensurePath(`${binDir}:${process.env.PATH ?? "/usr/bin:/bin"}`),
    HOME: process.env.HOME ?? "/",
    USER: host.user,
    LOGNAME: host.user,
    TERM: "dumb",
    LANG: "C",
    LC_ALL: "C",
    CONSH_WORK: workDir(),
    CONSH_RUN: id,
    CONSH_NAME: name,
    CONSH_UID: String(host.uid),
    CONSH_GID: String(host.gid),
    CONSH_VETH_HOST: veth.host,
    CONSH_VETH_CT: veth.container,
  };
  if (net) {
    env.CONSH_NET = net;
    env.CONSH_IP_HOST = `${net}.1`;
    env.CONSH_IP_CT = `${net}.2`;
  }
  if (host.cgroup.v2Mount) env.CONSH_CGROUP2 = host.cgroup.v2Mount;
  if (host.cgroup.v1.cpu) env.CONSH_CGROUP1_CPU = host.cgroup.v1.cpu;
  if (process.env.TMPDIR) env.TMPDIR = process.env.TMPDIR;

  const replace: Record<string, string> = { WORK: workDir(), RUN: id };
  if (net) Object.assign(replace, { IP_HOST: `${net}.1`, IP_CT: `${net}.2`, NET: net });
  // Host facts are matched by a snapshot's placeholders, never rewritten in the output (normalize.ts).
  const bindings: Record<string, string> = { UID: String(host.uid), GID: String(host.gid) };
  if (host.cgroup.v2Mount) bindings.CGROUP2 = host.cgroup.v2Mount;
  const values = makeRunValues(replace, bindings);
  const bash = which("bash");
  return {
    id,
    runDir,
    workDir: workDir(),
    ledgerFile: join(runDir, "ledger.jsonl"),
    name,
    env,
    values,
    shell: bash ? [bash, "--noprofile", "--norc"] : ["/bin/sh"],
  };
}
