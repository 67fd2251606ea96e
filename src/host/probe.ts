// Probes what this host offers the book: privileges, cgroup layout, namespaces, tools.

import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { userInfo } from "node:os";
import type { CapabilityName } from "../book/capability-names.js";
import { isStaticElf } from "./elf.js";
import { readMounts } from "./mountinfo.js";
import { probeCommand } from "./probe-command.js";
import { SBIN_DIRS } from "./run-names.js";
import { isRoot } from "../util/trust.js";
import { readText } from "../util/read-text.js";

const V1_CONTROLLERS = [
  "cpu",
  "cpuacct",
  "cpuset",
  "memory",
  "devices",
  "freezer",
  "net_cls",
  "blkio",
  "perf_event",
  "net_prio",
  "hugetlb",
  "pids",
  "rdma",
  "misc",
];

export interface CgroupFacts {
  layout: "v2" | "hybrid" | "v1" | "none";
  /** Where cgroup2 is mounted, if it is. */
  v2Mount: string | undefined;
  /** Controllers the cgroup2 root offers. */
  v2Controllers: string[];
  /**
   * Whether a child of the cgroup2 root (where the runs' cgroups go) gets the cpu
   * controller: "on" (the root hands it down in cgroup.subtree_control),
   * "switchable" (it does not yet; a run may switch it on with root's rights),
   * "blocked" (it cannot be switched on: the root is a namespace's root with
   * processes of its own), "absent" (cgroup2 does not offer cpu).
   */
  v2CpuForChildren: "on" | "switchable" | "blocked" | "absent";
  /** v1 controller → its hierarchy's mount point. */
  v1: Record<string, string>;
}

export interface HostFacts {
  uid: number;
  gid: number;
  user: string;
  root: boolean;
  /** Not root, and `sudo -n true` works. */
  sudo: boolean;
  /** Path of a real sudo, if any. */
  sudoPath: string | undefined;
  cgroup: CgroupFacts;
  userns: { ok: boolean; detail: string };
  overlay: boolean;
  busybox: { path: string | undefined; static: boolean };
  utilLinux: string | undefined;
  lsnsTree: boolean;
  iproute2: boolean;
  caps: Set<CapabilityName>;
}

export function which(name: string, path = process.env.PATH ?? ""): string | undefined {
  const dirs = [...path.split(delimiter), ...SBIN_DIRS];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export function probeCgroups(): CgroupFacts {
  const mounts = readMounts();
  const v2 = mounts.find((m) => m.fsType === "cgroup2");
  const v1: Record<string, string> = {};
  for (const m of mounts.filter((m) => m.fsType === "cgroup")) {
    for (const c of m.superOptions.filter((o) => V1_CONTROLLERS.includes(o))) v1[c] = m.mountPoint;
  }
  let v2Controllers: string[] = [];
  if (v2) {
    try {
      v2Controllers = readFileSync(join(v2.mountPoint, "cgroup.controllers"), "utf8").trim().split(/\s+/).filter(Boolean);
    } catch {
      v2Controllers = [];
    }
  }
  const hasV1 = Object.keys(v1).length > 0;
  const layout = v2 && hasV1 ? "hybrid" : v2 ? "v2" : hasV1 ? "v1" : "none";
  return { layout, v2Mount: v2?.mountPoint, v2Controllers, v2CpuForChildren: v2 ? cpuForChildren(v2.mountPoint, v2Controllers) : "absent", v1 };
}

/**
 * What a child of `dir` gets of the cpu controller. A controller must be in the
 * parent's cgroup.subtree_control before a child has its files. The true root may
 * always switch it on; any other cgroup (the root of a cgroup namespace, in a
 * container) only while no process sits in it (the "no internal processes" rule).
 */
export function cpuForChildren(dir: string, controllers: readonly string[]): CgroupFacts["v2CpuForChildren"] {
  if (!controllers.includes("cpu")) return "absent";
  const read = (f: string) => {
    try {
      return readFileSync(join(dir, f), "utf8");
    } catch {
      return undefined;
    }
  };
  if ((read("cgroup.subtree_control") ?? "").split(/\s+/).includes("cpu")) return "on";
  const trueRoot = !existsSync(join(dir, "cgroup.type"));
  if (trueRoot || (read("cgroup.procs") ?? "").trim() === "") return "switchable";
  return "blocked";
}

function readSysctl(path: string): string | undefined {
  return readText(path)?.trim();
}

async function probeUserns(env: NodeJS.ProcessEnv): Promise<{ ok: boolean; detail: string }> {
  const r = await probeCommand(["unshare", "--user", "--map-root-user", "true"], env);
  if (r.exitCode === 0) return { ok: true, detail: "user namespaces can be created" };
  const restrict = readSysctl("/proc/sys/kernel/apparmor_restrict_unprivileged_userns");
  const clone = readSysctl("/proc/sys/kernel/unprivileged_userns_clone");
  const max = readSysctl("/proc/sys/user/max_user_namespaces");
  const why = [
    restrict === "1" ? "kernel.apparmor_restrict_unprivileged_userns=1" : "",
    clone === "0" ? "kernel.unprivileged_userns_clone=0" : "",
    max === "0" ? "user.max_user_namespaces=0" : "",
  ].filter(Boolean);
  return { ok: false, detail: `unshare --user failed: ${r.output.trim()}${why.length ? ` (${why.join(", ")})` : ""}` };
}

/**
 * The probes that start a process, each of which a run makes only when one of
 * its chapters needs what it finds (checks.ts, probesFor); `doctor` makes them all.
 * (Whether sudo works is always probed for an ordinary user: teardown needs it.)
 */
export interface ProbeSet {
  /** `unshare --user`: can user namespaces be made? */
  userns: boolean;
  /** `unshare --version`: util-linux's version. */
  utilLinux: boolean;
  /** `lsns --help`: does lsns have -T (the lsns-tree capability)? */
  lsns: boolean;
  /** `ip -V`: is iproute2 there? */
  iproute2: boolean;
}

export const EVERY_PROBE: ProbeSet = { userns: true, utilLinux: true, lsns: true, iproute2: true };

const NOT_PROBED = "not probed: no chapter of this run needs it";

/** What this host offers; `env` is consh-book's environment (its PATH finds the tools). */
export async function probeHost(probes: ProbeSet, env: NodeJS.ProcessEnv): Promise<HostFacts> {
  const root = isRoot();
  const info = userInfo();
  const path = env.PATH ?? "";
  const busyboxPath = which("busybox", path);
  const sudoPath = which("sudo", path);
  const probe = (argv: string[]) => probeCommand(argv, env);
  const skipped = Promise.resolve({ exitCode: -1, output: NOT_PROBED });
  const [userns, sudoOk, unshareVersion, lsnsHelp, ipVersion] = await Promise.all([
    probes.userns ? probeUserns(env) : Promise.resolve({ ok: false, detail: NOT_PROBED }),
    !root && sudoPath ? probe(["sudo", "-n", "true"]).then((r) => r.exitCode === 0) : Promise.resolve(false),
    probes.utilLinux ? probe(["unshare", "--version"]) : skipped,
    probes.lsns ? probe(["lsns", "--help"]) : skipped,
    probes.iproute2 ? probe(["ip", "-V"]) : skipped,
  ]);
  const cgroup = probeCgroups();
  const filesystems = readSysctl("/proc/filesystems") ?? "";
  const utilLinux = /util-linux (\d+\.\d+(?:\.\d+)?)/.exec(unshareVersion.output)?.[1];
  const facts: HostFacts = {
    uid: info.uid,
    gid: info.gid,
    user: info.username,
    root,
    sudo: sudoOk,
    sudoPath,
    cgroup,
    userns,
    overlay: /\boverlay\b/.test(filesystems) || existsSync("/sys/module/overlay"),
    busybox: { path: busyboxPath, static: busyboxPath ? isStaticElf(busyboxPath) : false },
    utilLinux,
    lsnsTree: lsnsHelp.output.includes("--tree"),
    iproute2: ipVersion.exitCode === 0,
    caps: new Set(),
  };
  facts.caps = capabilitiesOf(facts);
  return facts;
}

export function capabilitiesOf(f: HostFacts): Set<CapabilityName> {
  const caps = new Set<CapabilityName>();
  if (f.root) caps.add("root");
  else caps.add("unprivileged");
  if (f.cgroup.v2Controllers.includes("cpu")) caps.add("cgroup2-cpu");
  if (f.cgroup.v1.cpu && !f.cgroup.v2Controllers.includes("cpu")) caps.add("cgroup1-cpu");
  if (f.lsnsTree) caps.add("lsns-tree");
  return caps;
}
