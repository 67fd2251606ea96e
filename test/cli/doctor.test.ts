// doctor and the check run makes first, on this real host, and on this host
// seen through a PATH without busybox (a host that lacks it).
import { mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, env, sandbox, type Sandbox } from "./helpers.js";

let noBusybox: string;
let box: Sandbox;
beforeAll(() => {
  noBusybox = mkdtempSync(join(tmpdir(), "consh-path-"));
  for (const dir of ["/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"]) {
    let entries: string[] = [];
    try {
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e === "busybox") continue;
      try {
        symlinkSync(join(dir, e), join(noBusybox, e));
      } catch {
        // already linked from an earlier directory
      }
    }
  }
  box = sandbox("basic");
});
afterAll(() => {
  rmSync(noBusybox, { recursive: true, force: true });
  box.remove();
});

describe("doctor", () => {
  it("passes every check and every chapter of the book on this host", async () => {
    const r = await cli(["doctor"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✓ a statically linked busybox: .*busybox is statically linked/);
    expect(r.stdout).toMatch(/✓ a cgroup2 hierarchy: layout (hybrid|v2)/);
    expect(r.stdout).toMatch(/✓ chapter-12: One more thing/);
    expect(r.stdout).toMatch(/Every chapter can run here\./);
  });

  it("says what a host without busybox lacks, per chapter, with install commands, and exits 3", async () => {
    const r = await cli(["doctor", "--book", box.book], { env: env({ PATH: noBusybox }) });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/✗ a statically linked busybox: busybox is not installed/);
    expect(r.stdout).toMatch(/✓ chapter-01: State lives on/);
    expect(r.stdout).toMatch(
      /✗ chapter-02: Shells change.*\n.*needed by chapter-02\)\n\s+Debian\/Ubuntu: sudo apt-get install -y busybox-static\n\s+Fedora:\s+sudo dnf install -y busybox/,
    );
  });

  it("run refuses up front with the same message and exit 3, and runs nothing", async () => {
    const r = await cli(["run", "2", "--book", box.book, "--work-dir", box.work], { env: env({ PATH: noBusybox }) });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/this host cannot run chapter-02:\n\s+✗ a statically linked busybox/);
    expect(r.stdout).toBe("");
  });
});
