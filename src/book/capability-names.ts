// The host capabilities a step may require with `requires=`: what each means,
// and how to say that a host lacks it (for a skipped step's message).

export const CAPABILITIES = {
  root: "the runner runs as root",
  unprivileged: "the runner runs as an ordinary user (host privilege through sudo)",
  "cgroup2-cpu": "the cgroup2 hierarchy offers the cpu controller (pure cgroup v2 hosts)",
  "cgroup1-cpu": "a cgroup v1 hierarchy holds the cpu controller (hybrid and v1 hosts)",
  "lsns-tree": "lsns can print the namespace tree (lsns -T, util-linux 2.38 or later)",
  "overlay-userns": "an overlay can be mounted inside a user namespace (Linux 5.11 or later), as a container in a container needs",
} as const;

export type CapabilityName = keyof typeof CAPABILITIES;

/** What a host that lacks the capability lacks, as a skipped step's reason ("needs cgroup2-cpu: ..."). */
const MISSING_CAPABILITIES: Record<CapabilityName, string> = {
  root: "the runner is not root here (the book runs as an ordinary user with sudo)",
  unprivileged: "the runner is root here, not an ordinary user",
  "cgroup2-cpu": "this host's cgroup2 hierarchy does not offer the cpu controller (a hybrid or v1 host keeps it in a cgroup v1 hierarchy)",
  "cgroup1-cpu": "no cgroup v1 hierarchy holds the cpu controller on this host, or cgroup2 offers it and is used instead",
  "lsns-tree": "this host's lsns cannot print the namespace tree (lsns -T needs util-linux 2.38 or later)",
  "overlay-userns": "this host's kernel cannot mount an overlay inside a user namespace (that came with Linux 5.11)",
};

export function isCapabilityName(name: string): name is CapabilityName {
  return Object.hasOwn(CAPABILITIES, name);
}

/** Why a step that requires `name` does not run on a host without it: "needs NAME: what is missing". */
export function missingCapability(name: CapabilityName): string {
  return `needs ${name}: ${MISSING_CAPABILITIES[name]}`;
}
