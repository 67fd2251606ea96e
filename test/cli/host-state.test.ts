// The test helper that reads the host state must see what a run could leave
// behind, including a plain process in the host's own namespaces.
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { hostState } from "./host-state.js";

describe("hostState", () => {
  it("sees a stray process that carries a run's id in its environment, and no longer once it is gone", async () => {
    const before = hostState();
    const stray = spawn("sleep", ["30"], { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", CONSH_RUN: "zz9test" }, stdio: "ignore" });
    await new Promise((r) => setTimeout(r, 200));
    const during = hostState();
    expect(during).not.toBe(before);
    expect(during).toContain(`sleep (pid ${stray.pid}) CONSH_RUN=zz9test`);
    stray.kill("SIGKILL");
    await new Promise((r) => stray.once("exit", r));
    await new Promise((r) => setTimeout(r, 100));
    expect(hostState()).toBe(before);
  });
});
