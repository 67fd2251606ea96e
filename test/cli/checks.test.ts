// Checks strengthen every run: a step's check runs after it (and before it: a
// check that already passes cannot tell), its question must have an answer, and
// the reports carry both.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runIn, sandboxes } from "./helpers.js";

const box = sandboxes();

describe("checks in an ordinary run", () => {
  it("fail a step whose output matched when its check finds the state wrong, with the check's reason", async () => {
    const b = box("checks");
    const json = join(b.dir, "r.json");
    const r = await runIn(b, ["1", "--json", json], { CI: "true" });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✓ make \(host\)/);
    expect(r.stdout).toMatch(/✓ count \(host\)/);
    expect(r.stdout).toMatch(/✗ wrong \(host\) .* failed\n\s+what you can do: the step ran, but the host is not in the state/);
    expect(r.stdout).toMatch(/step 'wrong' .*ran, but its check \(.*chapter-01-state\.md:\d+\) failed: plain is a file, not a directory/);
    const steps = JSON.parse(readFileSync(json, "utf8")).chapters[0].steps;
    expect(steps.map((s: { id: string; check: unknown; answer: unknown }) => [s.id, s.check, s.answer])).toEqual([
      ["make", { passed: true, reason: "" }, null],
      ["count", null, "1"],
      ["wrong", { passed: false, reason: "plain is a file, not a directory" }, null],
    ]);
  });

  it("in CI, fail a step whose check passed before the step ran (it cannot tell whether the step was done); outside CI, say so", async () => {
    const b = box("checks");
    const ci = await runIn(b, ["2"], { CI: "true" });
    expect(ci.code).toBe(1);
    expect(ci.stdout).toMatch(/the check of chapter-02 step 'weak' .* passed before the step ran, so it cannot tell whether the step was done/);
    const local = await runIn(b, ["2"]);
    expect(local.code).toBe(0);
  });

  it("JUnit carries the check's reason", async () => {
    const b = box("checks");
    const xml = join(b.dir, "r.xml");
    await runIn(b, ["1", "--junit", xml], { CI: "true" });
    expect(readFileSync(xml, "utf8")).toMatch(
      /<testcase classname="chapter-01" name="wrong \(terminal host\)"[^>]*>\s*<failure type="failed" message="[^"]*plain is a file, not a directory/,
    );
  });
});
