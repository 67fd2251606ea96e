// The second stage of a `debootstrap --foreign` root for another architecture (arm64),
// run where that architecture's programs run: in a guest of it, booted on the root
// itself (9p, read-write, no overlay) with a script as PID 1 that runs the stage and
// the root's set-up commands, then powers off. (No binfmt_misc handler is registered
// on this machine: qemu-user would need one to run the stage in a chroot.)
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { boot } from "./qemu.mjs";
import { HostsError, log } from "./util.mjs";

const script = (setup) => `#!/bin/sh
# PID 1 of the guest that finishes the root: debootstrap's second stage, then the set-up.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
out=/hosts-job/out
# The kernel's own devices (9p cannot make device nodes); container=lxc tells
# debootstrap not to test for that with mknod.
mount -t devtmpfs devtmpfs /dev
{
  echo "second stage on $(uname -m), kernel $(uname -r)"
  if container=lxc /debootstrap/debootstrap --second-stage; then
    mount -t proc proc /proc
    ${setup.map((c) => `echo "+ ${c.replace(/["$`\\]/g, "\\$&")}" && { ${c}; } &&`).join("\n    ")}
    touch $out/ok
    umount /proc
  fi
} > $out/stage.log 2>&1
umount /dev
sync
mount -t proc proc /proc
echo o > /proc/sysrq-trigger
sleep 60
`;

/** Finish `root` in a guest booted from `guest` ({ kernel, initrd }), running `setup` after the stage. */
export async function secondStage(root, setup, guest) {
  if (!guest) throw new HostsError("a foreign root's second stage needs its architecture's kernel and initramfs");
  const job = mkdtempSync(join(process.env.CONSH_HOSTS_TMP ?? tmpdir(), "consh-hosts-stage-"));
  try {
    mkdirSync(join(job, "out"));
    writeFileSync(join(job, "stage.sh"), script(setup));
    chmodSync(join(job, "stage.sh"), 0o755);
    const timeoutSec = Number(process.env.CONSH_HOSTS_STAGE_TIMEOUT ?? 3600);
    log(`debootstrap's second stage in an ${guest.kernel.arch} guest (TCG; many minutes, once; limit ${timeoutSec} s)`);
    const b = await boot({
      arch: guest.kernel.arch,
      kernel: join(guest.kernel.dir, "vmlinuz"),
      initrd: guest.initrd,
      root,
      rootRw: true,
      modules: join(guest.kernel.dir, "modules"),
      job,
      init: "/hosts-job/stage.sh",
      log: join(job, "console.log"),
      timeoutSec,
      accel: "tcg",
    });
    const stageLog = existsSync(join(job, "out", "stage.log")) ? readFileSync(join(job, "out", "stage.log"), "utf8") : "";
    if (!existsSync(join(job, "out", "ok"))) {
      const tail = (stageLog || b.console).trim().split("\n").slice(-20).join("\n");
      throw new HostsError(
        `the second stage of the ${guest.kernel.arch} root did not finish (${b.timedOut ? `timed out after ${timeoutSec} s` : `guest ended: ${b.code}`}):\n${tail}`,
      );
    }
    log(`second stage done in ${b.seconds} s`);
    rmSync(join(root, "hosts-job"), { recursive: true, force: true });
  } finally {
    rmSync(job, { recursive: true, force: true });
  }
}
