// The second stage of a `debootstrap --foreign` root for another architecture (arm64),
// run where that architecture's programs run: in a guest of it. The guest boots on the
// half-made root (read-only 9p under a tmpfs overlay, as every guest), unpacks it from
// one tar into a tmpfs, runs the stage and the root's set-up there in a chroot (dpkg
// on 9p under TCG was about an hour; in RAM, with dpkg's fsyncs off, minutes), and
// writes the finished root back as one tar. No binfmt_misc handler is registered on
// this machine (qemu-user would need one to run the stage in a chroot here).
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { boot } from "./qemu.mjs";
import { HostsError, log, run } from "./util.mjs";

const script = (setup) => `#!/bin/sh
# PID 1 of the guest that finishes the root: debootstrap's second stage, then the set-up.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
out=/hosts-job/out t=/consh-stage
{
  echo "second stage on $(uname -m), kernel $(uname -r)"
  mkdir -p $t && mount -t tmpfs -o mode=755 tmpfs $t &&
  tar -C $t -xpf /hosts-job/in.tar &&
  mkdir -p $t/etc/dpkg/dpkg.cfg.d && echo force-unsafe-io > $t/etc/dpkg/dpkg.cfg.d/consh-stage &&
  mount -t devtmpfs devtmpfs $t/dev &&
  container=lxc chroot $t /debootstrap/debootstrap --second-stage &&
  mount -t proc proc $t/proc &&
  ${setup.map((c) => `echo "+ ${c.replace(/["$`\\]/g, "\\$&")}" && chroot $t sh -c '${c.replace(/'/g, "'\\''")}' &&`).join("\n  ")}
  umount $t/proc && umount $t/dev &&
  rm $t/etc/dpkg/dpkg.cfg.d/consh-stage &&
  tar -C $t --numeric-owner -cf $out/root.tar . &&
  touch $out/ok
} > $out/stage.log 2>&1
sync
mount -t proc proc /proc
echo o > /proc/sysrq-trigger
sleep 60
`;

/** Finish `root` in a guest booted from `guest` ({ kernel, initrd }), running `setup` after the stage. */
export async function secondStage(root, setup, guest) {
  if (!guest) throw new HostsError("a foreign root's second stage needs its architecture's kernel and initramfs");
  const job = mkdtempSync(join(process.env.CONSH_HOSTS_TMP ?? tmpdir(), "consh-hosts-stage-"));
  // Also when the matrix is interrupted (its handler exits the process).
  const removeJob = () => rmSync(job, { recursive: true, force: true });
  process.on("exit", removeJob);
  try {
    mkdirSync(join(job, "out"));
    chmodSync(job, 0o755);
    writeFileSync(join(job, "stage.sh"), script(setup));
    chmodSync(join(job, "stage.sh"), 0o755);
    run("tar", ["-C", root, "--numeric-owner", "-cf", join(job, "in.tar"), "."]);
    const timeoutSec = Number(process.env.CONSH_HOSTS_STAGE_TIMEOUT ?? 3600);
    log(`debootstrap's second stage in an ${guest.kernel.arch} guest (TCG, in its RAM; minutes, once; limit ${timeoutSec} s)`);
    const b = await boot({
      arch: guest.kernel.arch,
      kernel: join(guest.kernel.dir, "vmlinuz"),
      initrd: guest.initrd,
      root,
      modules: join(guest.kernel.dir, "modules"),
      job,
      init: "/hosts-job/stage.sh",
      log: join(job, "console.log"),
      timeoutSec,
      accel: "tcg",
      memory: 3072,
    });
    const stageLog = existsSync(join(job, "out", "stage.log")) ? readFileSync(join(job, "out", "stage.log"), "utf8") : "";
    if (!existsSync(join(job, "out", "ok"))) {
      const tail = (stageLog || b.console).trim().split("\n").slice(-20).join("\n");
      throw new HostsError(
        `the second stage of the ${guest.kernel.arch} root did not finish (${b.timedOut ? `timed out after ${timeoutSec} s` : `guest ended: ${b.code}`}):\n${tail}`,
      );
    }
    log(`second stage done in ${b.seconds} s`);
    run("rm", ["-rf", "--one-file-system", root]);
    mkdirSync(root);
    run("tar", ["-C", root, "--numeric-owner", "-xpf", join(job, "out", "root.tar")]);
  } finally {
    removeJob();
    process.off("exit", removeJob);
  }
}
