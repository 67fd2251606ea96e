// Why unprivileged user namespaces are refused on a host, and the command that
// allows them: one text for doctor's check and for the hint under a failed step.

import type { PlatformFacts } from "./platform.js";

const APPARMOR = "kernel.apparmor_restrict_unprivileged_userns";

/** The cause (from the host's sysctls when known) and the fix for a Debian/Ubuntu host. */
export function usernsFix(platform: PlatformFacts | undefined): { cause: string; fix: string } {
  if (platform?.apparmorRestrictsUserns) {
    return {
      cause: `AppArmor restricts unprivileged user namespaces (${APPARMOR}=1, the default from Ubuntu 23.10 on)`,
      fix: `sudo sysctl -w ${APPARMOR}=0 (until the next boot; to keep it: echo ${APPARMOR}=0 | sudo tee /etc/sysctl.d/60-consh-book.conf)`,
    };
  }
  if (platform?.usernsCloneOff) {
    return {
      cause: "unprivileged user namespaces are switched off (kernel.unprivileged_userns_clone=0)",
      fix: "sudo sysctl -w kernel.unprivileged_userns_clone=1",
    };
  }
  if (platform?.noUserns) {
    return { cause: "no user namespaces may be made (user.max_user_namespaces=0)", fix: "sudo sysctl -w user.max_user_namespaces=15000" };
  }
  return {
    cause: `unprivileged user namespaces are restricted (${APPARMOR}=1 on Ubuntu 23.10 and later, kernel.unprivileged_userns_clone=0 on older Debian)`,
    fix: `sudo sysctl -w ${APPARMOR}=0 (Ubuntu), or sudo sysctl -w kernel.unprivileged_userns_clone=1 (older Debian)`,
  };
}
