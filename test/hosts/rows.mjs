// The host matrix: which guests, which runner, what each row expects.
// kernel: the Debian suite whose linux-image-amd64 boots the guest;
// init "none": a bare guest on this machine's own root (9p + tmpfs overlay), the
// guest script as PID 1; init "systemd": the cached Debian 13 root, learner logged in.

const ROOT = { runner: "root", uid: 0, gid: 0 };
/** The learner: an ordinary user with passwordless sudo whose uid differs from its gid. */
const LEARNER = { runner: "learner", uid: 1234, gid: 2345 };
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
    timeoutSec: 1200,
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
    // The book must refuse up front (exit 3, doctor's reasons) and run nothing.
    expectedExit: 3,
    expectNoSteps: true,
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
];

export function findRow(name) {
  return rows.find((r) => r.name === name);
}
