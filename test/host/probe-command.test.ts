// probeCommand: a probe's status and output, and no exception for a probe that cannot run.
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { probeCommand } from "../../src/host/probe-command.js";

describe("probeCommand", () => {
  it("gives the exit status and stdout then stderr", async () => {
    const r = await probeCommand(["sh", "-c", "echo err >&2; echo out; exit 3"]);
    expect(r).toEqual({ exitCode: 3, output: "out\nerr\n" });
  });

  it("gives no input: a probe that reads stdin sees its end at once", async () => {
    expect(await probeCommand(["sh", "-c", "cat; echo done"])).toEqual({ exitCode: 0, output: "done\n" });
  });

  it("resolves -1 with the reason for a command that is not there", async () => {
    const r = await probeCommand(["consh-book-no-such-command"]);
    expect(r.exitCode).toBe(-1);
    expect(r.output).toMatch(/ENOENT/);
  });

  it("resolves -1 when spawn itself throws (a symlink loop where the command should be)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "consh-probe-loop-"));
    try {
      symlinkSync(join(dir, "b"), join(dir, "a"));
      symlinkSync(join(dir, "a"), join(dir, "b"));
      const r = await probeCommand([join(dir, "a")]);
      expect(r.exitCode).toBe(-1);
      expect(r.output).toMatch(/ELOOP/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("kills a probe that outlives its time limit and resolves -1", async () => {
    const t0 = Date.now();
    const r = await probeCommand(["sleep", "10"], process.env, 200);
    expect(r.exitCode).toBe(-1);
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});
