// Hosts that cannot be booted here (they need Ubuntu's or Microsoft's kernels):
// the probe reads a fake /proc and /sys tree of what each shows, and `unshare
// --user` answers as it does there. doctor must name the cause and the fix, and
// so must the hint under a step that hits it. (Every other command the probe
// runs is this machine's real one.)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { loadBook } from "../../src/book/load-book.js";
import { runChecks } from "../../src/host/checks.js";
import { kernelAtLeast, probePlatform } from "../../src/host/platform.js";
import { EVERY_PROBE, probeHost, type ProbeSeam } from "../../src/host/probe.js";
import { probeCommand } from "../../src/host/probe-command.js";
import { makeColors } from "../../src/util/colors.js";
import { doctorReport } from "../../src/report/doctor-report.js";
import { hintsFor } from "../../src/report/hints.js";
import { stepOf, stepResultOf } from "../support/factories.js";

const trees: string[] = [];
afterAll(() => {
  for (const t of trees) rmSync(t, { recursive: true, force: true });
});

/** A fake root holding `files` (path → text; a path ending in / is a directory). */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "consh-fake-host-"));
  trees.push(root);
  for (const [path, text] of Object.entries(files)) {
    if (path.endsWith("/")) mkdirSync(join(root, path), { recursive: true });
    else {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
  }
  return root;
}

const mountinfo = (lines: string[]) => `${lines.map((l, i) => `${30 + i} 1 0:${40 + i} / ${l}`).join("\n")}\n`;
const V2_ONLY = mountinfo(["/sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot"]);
const CONTROLLERS = "cpuset cpu io memory hugetlb pids rdma misc\n";

/** `unshare --user` as Ubuntu 23.10+ answers it: the uid map write is refused (EPERM). */
const uidMapRefused: ProbeSeam["run"] = (argv) =>
  argv[0] === "unshare" && argv.includes("--user")
    ? Promise.resolve({ exitCode: 1, output: "unshare: write failed /proc/self/uid_map: Operation not permitted\n" })
    : probeCommand(argv);

const book = loadBook(fileURLToPath(new URL("../../", import.meta.url)));
const plain = makeColors(false);

describe("Ubuntu 24.04: AppArmor restricts unprivileged user namespaces", () => {
  const root = tree({
    "proc/sys/kernel/osrelease": "6.8.0-45-generic\n",
    "proc/version":
      "Linux version 6.8.0-45-generic (buildd@lcy02-amd64-075) (x86_64-linux-gnu-gcc-13 (Ubuntu 13.2.0-23ubuntu4) 13.2.0) #45-Ubuntu SMP PREEMPT_DYNAMIC\n",
    "proc/sys/kernel/apparmor_restrict_unprivileged_userns": "1\n",
    "proc/sys/user/max_user_namespaces": "63465\n",
    "proc/self/mountinfo": V2_ONLY,
    "proc/filesystems": "nodev\tcgroup2\nnodev\toverlay\n",
    "sys/fs/cgroup/cgroup.controllers": CONTROLLERS,
    "sys/fs/cgroup/cgroup.subtree_control": "cpuset cpu io memory pids\n",
    "run/systemd/system/": "",
  });

  it("doctor says user namespaces are refused, names the sysctl as the cause, and gives the command that allows them", async () => {
    const host = await probeHost(EVERY_PROBE, process.env, { root, run: uidMapRefused });
    const checks = await runChecks(host);
    const userns = checks.find((c) => c.id === "userns")!;
    expect(userns.ok).toBe(false);
    expect(userns.detail).toBe(
      "unshare --user failed: unshare: write failed /proc/self/uid_map: Operation not permitted (kernel.apparmor_restrict_unprivileged_userns=1: AppArmor restricts unprivileged user namespaces (Ubuntu 23.10 and later))",
    );
    expect(userns.fix!.debian).toMatch(/^sudo sysctl -w kernel\.apparmor_restrict_unprivileged_userns=0 \(until the next boot; to keep it: .*sysctl\.d/);
    expect(checks.find((c) => c.id === "overlay-userns")!.detail).toBe("needs user namespaces first");
    expect(checks.find((c) => c.id === "platform")).toMatchObject({ ok: true, detail: "Linux 6.8.0-45-generic, run by systemd" });
    expect(host.cgroup).toMatchObject({ layout: "v2", v2Mount: "/sys/fs/cgroup", v2CpuForChildren: "on" });
    const { text, blocked } = doctorReport(book, host, checks, plain);
    expect(text).toMatch(/✗ user namespaces: .*AppArmor restricts/);
    expect(text).toMatch(/✓ chapter-02: /);
    expect(text).toMatch(
      /✗ chapter-03: [^\n]*\n\s+✗ user namespaces: [^\n]*\(needed by chapter-03\)\n\s+Debian\/Ubuntu: sudo sysctl -w kernel\.apparmor_restrict_unprivileged_userns=0/,
    );
    expect(blocked).toBeGreaterThan(0);
  });

  it("a step that hits the restriction gets a hint naming the cause on this host and the fix", async () => {
    const host = await probeHost(EVERY_PROBE, process.env, { root, run: uidMapRefused });
    const step = stepOf({ text: "unshare --user --map-root-user --pid --fork sh\n" });
    const result = stepResultOf({ status: "failed", output: "unshare: write failed /proc/self/uid_map: Operation not permitted\n" });
    const [hint] = hintsFor(step, result, host.platform);
    expect(hint).toMatch(
      /^writing the uid map was refused: AppArmor restricts unprivileged user namespaces \(kernel\.apparmor_restrict_unprivileged_userns=1, /,
    );
    expect(hint).toMatch(/sudo sysctl -w kernel\.apparmor_restrict_unprivileged_userns=0/);
    expect(hint).not.toMatch(/unprivileged_userns_clone/);
    // Without the host's facts the hint names both causes.
    expect(hintsFor(step, result)[0]).toMatch(/Ubuntu 23\.10 and later.*unprivileged_userns_clone=0 on older Debian/);
  });
});

describe("WSL", () => {
  const WSL2_KERNEL = "5.15.153.1-microsoft-standard-WSL2";
  // Without systemd, WSL mounts each v1 controller and a cgroup2 with none at /sys/fs/cgroup/unified.
  const v1 = ["cpuset", "cpu", "cpuacct", "blkio", "memory", "devices", "freezer", "net_cls", "perf_event", "net_prio", "hugetlb", "pids", "rdma", "misc"];
  const wslMounts = mountinfo([
    "/sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - tmpfs cgroup rw,mode=755",
    "/sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw,nsdelegate",
    ...v1.map((c) => `/sys/fs/cgroup/${c} rw,nosuid,nodev,noexec,relatime - cgroup cgroup rw,${c}`),
  ]);

  it("WSL 2 without systemd: detected, cgroups hybrid as this machine's (cpu from v1), and the way to the v2 layout is named", async () => {
    const root = tree({
      "proc/sys/kernel/osrelease": `${WSL2_KERNEL}\n`,
      "proc/version": `Linux version ${WSL2_KERNEL} (root@941d701f84f1) (gcc (GCC) 11.2.0, GNU ld (GNU Binutils) 2.37) #1 SMP Tue Apr 23 21:45:51 UTC 2024\n`,
      "proc/self/mountinfo": wslMounts,
      "proc/filesystems": "nodev\tcgroup\nnodev\tcgroup2\nnodev\toverlay\n",
      "sys/fs/cgroup/unified/cgroup.controllers": "\n",
    });
    const host = await probeHost(EVERY_PROBE, process.env, { root, run: probeCommand });
    expect(host.platform).toMatchObject({ wsl: 2, systemd: false, kernel: WSL2_KERNEL });
    expect(host.cgroup).toMatchObject({ layout: "hybrid", v2Mount: "/sys/fs/cgroup/unified", v2Controllers: [] });
    expect(host.caps.has("cgroup1-cpu")).toBe(true);
    const checks = await runChecks(host);
    const platform = checks.find((c) => c.id === "platform")!;
    expect(platform.ok).toBe(true);
    expect(platform.detail).toBe(
      `WSL 2, Microsoft's Linux ${WSL2_KERNEL}, without systemd; cgroups hybrid (as WSL mounts them; for the pure cgroup v2 most Linux hosts have: let systemd run WSL: add [boot] systemd=true to /etc/wsl.conf, then run  wsl --shutdown  in Windows and start it again)`,
    );
    expect(checks.find((c) => c.id === "cgroup2")!.ok).toBe(true);
    expect(checks.find((c) => c.id === "cpu-controller")).toMatchObject({ ok: true, detail: "v1 cpu hierarchy at /sys/fs/cgroup/cpu" });
  });

  it("WSL 2 without a cgroup2 mount: the cgroup2 check's fix is WSL's (systemd in wsl.conf), not a kernel command line", async () => {
    const root = tree({
      "proc/sys/kernel/osrelease": `${WSL2_KERNEL}\n`,
      "proc/version": `Linux version ${WSL2_KERNEL} (root@941d701f84f1) (gcc (GCC) 11.2.0) #1 SMP\n`,
      "proc/self/mountinfo": mountinfo(v1.map((c) => `/sys/fs/cgroup/${c} rw,nosuid,nodev,noexec,relatime - cgroup cgroup rw,${c}`)),
    });
    const checks = await runChecks(await probeHost(EVERY_PROBE, process.env, { root, run: probeCommand }));
    const cgroup2 = checks.find((c) => c.id === "cgroup2")!;
    expect(cgroup2.ok).toBe(false);
    expect(cgroup2.fix!.debian).toMatch(/^let systemd run WSL: add \[boot\] systemd=true to \/etc\/wsl\.conf/);
  });

  it("WSL 1: no Linux kernel; every chapter is refused with how to move to WSL 2", async () => {
    const root = tree({
      "proc/sys/kernel/osrelease": "4.4.0-19041-Microsoft\n",
      "proc/version": "Linux version 4.4.0-19041-Microsoft (Microsoft@Microsoft.com) (gcc version 5.4.0 (GCC) ) #3996-Microsoft Thu Jan 01 62:00:00 PST 2020\n",
      "proc/self/mountinfo": mountinfo(["/ rw,noatime - wslfs rootfs rw"]),
    });
    const host = await probeHost(EVERY_PROBE, process.env, { root, run: probeCommand });
    expect(host.platform.wsl).toBe(1);
    const checks = await runChecks(host);
    const { text, blocked } = doctorReport(book, host, checks, plain);
    expect(text).toMatch(/✗ a Linux kernel: WSL 1 \(4\.4\.0-19041-Microsoft\): Windows answers Linux's system calls itself/);
    expect(text).toMatch(/Debian\/Ubuntu: in Windows: wsl --set-version DISTRIBUTION 2/);
    expect(blocked).toBe(book.chapters.length);
  });
});

describe("probePlatform on this machine, and kernel versions", () => {
  it("reads this host's kernel release and finds no WSL", () => {
    const p = probePlatform();
    expect(p.kernel).toMatch(/^\d+\.\d+/);
    expect(p.wsl).toBeUndefined();
  });

  it("compares a release with major.minor (5.10 has no overlay in a user namespace, 5.11 has)", () => {
    expect(kernelAtLeast("5.10.0-32-amd64", 5, 11)).toBe(false);
    expect(kernelAtLeast("5.11.0", 5, 11)).toBe(true);
    expect(kernelAtLeast("6.1.0-50-amd64", 5, 11)).toBe(true);
    expect(kernelAtLeast("", 5, 11)).toBe(false);
  });
});
