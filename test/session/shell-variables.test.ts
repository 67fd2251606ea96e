// The book's variables a learner's own shell carries: the terminal's shell variables with plain values.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { shellVariables } from "../../src/session/shell.js";
import { Terminal } from "../../src/terminal/terminal.js";

describe.each([
  ["bash", ["bash", "--noprofile", "--norc"]],
  ["busybox ash", ["busybox", "sh"]],
])("shellVariables in %s", (_name, shell) => {
  it("reads lower-case variables with plain values, leaves out the shell's own and odd values", async () => {
    const dir = mkdtempSync(join(tmpdir(), "consh-vars-"));
    const t = Terminal.start({ name: "t", cwd: dir, env: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, shell });
    try {
      await t.run({ text: "ct_pid=1234; cg=/sys/fs/cgroup/consh-x; odd='a\nb'; UPPER=no\n", timeoutMs: 5000 });
      const vars = await shellVariables(t);
      expect(vars).toMatchObject({ ct_pid: "1234", cg: "/sys/fs/cgroup/consh-x" });
      expect(vars).not.toHaveProperty("odd");
      expect(vars).not.toHaveProperty("UPPER");
      expect(Object.keys(vars).some((k) => k.startsWith("__consh"))).toBe(false);
    } finally {
      await t.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
