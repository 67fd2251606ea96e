// The host checks behind `doctor` and the check `run` makes before it starts:
// each says whether the host passes, what it found, how to fix it, and which
// chapters need it (read from what their steps run).

import { DEFAULT_TERMINAL, stepsOf, type Chapter } from "../book/model.js";
import type { HostFacts, ProbeSet } from "./probe.js";
import { pickFreeSubnet } from "./subnet.js";
import { usernsFix } from "./userns-fix.js";

export interface Fix {
  debian: string;
  fedora: string;
}

export interface CheckResult {
  id: string;
  title: string;
  ok: boolean;
  detail: string;
  fix: Fix | undefined;
  /** Whether a chapter's steps need this check to pass. */
  neededBy: (chapter: Chapter) => boolean;
}

function allText(chapter: Chapter): string {
  return chapter.blocks.map((b) => b.text).join("\n");
}

const uses = (re: RegExp) => (chapter: Chapter) => re.test(allText(chapter));
const usesUnshare = uses(/\bunshare\b/);
/**
 * A step makes a user namespace as the runner (unshare --user, -U, -r; or the
 * container's set-up, which does): what an ordinary user needs unprivileged user
 * namespaces for. (Chapter 5 only writes and checks the set-up script: it needs none.)
 */
const USERNS_STEP = /\bunshare\b[^\n]*(--user\b|--map-root-user\b|\s-[a-zA-Z]*[Ur]\b)/;
/** A step that starts a container: runs the set-up script with arguments (not its usage, not a syntax check). */
const RUNS_SETUP = /^\s*(exec\s+)?\S*consh_setup\.sh[ \t]+\S/m;
const makesUserns = (chapter: Chapter) => stepsOf(chapter).some((s) => USERNS_STEP.test(s.text) || RUNS_SETUP.test(s.text));
const usesUtilLinux = uses(/\b(unshare|nsenter|findmnt|lsns)\b/);
const usesIp = uses(/\bip (link|netns|addr|address|route)\b/);
const requires = (cap: string) => (chapter: Chapter) => stepsOf(chapter).some((s) => s.requires.includes(cap));
const requiresLsnsTree = requires("lsns-tree");

/** A container in a container: a set-up run from inside a container terminal. */
const nestingSteps = (chapter: Chapter) =>
  /tmpfs/.test(allText(chapter)) ? stepsOf(chapter).filter((s) => s.terminal !== DEFAULT_TERMINAL && RUNS_SETUP.test(s.text)) : [];
const nests = (chapter: Chapter) => nestingSteps(chapter).length > 0;
/** A chapter that starts a container in a container where the host cannot (not behind requires=overlay-userns). */
const nestsUnconditionally = (chapter: Chapter) => nestingSteps(chapter).some((s) => !s.requires.includes("overlay-userns"));

/** The probes a run of `chapters` needs: those behind the checks they need, and lsns's when a step requires lsns-tree. */
export function probesFor(chapters: readonly Chapter[]): ProbeSet {
  const any = (needs: (chapter: Chapter) => boolean) => chapters.some(needs);
  return {
    userns: any(usesUnshare) || any(nests),
    utilLinux: any(usesUtilLinux),
    lsns: any(requiresLsnsTree),
    iproute2: any(usesIp),
    overlayUserns: any(nests) || any(requires("overlay-userns")),
  };
}

/** What the runs' cgroups (children of cgroup2's root) get of the cpu controller. */
export function cpuDetail(host: HostFacts): string {
  const cg = host.cgroup;
  const where = `${cg.v2Mount}/cgroup.subtree_control`;
  if (host.caps.has("cgroup2-cpu")) {
    switch (cg.v2CpuForChildren) {
      case "on":
        return `cgroup2 offers cpu, and ${where} hands it down to the container's cgroup`;
      case "switchable":
        return `cgroup2 offers cpu, but ${where} does not hand it down yet: chapter 10 switches it on with sudo (and the run switches it off again at the end)`;
      case "blocked":
        return `cgroup2 offers cpu, but ${where} does not hand it down, and it cannot be switched on: processes sit in ${cg.v2Mount} itself (a cgroup namespace's root)`;
      default:
        break;
    }
  }
  if (host.caps.has("cgroup1-cpu")) return `v1 cpu hierarchy at ${cg.v1.cpu}`;
  return "no cpu controller is available";
}

const WSL_SYSTEMD = "let systemd run WSL: add [boot] systemd=true to /etc/wsl.conf, then run  wsl --shutdown  in Windows and start it again";

/** The kind of Linux: WSL 1 has no Linux kernel (no namespaces, cgroups or OverlayFS); WSL 2 does. */
function platformCheck(host: HostFacts): CheckResult {
  const p = host.platform;
  const init = p.systemd ? "run by systemd" : "without systemd";
  const detail =
    p.wsl === 1
      ? `WSL 1 (${p.kernel}): Windows answers Linux's system calls itself, with no namespaces, cgroups or OverlayFS`
      : p.wsl === 2
        ? `WSL 2, Microsoft's Linux ${p.kernel}, ${init}; cgroups ${host.cgroup.layout}${p.systemd ? "" : ` (as WSL mounts them; for the pure cgroup v2 most Linux hosts have: ${WSL_SYSTEMD})`}`
        : `Linux ${p.kernel || "(release unreadable)"}, ${init}`;
  const fix = "in Windows: wsl --set-version DISTRIBUTION 2 (WSL 2 runs a real Linux kernel; wsl -l -v lists the distributions)";
  return { id: "platform", title: "a Linux kernel", ok: p.wsl !== 1, detail, fix: { debian: fix, fedora: fix }, neededBy: () => true };
}

function privilegeCheck(host: HostFacts): CheckResult {
  const sudoers = (install: string) => `${install} && echo "${host.user} ALL=(ALL) NOPASSWD: ALL" | sudo tee /etc/sudoers.d/consh-book`;
  return {
    id: "privilege",
    title: "root, or sudo without a password prompt",
    ok: host.root || host.sudo,
    detail: host.root
      ? "running as root (a sudo pass-through is provided if sudo is missing)"
      : host.sudo
        ? `running as ${host.user}; sudo -n works`
        : host.sudoPath
          ? `running as ${host.user}; sudo asks for a password`
          : `running as ${host.user}; no sudo`,
    fix: { debian: sudoers("sudo apt-get install -y sudo"), fedora: sudoers("sudo dnf install -y sudo") },
    neededBy: uses(/\bsudo\b/),
  };
}

function usernsCheck(host: HostFacts): CheckResult {
  return {
    id: "userns",
    title: "user namespaces",
    ok: host.userns.ok,
    detail: host.userns.detail,
    fix: { debian: usernsFix(host.platform).fix, fedora: "sudo sysctl -w user.max_user_namespaces=15000" },
    neededBy: makesUserns,
  };
}

function overlayChecks(host: HostFacts, nestedOverlay: { ok: boolean; detail: string }): CheckResult[] {
  return [
    {
      id: "overlay",
      title: "OverlayFS",
      ok: host.overlay,
      detail: host.overlay ? "overlay is in /proc/filesystems" : "the kernel has no overlay filesystem loaded",
      fix: { debian: "sudo modprobe overlay", fedora: "sudo modprobe overlay" },
      neededBy: uses(/overlay|consh_setup/),
    },
    {
      id: "overlay-userns",
      title: "OverlayFS inside a user namespace (for a container in a container)",
      ok: nestedOverlay.ok,
      detail: nestedOverlay.detail,
      fix: {
        debian: `needs Linux 5.11 or later (this is ${host.platform.kernel || "an older one"}): upgrade the kernel, or the system (Debian 12, Ubuntu 22.04 and later have one)`,
        fedora: "needs Linux 5.11 or later: sudo dnf upgrade kernel",
      },
      neededBy: nestsUnconditionally,
    },
  ];
}

function cgroupChecks(host: HostFacts): CheckResult[] {
  const cg = host.cgroup;
  const v1 = Object.entries(cg.v1)
    .map(([c, m]) => `${c}@${m}`)
    .join(" ");
  const root = cg.v2Mount ?? "/sys/fs/cgroup";
  return [
    {
      id: "cgroup2",
      title: "a cgroup2 hierarchy",
      ok: cg.v2Mount !== undefined,
      detail: `layout ${cg.layout}; cgroup2 ${cg.v2Mount ? `at ${cg.v2Mount} with controllers [${cg.v2Controllers.join(" ")}]` : "not mounted"}${v1 ? `; v1: ${v1}` : ""}`,
      fix:
        host.platform.wsl === 2
          ? { debian: WSL_SYSTEMD, fedora: WSL_SYSTEMD }
          : {
              debian: "boot with systemd.unified_cgroup_hierarchy=1, or sudo mount -t cgroup2 none /sys/fs/cgroup/unified",
              fedora: "boot with systemd.unified_cgroup_hierarchy=1 (the default since Fedora 31)",
            },
      neededBy: uses(/CONSH_CGROUP2|cgroup\.procs|-c "?\$CONSH_NAME/),
    },
    {
      id: "cpu-controller",
      title: "a cpu controller (cgroup v2 cpu.max, or v1 cpu.cfs_quota_us)",
      ok: (host.caps.has("cgroup2-cpu") && cg.v2CpuForChildren !== "blocked") || host.caps.has("cgroup1-cpu"),
      detail: cpuDetail(host),
      fix: {
        debian: `a cgroup whose processes do not sit in ${root} itself (e.g. run in a systemd session or a container with its own cgroup namespace), then: echo +cpu | sudo tee ${root}/cgroup.subtree_control`,
        fedora: `echo +cpu | sudo tee ${root}/cgroup.subtree_control`,
      },
      neededBy: uses(/cpu\.max|cfs_quota_us/),
    },
  ];
}

function toolChecks(host: HostFacts): CheckResult[] {
  return [
    {
      id: "busybox",
      title: "a statically linked busybox",
      ok: host.busybox.path !== undefined && host.busybox.static,
      detail: host.busybox.path
        ? `${host.busybox.path} is ${host.busybox.static ? "statically linked" : "dynamically linked (it will not run inside the container)"}`
        : "busybox is not installed",
      fix: { debian: "sudo apt-get install -y busybox-static", fedora: "sudo dnf install -y busybox" },
      neededBy: uses(/busybox|create_lowerfs/),
    },
    {
      id: "util-linux",
      title: "util-linux (unshare, nsenter, findmnt, lsns)",
      ok: host.utilLinux !== undefined,
      detail: host.utilLinux ? `util-linux ${host.utilLinux}; lsns -T ${host.lsnsTree ? "works" : "is missing (2.38 or later)"}` : "unshare was not found",
      fix: { debian: "sudo apt-get install -y util-linux", fedora: "sudo dnf install -y util-linux" },
      neededBy: usesUtilLinux,
    },
    {
      id: "iproute2",
      title: "iproute2 (ip)",
      ok: host.iproute2,
      detail: host.iproute2 ? "ip is installed" : "ip was not found",
      fix: { debian: "sudo apt-get install -y iproute2", fedora: "sudo dnf install -y iproute" },
      neededBy: usesIp,
    },
  ];
}

function subnetCheck(): CheckResult {
  const subnet = pickFreeSubnet();
  const fix = "free a /24 in 10.200.0.0/13 (see ip route)";
  return {
    id: "subnet",
    title: "a free IPv4 subnet for the container's network",
    ok: subnet !== undefined,
    detail: subnet ? `${subnet}.0/24 touches no route of this host` : "every candidate /24 in 10.200.0.0/13 overlaps a route of this host",
    fix: { debian: fix, fedora: fix },
    neededBy: uses(/CONSH_IP_/),
  };
}

/** All checks; given the chapters a run asked for, the costly probes run only when one of them needs it. */
export async function runChecks(host: HostFacts, chapters?: readonly Chapter[]): Promise<CheckResult[]> {
  const wantNested = chapters === undefined || chapters.some(nests);
  const nestedOverlay = wantNested ? host.overlayUserns : { ok: true, detail: "not checked: no chapter of this run nests a container" };
  return [
    platformCheck(host),
    privilegeCheck(host),
    usernsCheck(host),
    ...overlayChecks(host, nestedOverlay),
    ...cgroupChecks(host),
    ...toolChecks(host),
    subnetCheck(),
  ];
}

/** The checks a chapter needs that fail on this host. */
export function failingFor(chapter: Chapter, checks: readonly CheckResult[]): CheckResult[] {
  return checks.filter((c) => !c.ok && c.neededBy(chapter));
}
