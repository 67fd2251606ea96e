// Can an overlay be mounted inside a user namespace? Linux allows it from 5.11 on
// (and Ubuntu's kernels earlier); a container in a container needs it (chapter 12).
// Probed for real: a throwaway overlay in a throwaway user and mount namespace.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { probeCommand } from "./probe-command.js";

export async function probeOverlayUserns(run: typeof probeCommand): Promise<{ ok: boolean; detail: string }> {
  const dir = mkdtempSync(join(tmpdir(), "consh-probe-"));
  try {
    const script = 'cd "$1" && mkdir l u w m && echo x > l/f && mount -t overlay overlay -o lowerdir=l,upperdir=u,workdir=w m && cat m/f';
    const r = await run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script, "sh", dir]);
    return r.exitCode === 0
      ? { ok: true, detail: "an overlay can be mounted inside a user namespace" }
      : { ok: false, detail: `mounting an overlay inside a user namespace failed: ${r.output.trim()}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
