// Boot one guest with qemu under the heavy lock: the kernel and initramfs, the root
// (9p tag "root", read-only), the kernel's modules and the job directory; serial
// console to a log; no network ever (-nic none); killed at the time limit.
// amd64 guests: q35, TCG or KVM. arm64 guests: `virt` under TCG (cross-architecture),
// cpu max with the implementation-defined pointer authentication (plain `max`
// emulates QARMA slowly: a shell loop took 71 s against 11.6). The whole arm64 row
// measured here: max,pauth-impdef=on 102 and 92 s, cortex-a72 113 and 111 s (a
// shell loop alone favours cortex-a72, 6.3 s against 11.6; the book does not).
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { heavyLock, HostsError, requireTools, which } from "./util.mjs";

const MACHINES = {
  amd64: { binary: "qemu-system-x86_64", pkg: "qemu-system-x86", machine: "q35", console: "ttyS0" },
  arm64: { binary: "qemu-system-aarch64", pkg: "qemu-system-arm", machine: "virt", console: "ttyAMA0" },
};

export function qemuBinary(arch = "amd64") {
  const m = MACHINES[arch];
  requireTools([
    [m.binary, m.pkg],
    ["flock", "util-linux"],
  ]);
  return which(m.binary);
}

const live = new Set();

/** Kill every guest this process started (its process group: flock and qemu). */
export function killGuests() {
  for (const pid of live) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {}
  }
  live.clear();
}

/** TCG everywhere unless CONSH_HOSTS_ACCEL says kvm (KVM guests hang on some nested VMs); arm64 always TCG. */
function accelArgs(accel, arch) {
  if (arch === "arm64") return ["-accel", "tcg,thread=multi", "-cpu", process.env.CONSH_HOSTS_ARM64_CPU ?? "max,pauth-impdef=on"];
  return accel === "kvm" ? ["-accel", "kvm", "-cpu", "host"] : ["-accel", "tcg,thread=multi", "-cpu", "max"];
}

/**
 * Boot and wait. Returns { code, timedOut, seconds, console }.
 * opts: kernel, initrd, root, modules, job, init, log, timeoutSec, accel, memory, arch (amd64, arm64)
 */
export function boot(opts) {
  const arch = opts.arch ?? "amd64";
  const m = MACHINES[arch];
  const qemu = qemuBinary(arch);
  const share = (path, tag, ro) => ["-virtfs", `local,path=${path},mount_tag=${tag},security_model=none,multidevs=remap${ro ? ",readonly=on" : ""}`];
  const args = [
    heavyLock,
    qemu,
    "-machine",
    m.machine,
    ...accelArgs(opts.accel, arch),
    "-smp",
    "2",
    "-m",
    String(opts.memory ?? 2048),
    "-nic",
    "none",
    "-display",
    "none",
    "-monitor",
    "none",
    "-no-reboot",
    "-serial",
    `file:${opts.log}`,
    "-kernel",
    opts.kernel,
    "-initrd",
    opts.initrd,
    "-append",
    `console=${m.console} panic=-1 loglevel=4 consh.init=${opts.init} ${opts.cmdline ?? ""}`.trim(),
    ...share(opts.root, "root", true),
    ...share(opts.modules, "modules", true),
    ...share(opts.job, "job", false),
  ];
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    let lockedAt;
    const child = spawn("flock", args, { detached: true, stdio: ["ignore", "pipe", "pipe"] });
    live.add(child.pid);
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.stdout.on("data", () => {});
    // The time limit counts from the moment the lock is held and qemu has started.
    const started = setInterval(() => {
      if (!lockedAt && existsSync(opts.log)) lockedAt = Date.now();
    }, 250);
    let timedOut = false;
    const limit = setInterval(() => {
      if (lockedAt && Date.now() - lockedAt > opts.timeoutSec * 1000) {
        timedOut = true;
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {}
      }
    }, 1000);
    child.on("error", (e) => reject(new HostsError(`cannot start qemu: ${e.message}`)));
    child.on("exit", (code, signal) => {
      live.delete(child.pid);
      clearInterval(started);
      clearInterval(limit);
      const seconds = Math.round((Date.now() - (lockedAt ?? t0)) / 1000);
      const console = existsSync(opts.log) ? readFileSync(opts.log, "utf8") : "";
      resolve({ code: code ?? signal, timedOut, seconds, console, stderr: stderr.trim() });
    });
  });
}
