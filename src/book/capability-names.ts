// The host capabilities a step may require with `requires=`, and what each means.

export const CAPABILITIES = {
  root: "the runner runs as root",
  unprivileged: "the runner runs as an ordinary user (host privilege through sudo)",
  "cgroup2-cpu": "the cgroup2 hierarchy offers the cpu controller (pure cgroup v2 hosts)",
  "cgroup1-cpu": "a cgroup v1 hierarchy holds the cpu controller (hybrid and v1 hosts)",
  "lsns-tree": "lsns can print the namespace tree (lsns -T, util-linux 2.38 or later)",
  "overlay-userns": "an overlay can be mounted inside a user namespace (Linux 5.11 or later), as a container in a container needs",
} as const;

export type CapabilityName = keyof typeof CAPABILITIES;

export function isCapabilityName(name: string): name is CapabilityName {
  return Object.hasOwn(CAPABILITIES, name);
}
