// The host matrix: which guests, which runner, what each row expects.
// kernel: the Debian suite whose linux-image-amd64 boots the guest;
// init "none": a bare guest on this machine's own root (9p + tmpfs overlay), the
// guest script as PID 1; init "systemd": the cached Debian 13 root, learner logged in.

const ROOT = { runner: "root", uid: 0, gid: 0 };
/** The learner: an ordinary user with passwordless sudo whose uid differs from its gid. */
const LEARNER = { runner: "learner", uid: 1234, gid: 2345 };
/** The oldest Node the book supports (package.json's engines), official build: what a root without a supported Node gets. */
const NODE20 = "20.19.0";
/** A bare pure cgroup v2 guest that should run the whole book. */
const BARE = { init: "none", cgroup: "v2", expectedExit: 0, timeoutSec: 600 };

export const rows = [
  {
    name: "trixie-systemd",
    guest: "Debian 13 (trixie), systemd, learner on the console",
    kernel: "trixie",
    init: "systemd",
    cgroup: "v2",
    ...LEARNER,
    expectedExit: 0,
    expectSessionScope: true,
    // After the book, the learner practises chapter 7 in a pseudo-terminal (tmux):
    // every step typed, verified by the live host; the row expects exit 0 and all typed.
    practice: "chapter-07",
    timeoutSec: 1200,
  },
  {
    name: "bullseye-systemd",
    guest: "Debian 11 (bullseye), systemd 247, util-linux 2.36, learner on the console",
    kernel: "bullseye",
    init: "systemd",
    root: "bullseye",
    // Debian 11's nodejs is 12: the guest gets the official Node 20 the node-20 row runs.
    node: NODE20,
    cgroup: "v2",
    ...LEARNER,
    expectedExit: 0,
    expectSessionScope: true,
    timeoutSec: 1200,
  },
  {
    name: "arm64-systemd",
    guest: "Debian 13 (trixie) arm64, systemd, learner on the console",
    kernel: "trixie-arm64",
    init: "systemd",
    root: "trixie-arm64",
    cgroup: "v2",
    ...LEARNER,
    expectedExit: 0,
    expectSessionScope: true,
    timeoutSec: 2400,
  },
  { name: "6.1-cpu-root", guest: "kernel 6.1 bare, cpu in root subtree_control", kernel: "bookworm", ...BARE, ...ROOT, subtree: "cpu" },
  { name: "6.1-cpu-learner", guest: "kernel 6.1 bare, cpu in root subtree_control", kernel: "bookworm", ...BARE, ...LEARNER, subtree: "cpu" },
  { name: "6.1-nocpu-learner", guest: "kernel 6.1 bare, empty root subtree_control", kernel: "bookworm", ...BARE, ...LEARNER, subtree: "" },
  { name: "6.12-cpu-root", guest: "kernel 6.12 bare, cpu in root subtree_control", kernel: "trixie", ...BARE, ...ROOT, subtree: "cpu" },
  {
    name: "6.1-nouserns-learner",
    guest: "kernel 6.1 bare, unprivileged_userns_clone=0",
    kernel: "bookworm",
    ...BARE,
    ...LEARNER,
    subtree: "cpu",
    usernsClone: "0",
    // run --all runs the chapters that need no user namespace, names the others with
    // doctor's reasons, and ends with exit 3.
    expectedExit: 3,
    expectCannotRun: ["chapter-03", "chapter-06", "chapter-07", "chapter-08", "chapter-09", "chapter-10", "chapter-11", "chapter-12"],
  },
  {
    name: "this-machine",
    guest: "this machine (hybrid), run directly",
    kernel: "host",
    init: "host",
    cgroup: "hybrid",
    ...ROOT,
    expectedExit: 0,
    timeoutSec: 900,
  },
  ...[NODE20, "22.23.5", "24.22.3"].map((version) => ({
    name: `node-${version
      .split(".")
      .slice(0, version.startsWith("20.") ? 2 : 1)
      .join(".")}`,
    guest: `this machine, official Node ${version}${version === NODE20 ? " (the oldest engines allows)" : ""}: build, unit and CLI tests, the book`,
    kernel: "host",
    init: "host",
    node: version,
    cgroup: "hybrid",
    ...ROOT,
    expectedExit: 0,
    timeoutSec: 1200,
  })),
];

export function findRow(name) {
  return rows.find((r) => r.name === name);
}

/** A row's kernel id: SUITE (amd64) or SUITE-ARCH, e.g. trixie-arm64. */
export function kernelSpec(id) {
  const [suite, arch = "amd64"] = id.split("-");
  return { suite, arch };
}
