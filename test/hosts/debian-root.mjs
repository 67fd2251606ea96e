// The systemd guests' roots: Debian from debootstrap (minbase plus systemd, sudo and
// the book's tools), with the learner (uid 1234, gid 2345, passwordless sudo) logged
// in automatically on the serial console; the login shell runs the job's guest.sh.
// Debian 13 (trixie) brings its own Node.js 20; Debian 11 (bullseye) has none that
// the book supports: its guests get the matrix's Node 20 from the job (guest.sh).
// An arm64 root is made with `debootstrap --foreign` here and its second stage runs
// inside an arm64 guest (./foreign-stage.mjs): nothing is registered with this
// machine's binfmt_misc. debootstrap mounts /proc etc. inside its target: it runs
// under the heavy lock.
import { chmodSync, chownSync, mkdirSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { ensure, removeTree } from "./cache.mjs";
import { secondStage } from "./foreign-stage.mjs";
import { heavyLock, HostsError, log, requireTools, run } from "./util.mjs";

const mirror = process.env.CONSH_HOSTS_MIRROR ?? "http://deb.debian.org/debian";
const base = "systemd,systemd-sysv,dbus,libpam-systemd,sudo,busybox-static,util-linux,iproute2,procps,tmux,less,kmod,udev";

/** The roots the rows boot: Debian suite, architecture, packages, serial console. */
const ROOTS = {
  trixie: {
    suite: "trixie",
    release: "Debian 13",
    arch: "amd64",
    packages: "systemd,systemd-sysv,dbus,libpam-systemd,sudo,nodejs,busybox-static,util-linux,iproute2,procps,tmux,less,kmod,udev",
    console: "ttyS0",
  },
  bullseye: {
    suite: "bullseye",
    release: "Debian 11",
    arch: "amd64",
    packages: base,
    console: "ttyS0",
    // systemd 247's serial-getty@ has no StandardInput=tty: agetty opens the tty itself.
    gettyTty: "%I",
    // The guest's / is an overlay (over 9p), and OverlayFS takes no upper layer on an
    // overlay; a Debian 11 install has /tmp on its disk. A tmpfs there, as Debian 13 has.
    files: { "etc/fstab": "tmpfs /tmp tmpfs mode=1777,nosuid,nodev 0 0\n" },
  },
  "trixie-arm64": { suite: "trixie", release: "Debian 13", arch: "arm64", packages: `${base},nodejs`, console: "ttyAMA0" },
};

function filesFor({ console, gettyTty = "-", files = {} }) {
  return {
    ...files,
    "etc/hostname": "guest\n",
    "etc/hosts": "127.0.0.1 localhost\n127.0.1.1 guest\n",
    "etc/sudoers.d/learner": "learner ALL=(ALL) NOPASSWD: ALL\n",
    [`etc/systemd/system/serial-getty@${console}.service.d/autologin.conf`]: `[Service]\nExecStart=\nExecStart=-/sbin/agetty --autologin learner --noclear --keep-baud 115200,57600,38400,9600 ${gettyTty} $TERM\n`,
    "home/learner/.bash_profile": `# The host matrix: the console login runs the job, then the guest powers off.\nif [ "$(tty)" = /dev/${console} ] && [ -x /hosts-job/guest.sh ]; then exec /hosts-job/guest.sh; fi\n`,
  };
}

/** What the root needs once its packages are installed (run in a chroot, or inside the guest); then its files are written. */
const SETUP = [
  "groupadd -g 2345 learner",
  "useradd -u 1234 -g 2345 -m -s /bin/bash learner",
  "systemd-machine-id-setup",
  "systemctl mask systemd-firstboot.service apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer || true",
];

function recipeOf(spec) {
  const h = createHash("sha256")
    .update(spec.packages)
    .update(JSON.stringify(filesFor(spec)));
  // Debian 13 on amd64 keeps its earlier recipe (no rebuild of what is cached).
  if (spec.suite !== "trixie" || spec.arch !== "amd64") h.update(`${spec.suite} ${spec.arch} ${SETUP.join("\n")}`);
  return h.update("v1").digest("hex").slice(0, 16);
}

function writeFiles(root, spec) {
  for (const [path, text] of Object.entries(filesFor(spec))) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  chmodSync(join(root, "etc/sudoers.d/learner"), 0o440);
  chownSync(join(root, "home/learner/.bash_profile"), 1234, 2345);
}

async function build(spec, out, guest) {
  requireTools([
    ["debootstrap", "debootstrap"],
    ["flock", "util-linux"],
    ["chroot", "coreutils"],
  ]);
  const root = join(out, "root");
  const foreign = spec.arch !== "amd64";
  log(`debootstrap ${spec.suite} (${spec.arch}) into ${root} (a few minutes; under ${heavyLock})`);
  try {
    run("flock", [
      heavyLock,
      "debootstrap",
      ...(foreign ? ["--foreign", `--arch=${spec.arch}`] : []),
      "--variant=minbase",
      `--include=${spec.packages}`,
      "--keyring=/usr/share/keyrings/debian-archive-keyring.gpg",
      spec.suite,
      root,
      mirror,
    ]);
  } catch (e) {
    removeTree(root);
    throw new HostsError(
      `debootstrap of ${spec.release} (${spec.suite}, ${spec.arch}) from ${mirror} failed (set CONSH_HOSTS_MIRROR to a reachable mirror): ${e.message}`,
    );
  }
  if (foreign) {
    await secondStage(root, SETUP, guest);
  } else {
    for (const cmd of SETUP) run("chroot", [root, "sh", "-c", cmd]);
  }
  writeFiles(root, spec);
  run("rm", ["-rf", join(root, "var/cache/apt/archives"), join(root, "var/lib/apt/lists")]);
  mkdirSync(join(root, "var/cache/apt/archives/partial"), { recursive: true });
}

/**
 * The cached root `name` (a key of ROOTS): { dir, seconds }. `guest` (kernel and
 * initramfs of the root's architecture) boots a foreign root's second stage.
 */
export async function debianRoot(name = "trixie", guest = undefined) {
  const spec = ROOTS[name];
  if (!spec) throw new HostsError(`no Debian root ${name}: one of ${Object.keys(ROOTS).join(", ")}`);
  const entry = name === "trixie" ? "debian-trixie-root" : `debian-${name}-root`;
  const { dir, seconds } = await ensure(entry, `debian-root ${recipeOf(spec)} ${mirror}`, (tmp) => build(spec, tmp, guest));
  return { dir: join(dir, "root"), seconds };
}
