// Snapshots and patterns through the built CLI, on this real host: what a run
// records reads back exactly, and no pattern can stall a run.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { CLI, env, runIn, sandboxes } from "./helpers.js";

const box = sandboxes();

describe("patterns are bounded", () => {
  it("a catastrophically backtracking redact= is stopped within the step's timeout and named with its chapter line", async () => {
    const b = box("patterns");
    const started = performance.now();
    const r = await runIn(b, ["1"], { CI: "true" });
    const seconds = (performance.now() - started) / 1000;
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/step 'evil' \(terminal host, .*chapter-01-backtracking\.md:8\) has a redact=X:\(a\+\)\+\$ that did not finish within [0-9.]+s/);
    expect(r.stdout).toMatch(/rewrite it/);
    // timeout=3 on the step; the rest is starting Node and tearing down.
    expect(seconds).toBeLessThan(12);
  });

  it("SIGTERM during such a redaction ends the run at once, torn down, with exit 143", async () => {
    const b = box("patterns");
    // A long step timeout, so only the signal can end it early.
    const chapter = join(b.book, "chapters", "chapter-01-backtracking.md");
    writeFileSync(chapter, readFileSync(chapter, "utf8").replace("timeout=3", "timeout=120"));
    const child = execa("node", [CLI, "run", "1", "--book", b.book, "--work-dir", b.work], {
      reject: false,
      all: true,
      extendEnv: false,
      env: env({ CI: "true" }),
    });
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const signalled = performance.now();
    child.kill("SIGTERM");
    const r = await child;
    expect(r.exitCode).toBe(143);
    expect((performance.now() - signalled) / 1000).toBeLessThan(10);
  });

  it("a snapshot line of thousands of [..] against a long line that does not fit is a quick mismatch", async () => {
    const b = box("patterns");
    const r = await runIn(b, ["2"], { CI: "true" });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/step 'long' .* output differs/);
  });
});

describe("round trips are exact", () => {
  it("what a recording run writes, a CI run accepts; a different output then fails", async () => {
    const b = box("patterns");
    const data = join(b.dir, "data");
    mkdirSync(data);
    const out = join(data, "out.txt");
    const tricky = [
      "=== Summary",
      "...",
      "pid [..] is up",
      "\\ no newline at end of output",
      "\\back",
      "[UID] is a word here",
      "=== step x (terminal host, exit 0)",
      "",
    ].join("\n");
    writeFileSync(out, tricky);
    writeFileSync(
      join(b.book, "chapters", "chapter-03-round-trip.md"),
      [
        "---",
        "title: Round trips",
        "---",
        "",
        "```sh {step=tricky}",
        `cat ${data}/out.txt`,
        "```",
        "",
        "```sh {step=traced}",
        "set -x",
        "echo traced",
        "```",
        "",
        "```sh {step=after-trace}",
        "echo still traced; set +x",
        "```",
        "",
        "```sh {step=big}",
        `seq 130000; cat ${data}/out.txt`,
        "```",
        "",
      ].join("\n"),
    );
    const rec = await runIn(b, ["3"]);
    expect(rec.code, rec.all).toBe(0);
    const snap = readFileSync(join(b.book, "snapshots", "chapter-03.snap"), "utf8");
    expect(snap).not.toMatch(/CONSH|__consh|printf/);
    expect(snap).toContain("\\=== Summary\n\\...\n\\pid [..] is up\n");
    const ci = await runIn(b, ["3"], { CI: "true" });
    expect(ci.code, ci.all).toBe(0);
    writeFileSync(out, tricky.replace("...", "..,").replace("is up", "is down"));
    const changed = await runIn(b, ["3", "--keep-going"], { CI: "true" });
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(/step 'tricky' .* output differs/);
    expect(changed.stdout).toMatch(/step 'big' .* output differs/);
  });

  it("a step that reads its terminal's stdin is reported as that, without protocol text", async () => {
    const b = box("patterns");
    writeFileSync(join(b.book, "chapters", "chapter-03-stdin.md"), "---\ntitle: Reads stdin\n---\n\n```sh {step=eats timeout=20}\necho before; cat\n```\n");
    const started = performance.now();
    const r = await runIn(b, ["3"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/read its terminal's standard input and consumed the runner's commands; give it < \/dev\/null/);
    expect(r.all).not.toMatch(/CONSH|__consh/);
    expect((performance.now() - started) / 1000).toBeLessThan(15);
  });
});
