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

/** `$CONSH_BOOK_TMPDIR` or `$TMPDIR` (else /tmp), with consh-book-UID below it. */
export function defaultWorkRoot(env: NodeJS.ProcessEnv): string {
  return join(env.CONSH_BOOK_TMPDIR || env.TMPDIR || tmpdir(), workRootName(process.getuid?.() ?? "user"));
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

/** Makes the run's directory (fresh, 0700) with its work/ and run.json under the checked work root; gives its id and path. */
function makeRun(workRoot: string): { id: string; runDir: string } {
  const uid = currentUid();
  const root = ensureWorkRoot(workRoot, uid);
  let id = newRunId();
  let runDir = join(root, id);
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
    mkdirSync(join(runDir, "work"), { mode: 0o700 });
    const info: RunInfo = { id, pid: process.pid, start: startTimeOf(process.pid) ?? "", startedAt: new Date().toISOString(), uid };
    writeFileAtomic(join(runDir, "run.json"), `${JSON.stringify(info)}\n`);
  } catch (err) {
    if (err instanceof EnvironmentError) throw err;
    throw new EnvironmentError(`cannot create the run's work dir under ${root}: ${(err as Error).message}`, {
      cause: err,
      hint: "pass --work-dir DIR with a directory you can write to (or set CONSH_BOOK_TMPDIR)",
    });
  }
  return { id, runDir };
}

/** The terminals' environment: a small fixed one, and the CONSH_* names of this run. */
function terminalEnv(
  host: HostFacts,
  env: NodeJS.ProcessEnv,
  run: { id: string; binDir: string; workDir: string; net: string | undefined },
): Record<string, string> {
  const veth = vethNames(run.id);
  const out: Record<string, string> = {
    PATH: ensurePath(`${run.binDir}:${env.PATH ?? "/usr/bin:/bin"}`),
    HOME: env.HOME ?? "/",
    USER: host.user,
    LOGNAME: host.user,
    TERM: "dumb",
    LANG: "C",
    LC_ALL: "C",
    CONSH_WORK: run.workDir,
    CONSH_RUN: run.id,
    CONSH_NAME: runName(run.id),
    CONSH_UID: String(host.uid),
    CONSH_GID: String(host.gid),
    CONSH_VETH_HOST: veth.host,
    CONSH_VETH_CT: veth.container,
  };
  if (run.net) {
    out.CONSH_NET = run.net;
    out.CONSH_IP_HOST = `${run.net}.1`;
    out.CONSH_IP_CT = `${run.net}.2`;
  }
  if (host.cgroup.v2Mount) out.CONSH_CGROUP2 = host.cgroup.v2Mount;
  if (host.cgroup.v1.cpu) out.CONSH_CGROUP1_CPU = host.cgroup.v1.cpu;
  if (env.TMPDIR) out.TMPDIR = env.TMPDIR;
  return out;
}

/**
 * Makes the run's directory under `workRoot`: the work root is made or checked
 * first (owned by this user, no one else can write it or above it), the run dir
 * is made fresh with mode 0700, so everything a run executes (bin/, tangled
 * scripts in work/) sits where only this user and root can write. `env` is the
 * environment consh-book was started with.
 */
export function createWorld(host: HostFacts, workRoot: string, env: NodeJS.ProcessEnv): World {
  const { id, runDir } = makeRun(workRoot);
  const workDir = join(runDir, "work");
  const binDir = join(runDir, "bin");
  mkdirSync(binDir, { mode: 0o700 });
  if (host.root && !host.sudoPath) {
    writeFileSync(join(binDir, "sudo"), SUDO_SHIM, { flag: "wx", mode: 0o700 });
    chmodSync(join(binDir, "sudo"), 0o700);
  }
  const net = pickFreeSubnet();
  const replace: Record<string, string> = { WORK: workDir, RUN: id };
  if (net) Object.assign(replace, { IP_HOST: `${net}.1`, IP_CT: `${net}.2`, NET: net });
  // Host facts are matched by a snapshot's placeholders, never rewritten in the output (normalize.ts).
  const bindings: Record<string, string> = { UID: String(host.uid), GID: String(host.gid) };
  if (host.cgroup.v2Mount) bindings.CGROUP2 = host.cgroup.v2Mount;
  const bash = which("bash", env.PATH ?? "");
  return {
    id,
    runDir,
    workDir,
    ledgerFile: join(runDir, "ledger.jsonl"),
    name: runName(id),
    env: terminalEnv(host, env, { id, binDir, workDir, net }),
    values: makeRunValues(replace, bindings),
    shell: bash ? [bash, "--noprofile", "--norc"] : ["/bin/sh"],
  };
}
