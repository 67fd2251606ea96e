// doctor's cpu check looks at what a child of cgroup2's root gets, not only at
// what the root offers: on ordinary directories standing in for cgroups.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cpuDetail } from "../../src/host/checks.js";
import { capabilitiesOf, cpuForChildren, type HostFacts } from "../../src/host/probe.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "consh-cpu-check-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function cgroup(files: Record<string, string>): string {
  const d = join(dir, "cg");
  mkdirSync(d, { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(join(d, f), text);
  return d;
}

describe("cpuForChildren", () => {
  it("is on when the root hands cpu down", () => {
    expect(cpuForChildren(cgroup({ "cgroup.subtree_control": "cpuset cpu io memory pids\n" }), ["cpu", "memory"])).toBe("on");
  });

  it("is switchable at the true root (no cgroup.type) even with processes in it", () => {
    expect(cpuForChildren(cgroup({ "cgroup.subtree_control": "\n", "cgroup.procs": "1\n" }), ["cpu"])).toBe("switchable");
  });

  it("is switchable at a namespace's root without processes of its own", () => {
    expect(cpuForChildren(cgroup({ "cgroup.subtree_control": "memory\n", "cgroup.type": "domain\n", "cgroup.procs": "" }), ["cpu"])).toBe("switchable");
  });

  it("is blocked at a namespace's root where processes sit (no internal processes)", () => {
    expect(cpuForChildren(cgroup({ "cgroup.subtree_control": "\n", "cgroup.type": "domain\n", "cgroup.procs": "1\n7\n" }), ["cpu"])).toBe("blocked");
  });

  it("is absent when cgroup2 does not offer cpu (hybrid hosts)", () => {
    expect(cpuForChildren(cgroup({ "cgroup.subtree_control": "\n" }), ["hugetlb"])).toBe("absent");
  });
});

const host = (forChildren: HostFacts["cgroup"]["v2CpuForChildren"]): HostFacts => {
  const h: HostFacts = {
    uid: 1234,
    gid: 2345,
    user: "learner",
    root: false,
    sudo: true,
    sudoPath: "/usr/bin/sudo",
    cgroup: { layout: "v2", v2Mount: "/sys/fs/cgroup", v2Controllers: ["cpu", "memory"], v2CpuForChildren: forChildren, v1: {} },
    userns: { ok: true, detail: "" },
    platform: { kernel: "6.12.0", wsl: undefined, systemd: true, apparmorRestrictsUserns: false, usernsCloneOff: false, noUserns: false },
    overlayUserns: { ok: true, detail: "" },
    overlay: true,
    busybox: { path: "/bin/busybox", static: true },
    utilLinux: "2.41",
    lsnsTree: true,
    iproute2: true,
    caps: new Set(),
  };
  h.caps = capabilitiesOf(h);
  return h;
};

describe("cpuDetail", () => {
  it("says when chapter 10 will switch cpu on, and when it cannot", () => {
    expect(cpuDetail(host("on"))).toMatch(/hands it down/);
    expect(cpuDetail(host("switchable"))).toMatch(/does not hand it down yet: chapter 10 switches it on with sudo/);
    expect(cpuDetail(host("blocked"))).toMatch(/cannot be switched on: processes sit in \/sys\/fs\/cgroup itself/);
  });
});
