import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { HostFacts } from "../../src/host/probe.js";
import { pickFreeSubnet } from "../../src/host/subnet.js";
import { createWorld, newRunId } from "../../src/run/world.js";

// Only the facts createWorld reads; the rest of the probe is not under test here.
const host = (over: Partial<HostFacts>): HostFacts => ({
  uid: 1000,
  gid: 1000,
  user: "learner",
  root: false,
  sudo: true,
  sudoPath: "/usr/bin/sudo",
  cgroup: { layout: "v2", v2Mount: "/sys/fs/cgroup", v2Controllers: ["cpu"], v2CpuForChildren: "on", v1: {} },
  userns: { ok: true, detail: "" },
  platform: { kernel: "6.12.0", wsl: undefined, systemd: true, apparmorRestrictsUserns: false, usernsCloneOff: false, noUserns: false },
  overlayUserns: { ok: true, detail: "" },
  overlay: true,
  busybox: { path: "/bin/busybox", static: true },
  utilLinux: "2.38",
  lsnsTree: true,
  iproute2: true,
  caps: new Set(),
  ...over,
});

let roots: string[] = [];
afterEach(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
  roots = [];
});
const workRoot = () => {
  const d = mkdtempSync(join(tmpdir(), "consh-world-"));
  roots.push(d);
  return d;
};

describe("createWorld", () => {
  it("makes the run's dirs, run.json, and names every host-visible resource after the run id", () => {
    const w = createWorld(host({}), workRoot(), process.env);
    expect(w.id).toMatch(/^[a-z][a-z0-9]{5}$/);
    expect(existsSync(w.workDir)).toBe(true);
    expect(JSON.parse(readFileSync(join(w.runDir, "run.json"), "utf8"))).toMatchObject({ id: w.id, pid: process.pid });
    expect(w.env).toMatchObject({
      CONSH_WORK: w.workDir,
      CONSH_RUN: w.id,
      CONSH_NAME: `consh-${w.id}`,
      CONSH_VETH_HOST: `cb${w.id}h`,
      CONSH_CGROUP2: "/sys/fs/cgroup",
      LC_ALL: "C",
    });
    expect(w.env.CONSH_VETH_CT!.length).toBeLessThanOrEqual(15);
    expect(w.values.replace.get(w.workDir)).toBe("WORK");
    expect(w.values.replace.get(w.id)).toBe("RUN");
  });

  it("as root without sudo, provides a sudo that just runs its command", () => {
    const w = createWorld(host({ root: true, sudoPath: undefined }), workRoot(), process.env);
    const shim = join(w.runDir, "bin", "sudo");
    expect(execFileSync(shim, ["-n", "sh", "-c", 'echo "$0 ran"', "x"], { encoding: "utf8" })).toBe("x ran\n");
    const bad = spawnSync(shim, ["-u", "nobody", "true"], { encoding: "utf8" });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/option -u is not supported/);
    expect(w.env.PATH!.split(":")[0]).toBe(join(w.runDir, "bin"));
  });

  it("with a real sudo, provides none", () => {
    const w = createWorld(host({ root: true }), workRoot(), process.env);
    expect(existsSync(join(w.runDir, "bin", "sudo"))).toBe(false);
  });
});

describe("run ids and subnets", () => {
  it("gives distinct ids", () => {
    const ids = new Set(Array.from({ length: 200 }, newRunId));
    expect(ids.size).toBe(200);
  });

  it("picks a /24 that no route touches, or none when all are taken", () => {
    const net = (a: number, b: number, c: number) => ((a << 24) | (b << 16) | (c << 8)) >>> 0;
    const taken: [number, number][] = [[net(10, 200, 0), 0xfff80000]]; // 10.200.0.0/13: every candidate
    expect(pickFreeSubnet(taken)).toBeUndefined();
    const some: [number, number][] = [[net(10, 200, 0), 0xffff0000]]; // 10.200.0.0/16 only
    const picked = pickFreeSubnet(some);
    expect(picked).toMatch(/^10\.20[1-7]\.\d+$/);
  });
});
