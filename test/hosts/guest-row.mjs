// One guest row: make the job, boot the guest (bare: this machine's root; systemd:
// the cached Debian root), read what it left, remove the job directory.
import { join } from "node:path";
import { rmSync } from "node:fs";
import { boot } from "./qemu.mjs";
import { makeJob } from "./job.mjs";
import { outcome } from "./outcome.mjs";
import { log } from "./util.mjs";

/** env: { kernels: {id: k}, initramfs: {id: file}, roots: {name: dir}, nodes: {version: n}, accel }. */
export async function runGuestRow(row, env, mode = "check") {
  const k = env.kernels[row.kernel];
  const job = makeJob(row, mode, row.node ? env.nodes[row.node].node : undefined);
  const timeoutSec = Number(process.env.CONSH_HOSTS_TIMEOUT ?? row.timeoutSec);
  log(`${row.name}: booting (kernel ${k.version}, ${k.arch === "amd64" ? env.accel : "tcg"}, limit ${timeoutSec} s, waiting for the heavy lock)`);
  const b = await boot({
    arch: k.arch,
    kernel: join(k.dir, "vmlinuz"),
    initrd: env.initramfs[row.kernel],
    root: row.init === "systemd" ? env.roots[row.root ?? "trixie"] : "/",
    modules: join(k.dir, "modules"),
    job,
    init: row.init === "systemd" ? "/lib/systemd/systemd" : "/hosts-job/guest.sh",
    cmdline: row.init === "systemd" ? "systemd.show_status=0" : "",
    log: join(job, "console.log"),
    timeoutSec,
    accel: k.arch === "amd64" ? env.accel : "tcg",
  });
  const result = outcome({ ...row, timeoutSec }, k.version, join(job, "out"), b);
  log(`${row.name}: ${result.ok ? "as expected" : "NOT as expected"} (exit ${result.exit}, ${b.seconds} s)`);
  return { result, job, cleanup: () => rmSync(job, { recursive: true, force: true }) };
}
