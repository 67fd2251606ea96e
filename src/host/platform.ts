// What kind of Linux this is, read from the kernel's files: its release, whether
// it is WSL (1: no Linux kernel at all; 2: Microsoft's kernel in a VM), whether
// systemd runs it, and the sysctls that restrict unprivileged user namespaces.
// Read under `root` ("/" on a real host; a test points it at a fake tree).

import { existsSync } from "node:fs";
import { join } from "node:path";
import { readText } from "../util/read-text.js";

export interface PlatformFacts {
  /** The kernel's release (uname -r), e.g. 5.10.0-32-amd64 or 5.15.153.1-microsoft-standard-WSL2. */
  kernel: string;
  /** 1 or 2 under Windows' Subsystem for Linux, else undefined. */
  wsl: 1 | 2 | undefined;
  /** systemd is PID 1 (/run/systemd/system exists). */
  systemd: boolean;
  /** kernel.apparmor_restrict_unprivileged_userns (Ubuntu 23.10 and later: 1). */
  apparmorRestrictsUserns: boolean;
  /** kernel.unprivileged_userns_clone=0 (Debian's switch, before Debian 11 made 1 the default). */
  usernsCloneOff: boolean;
  /** user.max_user_namespaces=0. */
  noUserns: boolean;
}

const sysctl = (root: string, path: string) => readText(join(root, "proc/sys", path))?.trim();

export function probePlatform(root = "/"): PlatformFacts {
  const kernel = (readText(join(root, "proc/sys/kernel/osrelease")) ?? "").trim();
  const version = readText(join(root, "proc/version")) ?? "";
  // WSL 2's kernels say "microsoft-standard-WSL2"; WSL 1 emulates Linux 4.4 and says "Microsoft".
  const wsl = /WSL2|microsoft-standard/i.test(kernel) ? 2 : /Microsoft/.test(kernel) || /Microsoft/.test(version) ? 1 : undefined;
  return {
    kernel,
    wsl,
    systemd: existsSync(join(root, "run/systemd/system")),
    apparmorRestrictsUserns: sysctl(root, "kernel/apparmor_restrict_unprivileged_userns") === "1",
    usernsCloneOff: sysctl(root, "kernel/unprivileged_userns_clone") === "0",
    noUserns: sysctl(root, "user/max_user_namespaces") === "0",
  };
}

/** Whether `release` (uname -r) is at least major.minor; false when it cannot be read. */
export function kernelAtLeast(release: string, major: number, minor: number): boolean {
  const m = /^(\d+)\.(\d+)/.exec(release);
  if (!m) return false;
  return Number(m[1]) > major || (Number(m[1]) === major && Number(m[2]) >= minor);
}
