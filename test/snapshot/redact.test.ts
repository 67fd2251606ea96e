// Real worker threads and real catastrophic patterns: nothing is faked.
import { afterAll, describe, expect, it } from "vitest";
import { applyRedactions } from "../../src/snapshot/normalize.js";
import { redact, stopRedactionWorker } from "../../src/snapshot/redact.js";

afterAll(() => stopRedactionWorker());

const evil = { name: "X", source: "(a+)+$", flags: "gm" };
const text = `ok 1234\n${"a".repeat(40)}!\n`;

describe("redact", () => {
  it("gives the same text as applyRedactions, in order, first group only", async () => {
    const rs = [
      { name: "PID", source: "\\b\\d{3,}\\b", flags: "g" },
      { name: "N", source: "ok (\\S+)", flags: "g" },
    ];
    const r = await redact("ok 1234 and 99999\n", rs, 5000);
    expect(r).toEqual({ kind: "done", text: applyRedactions("ok 1234 and 99999\n", rs) });
    expect(r.kind === "done" && r.text).toBe("ok [N] and [PID]\n");
  });

  it("stops a catastrophically backtracking pattern at its limit, naming it, and the event loop keeps running", async () => {
    let ticks = 0;
    const tick = setInterval(() => ticks++, 50);
    const started = performance.now();
    const r = await redact(text, [{ name: "OK", source: "ok", flags: "g" }, evil], 600);
    clearInterval(tick);
    expect(r).toMatchObject({ kind: "too-slow", index: 1, redaction: evil });
    expect(performance.now() - started).toBeLessThan(3000);
    expect(ticks).toBeGreaterThan(3);
    // A new worker takes over.
    expect(await redact("ok\n", [{ name: "OK", source: "ok", flags: "g" }], 5000)).toEqual({ kind: "done", text: "[OK]\n" });
  });

  it("stops at once when the run is interrupted", async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const started = performance.now();
    expect(await redact(text, [evil], 60_000, ac.signal)).toEqual({ kind: "aborted" });
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
