import { describe, expect, it } from "vitest";
import type { Step } from "../../src/book/model.js";
import { hintsFor } from "../../src/report/hints.js";
import type { StepResult } from "../../src/report/results.js";
import { stepOf, stepResultOf } from "../support/factories.js";

const step = (text: string): Step => stepOf({ text });
const result = (output: string, status: StepResult["status"] = "failed"): StepResult => stepResultOf({ status, exitCode: 1, output });

describe("hintsFor", () => {
  it("explains pivot_root's EINVAL by mount points and propagation", () => {
    const h = hintsFor(step("pivot_root merged merged/old\n"), result("pivot_root: failed to change root from `merged' to `merged/old': Invalid argument\n"));
    expect(h.join("\n")).toMatch(/not a mount point or a mount has shared propagation/);
  });

  it("blames restricted user namespaces when the uid map write is refused, and points at doctor", () => {
    const h = hintsFor(step("unshare --user --map-root-user true\n"), result("unshare: write failed /proc/self/uid_map: Operation not permitted\n"));
    expect(h.join("\n")).toMatch(/apparmor_restrict_unprivileged_userns[\s\S]*consh-book doctor/);
  });

  it("asks for passwordless sudo when sudo wants a password", () => {
    expect(hintsFor(step("sudo true\n"), result("sudo: a password is required\n")).join()).toMatch(/NOPASSWD/);
  });

  it("says nothing when nothing is recognised, and explains a timeout", () => {
    expect(hintsFor(step("false\n"), result(""))).toEqual([]);
    expect(hintsFor(step("sleep 9\n"), result("", "timeout")).join()).toMatch(/must not read stdin/);
  });

  it("does not mistake a usage text that mentions setgroups for a refused map", () => {
    expect(hintsFor(step("unshare --version\n"), result("--setgroups allow|deny\tControl the setgroups syscall\n"))).toEqual([]);
  });
});
