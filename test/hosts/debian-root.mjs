// The systemd guest's root: Debian 13 (trixie) from debootstrap (minbase plus
// systemd, sudo, nodejs and the book's tools), with the learner (uid 1234, gid 2345,
// passwordless sudo) logged in automatically on ttyS0; the login shell runs the
// job's guest.sh. debootstrap mounts /proc etc. inside its target: it runs under
// the heavy lock.
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { ensure, removeTree } from "./cache.mjs";
import { heavyLock, HostsError, log, requireTools, run } from "./util.mjs";

const mirror = process.env.CONSH_HOSTS_MIRROR ?? "http://deb.debian.org/debian";
const packages = "systemd,systemd-sysv,dbus,libpam-systemd,sudo,nodejs,busybox-static,util-linux,iproute2,procps,tmux,less,kmod,udev";

const files = {
  "etc/hostname": "guest\n",
  "etc/hosts": "127.0.0.1 localhost\n127.0.1.1 guest\n",
  "etc/sudoers.d/learner": "learner ALL=(ALL) NOPASSWD: ALL\n",
  "etc/systemd/system/serial-getty@ttyS0.service.d/autologin.conf":
    "[Service]\nExecStart=\nExecStart=-/sbin/agetty --autologin learner --noclear --keep-baud 115200,57600,38400,9600 - $TERM\n",
  "home/learner/.bash_profile":
    '# The host matrix: the console login runs the job, then the guest powers off.\nif [ "$(tty)" = /dev/ttyS0 ] && [ -x /hosts-job/guest.sh ]; then exec /hosts-job/guest.sh; fi\n',
};
const recipe = createHash("sha256").update(packages).update(JSON.stringify(files)).update("v1").digest("hex").slice(0, 16);

async function build(out) {
  requireTools([
    ["debootstrap", "debootstrap"],
    ["flock", "util-linux"],
    ["chroot", "coreutils"],
  ]);
  const root = join(out, "root");
  log(`debootstrap trixie into ${root} (a few minutes; under ${heavyLock})`);
  try {
    run("flock", [
      heavyLock,
      "debootstrap",
      "--variant=minbase",
      `--include=${packages}`,
      "--keyring=/usr/share/keyrings/debian-archive-keyring.gpg",
      "trixie",
      root,
      mirror,
    ]);
  } catch (e) {
    removeTree(root);
    throw new HostsError(`debootstrap of Debian 13 (trixie) from ${mirror} failed (set CONSH_HOSTS_MIRROR to a reachable mirror): ${e.message}`);
  }
  run("chroot", [root, "groupadd", "-g", "2345", "learner"]);
  run("chroot", [root, "useradd", "-u", "1234", "-g", "2345", "-m", "-s", "/bin/bash", "learner"]);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  chmodSync(join(root, "etc/sudoers.d/learner"), 0o440);
  run("chroot", [root, "chown", "learner:learner", "/home/learner/.bash_profile"]);
  run("chroot", [root, "systemd-machine-id-setup"]);
  run("chroot", [root, "systemctl", "mask", "systemd-firstboot.service", "apt-daily.timer", "apt-daily-upgrade.timer", "e2scrub_all.timer", "fstrim.timer"], {
    allowFail: true,
  });
  run("rm", ["-rf", join(root, "var/cache/apt/archives"), join(root, "var/lib/apt/lists")]);
  mkdirSync(join(root, "var/cache/apt/archives/partial"), { recursive: true });
}

/** The cached trixie root: { dir, seconds }. */
export async function debianRoot() {
  const { dir, seconds } = await ensure("debian-trixie-root", `debian-root ${recipe} ${mirror}`, build);
  return { dir: join(dir, "root"), seconds };
}
