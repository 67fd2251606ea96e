// Probes what this host offers the book: privileges, cgroup layout, namespaces, tools.
// The kernel's files are read under a root and commands run through a function,
// both "the real host" unless a test points them at a fake /proc and /sys tree
// (a host that cannot be booted here: Ubuntu's AppArmor restriction, WSL).

import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { userInfo } from "node:os";
import type { CapabilityName } from "../book/capability-names.js";
import { isStaticElf } from "./elf.js";
import { readMounts } from "./mountinfo.js";
import { probeOverlayUserns } from "./overlay-userns.js";
import { kernelAtLeast, probePlatform, type PlatformFacts } from "./platform.js";
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
  platform: PlatformFacts;
  userns: { ok: boolean; detail: string };
  overlay: boolean;
  /** An overlay can be mounted inside a user namespace (Linux 5.11+): the overlay-userns capability. */
  overlayUserns: { ok: boolean; detail: string };
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

export function probeCgroups(root = "/"): CgroupFacts {
  const mounts = readMounts(join(root, "proc/self/mountinfo"));
  const v2 = mounts.find((m) => m.fsType === "cgroup2");
  const v1: Record<string, string> = {};
  for (const m of mounts.filter((m) => m.fsType === "cgroup")) {
    for (const c of m.superOptions.filter((o) => V1_CONTROLLERS.includes(o))) v1[c] = m.mountPoint;
  }
  let v2Controllers: string[] = [];
  if (v2) {
    try {
      v2Controllers = readFileSync(join(root, v2.mountPoint, "cgroup.controllers"), "utf8")
        .trim()
        .split(/\s+/)
        .filter(Boolean);
    } catch {
      v2Controllers = [];
    }
  }
  const hasV1 = Object.keys(v1).length > 0;
  const layout = v2 && hasV1 ? "hybrid" : v2 ? "v2" : hasV1 ? "v1" : "none";
  return { layout, v2Mount: v2?.mountPoint, v2Controllers, v2CpuForChildren: v2 ? cpuForChildren(join(root, v2.mountPoint), v2Controllers) : "absent", v1 };
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

/** Where the probes read the kernel's files and how they run commands: this host, unless a test says otherwise. */
export interface ProbeSeam {
  root: string;
  run: (argv: readonly string[]) => ReturnType<typeof probeCommand>;
}

async function probeUserns(seam: ProbeSeam, platform: PlatformFacts): Promise<{ ok: boolean; detail: string }> {
  const r = await seam.run(["unshare", "--user", "--map-root-user", "true"]);
  if (r.exitCode === 0) return { ok: true, detail: "user namespaces can be created" };
  const why = [
    platform.apparmorRestrictsUserns
      ? "kernel.apparmor_restrict_unprivileged_userns=1: AppArmor restricts unprivileged user namespaces (Ubuntu 23.10 and later)"
      : "",
    platform.usernsCloneOff ? "kernel.unprivileged_userns_clone=0" : "",
    platform.noUserns ? "user.max_user_namespaces=0" : "",
  ].filter(Boolean);
  return { ok: false, detail: `unshare --user failed: ${r.output.trim()}${why.length ? ` (${why.join(", ")})` : ""}` };
}

/** Why the overlay probe failed, as far as the host tells: no user namespaces, or a kernel before 5.11. */
function whyNoOverlayUserns(detail: string, usernsOk: boolean, platform: PlatformFacts): { ok: false; detail: string } {
  if (!usernsOk) return { ok: false, detail: "needs user namespaces first" };
  if (platform.kernel && !kernelAtLeast(platform.kernel, 5, 11)) {
    return { ok: false, detail: `${detail} (Linux ${platform.kernel}: a user namespace may mount an overlay from 5.11 on)` };
  }
  return { ok: false, detail };
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
  /** A throwaway overlay in a user namespace (the overlay-userns capability). */
  overlayUserns: boolean;
}

export const EVERY_PROBE: ProbeSet = { userns: true, utilLinux: true, lsns: true, iproute2: true, overlayUserns: true };

const NOT_PROBED = "not probed: no chapter of this run needs it";

/** What this host offers; `env` is consh-book's environment (its PATH finds the tools); `seam`: where it looks (a test's fake host). */
export async function probeHost(
  probes: ProbeSet,
  env: NodeJS.ProcessEnv,
  seam: ProbeSeam = { root: "/", run: (argv) => probeCommand(argv, env) },
): Promise<HostFacts> {
  const root = isRoot();
  const info = userInfo();
  const path = env.PATH ?? "";
  const busyboxPath = which("busybox", path);
  const sudoPath = which("sudo", path);
  const platform = probePlatform(seam.root);
  const skipped = Promise.resolve({ exitCode: -1, output: NOT_PROBED });
  const notProbed = Promise.resolve({ ok: false, detail: NOT_PROBED });
  const [userns, overlayUserns, sudoOk, unshareVersion, lsnsHelp, ipVersion] = await Promise.all([
    probes.userns || probes.overlayUserns ? probeUserns(seam, platform) : notProbed,
    probes.overlayUserns ? probeOverlayUserns(seam.run) : notProbed,
    !root && sudoPath ? seam.run(["sudo", "-n", "true"]).then((r) => r.exitCode === 0) : Promise.resolve(false),
    probes.utilLinux ? seam.run(["unshare", "--version"]) : skipped,
    probes.lsns ? seam.run(["lsns", "--help"]) : skipped,
    probes.iproute2 ? seam.run(["ip", "-V"]) : skipped,
  ]);
  const cgroup = probeCgroups(seam.root);
  const filesystems = readText(join(seam.root, "proc/filesystems")) ?? "";
  const utilLinux = /util-linux (\d+\.\d+(?:\.\d+)?)/.exec(unshareVersion.output)?.[1];
  const facts: HostFacts = {
    uid: info.uid,
    gid: info.gid,
    user: info.username,
    root,
    sudo: sudoOk,
    sudoPath,
    cgroup,
    platform,
    userns,
    overlay: /\boverlay\b/.test(filesystems) || existsSync(join(seam.root, "sys/module/overlay")),
    // Without user namespaces the overlay probe fails for that reason: say so.
    overlayUserns: !probes.overlayUserns || overlayUserns.ok ? overlayUserns : whyNoOverlayUserns(overlayUserns.detail, userns.ok, platform),
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
  if (f.overlayUserns.ok) caps.add("overlay-userns");
  return caps;
}
