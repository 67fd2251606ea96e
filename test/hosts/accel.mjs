// KVM where it works, TCG where it does not: on some nested VMs /dev/kvm exists but
// a KVM guest hangs after the kernel decompresses. A short probe boot decides, and
// its answer is cached per host kernel and qemu. CONSH_HOSTS_ACCEL=kvm|tcg skips it.
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir, release } from "node:os";
import { ensure } from "./cache.mjs";
import { boot, qemuBinary } from "./qemu.mjs";
import { log, run } from "./util.mjs";

export async function chooseAccel(k, initrd) {
  const forced = process.env.CONSH_HOSTS_ACCEL;
  if (forced === "kvm" || forced === "tcg") return forced;
  try {
    accessSync("/dev/kvm", constants.R_OK | constants.W_OK);
  } catch {
    return "tcg";
  }
  const qemuVersion = run(qemuBinary(), ["--version"]).stdout.split("\n")[0];
  const { dir } = await ensure("accel-probe", `accel ${release()} ${qemuVersion}`, async (out) => {
    const job = mkdtempSync(join(tmpdir(), "consh-hosts-probe-"));
    log("probing whether KVM guests boot here (30 s at most)");
    const r = await boot({
      kernel: join(k.dir, "vmlinuz"),
      initrd,
      root: "/",
      modules: join(k.dir, "modules"),
      job,
      init: "probe",
      log: join(job, "console.log"),
      timeoutSec: 30,
      accel: "kvm",
    });
    rmSync(job, { recursive: true, force: true });
    writeFileSync(join(out, "accel"), r.console.includes("consh-hosts-probe-ok") ? "kvm" : "tcg");
  });
  const accel = readFileSync(join(dir, "accel"), "utf8");
  log(`accelerator: ${accel}`);
  return accel;
}
