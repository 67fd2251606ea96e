// The runner through the CLI on small fixture books, on this real host.
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { JsonReport } from "../../src/report/json.js";
import { cli, runIn, sandboxes } from "./helpers.js";

const box = sandboxes();

type JsonStep = JsonReport["chapters"][number]["steps"][number];

function steps(file: string): Record<string, JsonStep> {
  const doc = JSON.parse(readFileSync(file, "utf8")) as JsonReport;
  return Object.fromEntries(doc.chapters.flatMap((c) => c.steps).map((s) => [s.id, s]));
}

describe("run on a passing book (CI mode: nothing is written)", () => {
  it("keeps state in a terminal, separates terminals, follows exec, starts background steps, skips missing capabilities", async () => {
    const b = box("basic");
    const json = join(b.dir, "report.json");
    const r = await runIn(b, ["chapter-02", "--json", json], { CI: "true" });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✓ chapter-01: State lives on in a terminal \(needed first\)/);
    const s = steps(json);
    expect(s.use?.output).toBe("hello from sub\n");
    expect(s.other).toMatchObject({ terminal: "second", output: "greeting is 'unset'\n" });
    expect(s["run-tangled"]?.output).toBe("hello from tangle");
    expect(s["fails-on-purpose"]).toMatchObject({ status: "passed", exitCode: 3 });
    expect(s["in-busybox"]?.output).toBe("busybox\n");
    expect(s["in-dash"]?.output).toBe("dash\nno final newline");
    expect(s.server?.status).toBe("started");
    expect(s.redacted?.output).toBe("my pid is [PID]\n");
    expect(s["only-v2"]).toMatchObject({ status: "skipped", reason: expect.stringMatching(/^needs cgroup2-cpu/) });
    // The run dir is gone: everything was torn down.
    expect(existsSync(b.work) ? readdirSync(b.work) : []).toEqual([]);
  });

  it("writes a JUnit report with one testcase per step", async () => {
    const b = box("basic");
    const xml = join(b.dir, "junit.xml");
    const r = await runIn(b, ["2", "--junit", xml], { CI: "true" });
    expect(r.code).toBe(0);
    const text = readFileSync(xml, "utf8");
    expect(text).toMatch(/<testsuite name="chapter-01: State lives on in a terminal" tests="5" failures="0"/);
    expect(text).toMatch(/<testcase classname="chapter-02" name="in-busybox \(terminal host\)"/);
    expect(text).toMatch(/<skipped message="needs cgroup2-cpu/);
  });
});

describe("run on failing books", () => {
  it("stops at the first failing step, says where, and shows the output", async () => {
    const b = box("failing");
    const json = join(b.dir, "r.json");
    const r = await runIn(b, ["1", "--json", json]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/step 'broken' \(terminal host, .*chapter-01-wrong-status\.md:9\) exited with status 2, expected 0/);
    expect(r.stdout).toMatch(/ls: cannot access '\/no\/such\/dir'/);
    expect(Object.keys(steps(json))).toEqual(["ok", "broken"]);
  });

  it("goes on with --keep-going", async () => {
    const b = box("failing");
    const json = join(b.dir, "r.json");
    const r = await runIn(b, ["1", "--keep-going", "--json", json]);
    expect(r.code).toBe(1);
    expect(steps(json).never?.status).toBe("written");
  });

  it("reports a timeout with step, terminal and output tail, and kills the terminal's process tree", async () => {
    const b = box("failing");
    const r = await runIn(b, ["2"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/step 'hangs' \(terminal host, .*:10\) timed out after 1s; its terminal was killed/);
    expect(r.stdout).toMatch(/waiting for ever/);
    // The step's sibling in the background was killed with the tree (gone, or a zombie not yet reaped).
    const pid = Number(readFileSync(join(b.work, "bg.pid"), "utf8"));
    const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, "utf8") : "";
    expect(stat === "" || stat.split(") ")[1]?.startsWith("Z")).toBe(true);
  });

  it("shows a unified diff for a mismatch and exits 1; --update rewrites it keeping wildcards", async () => {
    const b = box("failing");
    const r = await runIn(b, ["3", "--keep-going"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/output differs from .*chapter-03\.snap/);
    expect(r.stdout).toMatch(/-TWO\n\s+\+two/);
    expect(r.stdout).not.toMatch(/\u001b\[/); // not a TTY: no colour
    const u = await runIn(b, ["3", "--update"]);
    expect(u.code).toBe(0);
    const snap = readFileSync(join(b.book, "snapshots/chapter-03.snap"), "utf8");
    expect(snap).toContain("one\ntwo\nthree [[RUN]]\n");
    expect(snap).toContain("pid [..] says hello");
    expect((await runIn(b, ["3"], { CI: "true" })).code).toBe(0);
  });

  it("reports obsolete sections: a warning locally, a failure in CI, removed by --update", async () => {
    const b = box("failing");
    const local = await runIn(b, ["4"]);
    expect(local.code).toBe(0);
    expect(local.stdout).toMatch(/obsolete snapshot sections in .*chapter-04\.snap: removed-long-ago/);
    const ci = await runIn(b, ["4"], { CI: "true" });
    expect(ci.code).toBe(1);
    await runIn(b, ["4", "--update"]);
    expect(readFileSync(join(b.book, "snapshots/chapter-04.snap"), "utf8")).not.toContain("removed-long-ago");
    expect((await runIn(b, ["4"], { CI: "true" })).code).toBe(0);
  });

  it("in CI a missing section fails and nothing is written", async () => {
    const b = box("failing");
    const r = await runIn(b, ["1"], { CI: "true" });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/step 'ok' .*has no section in .*chapter-01\.snap, and CI=true records none/);
    expect(r.stdout).not.toMatch(/--update/); // it does nothing in CI
    expect(r.stdout).toMatch(/for the book's author: record it: run the chapter once where snapshots may be written/);
    expect(existsSync(join(b.book, "snapshots/chapter-01.snap"))).toBe(false);
  });

  it("reports a terminal whose shell exits, not a hang", async () => {
    const b = box("failing");
    const r = await runIn(b, ["5"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/step 'leaves' .* ended its terminal's shell \(exit status 3\)/);
  });
});

describe("bad input", () => {
  it("a chapter error exits 2 with file:line and a fix, and runs nothing", async () => {
    const b = box("bad-chapter");
    const r = await runIn(b, ["1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/chapter-01-typo\.md:11: unknown attribute 'termnial'\n\s+fix: use only step, file, terminal/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(b.work)).toBe(false);
  });

  it("an unknown chapter, a missing book and a missing snapshots dir exit 2", async () => {
    const b = box("basic");
    const unknown = await runIn(b, ["chapter-09"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no chapter 'chapter-09'.*\n\s+hint: chapters are: chapter-01, chapter-02/);
    const nobook = await cli(["run", "1", "--book", join(b.dir, "nope")]);
    expect(nobook.code).toBe(2);
    expect(nobook.stderr).toMatch(/book directory .*nope does not exist/);
    const { rmSync } = await import("node:fs");
    rmSync(join(b.book, "snapshots"), { recursive: true });
    const nosnap = await runIn(b, ["1"]);
    expect(nosnap.code).toBe(2);
    expect(nosnap.stderr).toMatch(/has no snapshots\/ directory/);
  });

  it("garbage in a snapshot file exits 4 with file:line, before anything runs", async () => {
    const b = box("bad-snapshot");
    const r = await runIn(b, ["1"]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/chapter-01\.snap:1: text 'this is not a snapshot' before the first '=== step' section/);
    expect(r.stdout).toBe("");
    expect(existsSync(b.work) ? readdirSync(b.work) : []).toEqual([]);
  });

  it("a work dir that cannot be written exits 5", async () => {
    const b = box("basic");
    writeFileSync(join(b.dir, "file"), "not a directory");
    const r = await cli(["run", "1", "--book", b.book, "--work-dir", join(b.dir, "file", "sub")]);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/the work root .*file\/sub is not safe to use: .*\/file is not a directory\n\s+hint: pass --work-dir DIR/);
  });

  it("no chapters and no --all is a usage error", async () => {
    const b = box("basic");
    const r = await runIn(b, []);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/name the chapters to run, or pass --all/);
  });
});

describe("list and show", () => {
  it("list prints chapters with titles and step counts", async () => {
    const b = box("basic");
    const r = await cli(["list", "--book", b.book]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/chapter-01\s+State lives on in a terminal\s+5\s+-/);
    expect(r.stdout).toMatch(/chapter-02\s+Shells change, terminals stay\s+10 \(2 only on some hosts\)\s+chapter-01/);
  });

  it("show prints steps in order with terminal and attributes", async () => {
    const b = box("basic");
    const r = await cli(["show", "2", "--book", b.book]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/6\.\s+server\s+second\s+line \d+\s+background/);
    expect(r.stdout).toMatch(/10\.\s+only-v2\s+host\s+line \d+\s+requires=cgroup2-cpu/);
  });
});
