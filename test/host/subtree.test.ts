// What a run takes for the host's own subtree_control, which marks it trusts, and
// which cgroups count as other runs': on ordinary directories standing in for cgroups.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isMarked, markName, otherRunCgroups, readSubtree, restoreSubtree, runMarkName, trustedMarks, watchSubtree } from "../../src/host/subtree.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "consh-subtree-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const root = process.getuid?.() === 0;

function fakeCgroup(subtree: string): string {
  const cg = join(dir, "cg");
  mkdirSync(cg, { recursive: true });
  writeFileSync(join(cg, "cgroup.subtree_control"), subtree);
  return cg;
}

describe("readSubtree", () => {
  it("lists the controllers, and nothing for a missing file", () => {
    expect(readSubtree(fakeCgroup("cpu memory pids\n"))).toEqual(["cpu", "memory", "pids"]);
    expect(readSubtree(join(dir, "nowhere"))).toEqual([]);
  });
});

describe("markName", () => {
  it("is one file name per path and controller", () => {
    expect(markName("/sys/fs/cgroup", "cpu")).toBe("subtree-cpu-%2Fsys%2Ffs%2Fcgroup");
    expect(markName("/sys/fs/cgroup", "cpu")).not.toBe(markName("/sys/fs/cgroup/unified", "cpu"));
  });
});

describe.skipIf(!root)("trustedMarks (as root: marks must be root's)", () => {
  it("reads the marks of a root-owned directory only others cannot write", () => {
    const marks = join(dir, "marks");
    mkdirSync(marks, { mode: 0o755 });
    writeFileSync(join(marks, "subtree-cpu-x"), "");
    expect([...trustedMarks(marks)]).toEqual(["subtree-cpu-x"]);
  });

  it("trusts nothing in a directory others may write to, or behind a symlink", () => {
    const marks = join(dir, "marks");
    mkdirSync(marks);
    writeFileSync(join(marks, "subtree-cpu-x"), "");
    chmodSync(marks, 0o777);
    expect(trustedMarks(marks).size).toBe(0);
    chmodSync(marks, 0o755);
    symlinkSync(marks, join(dir, "link"));
    expect(trustedMarks(join(dir, "link")).size).toBe(0);
  });
});

describe("watchSubtree", () => {
  it("takes what is on for the host's, except what a run marked (which this run shares)", () => {
    const cg = fakeCgroup("cpu memory\n");
    const { watch, shared } = watchSubtree(cg, "bbbbbb", new Set([runMarkName(cg, "cpu", "aaaaaa")]));
    expect([...watch!.hostHas]).toEqual(["memory"]);
    expect(shared).toEqual([{ kind: "subtree", path: cg, controller: "cpu" }]);
  });

  it("watches nothing without cgroup2", () => {
    expect(watchSubtree(undefined, "bbbbbb")).toEqual({ watch: undefined, shared: [] });
  });
});

describe("otherRunCgroups", () => {
  it("names only directories called consh-ID", () => {
    const cg = fakeCgroup("cpu\n");
    for (const d of ["consh-ab12cd", "consh-x", "system.slice", "consh-ab12cd-inner"]) mkdirSync(join(cg, d));
    writeFileSync(join(cg, "consh-zz99zz"), "");
    expect(otherRunCgroups(cg)).toEqual(["consh-ab12cd"]);
  });
});

describe("restoreSubtree", () => {
  it("leaves alone what has no mark (the host had it on), and what is already off", async () => {
    const cg = fakeCgroup("cpu\n");
    const r = await restoreSubtree(
      [
        { kind: "subtree", path: cg, controller: "cpu" },
        { kind: "subtree", path: cg, controller: "memory" },
      ],
      "aaaaaa",
      new Set(),
    );
    expect(r).toEqual({ done: [], failed: [] });
    expect(readSubtree(cg)).toEqual(["cpu"]);
  });

  it("leaves a marked controller on while another run's cgroup is under the path", async () => {
    const cg = fakeCgroup("cpu\n");
    mkdirSync(join(cg, "consh-ab12cd"));
    const r = await restoreSubtree([{ kind: "subtree", path: cg, controller: "cpu" }], "aaaaaa", new Set([runMarkName(cg, "cpu", "aaaaaa")]));
    expect(r.done).toEqual([`left cpu on in ${cg} for consh-ab12cd`]);
    expect(readSubtree(cg)).toEqual(["cpu"]);
  });
});

describe("run marks", () => {
  it("name the run, and count old unnamed marks as marked too", () => {
    expect(runMarkName("/sys/fs/cgroup", "cpu", "ab12cd")).toBe("subtree-cpu-%2Fsys%2Ffs%2Fcgroup@ab12cd");
    expect(isMarked(new Set([runMarkName("/c", "cpu", "ab12cd")]), "/c", "cpu")).toBe(true);
    expect(isMarked(new Set([markName("/c", "cpu")]), "/c", "cpu")).toBe(true);
    expect(isMarked(new Set([runMarkName("/c/d", "cpu", "ab12cd"), runMarkName("/c", "memory", "ab12cd")]), "/c", "cpu")).toBe(false);
  });
});

describe("restoreSubtree and whose mark it is", () => {
  const rec = (cg: string) => [{ kind: "subtree" as const, path: cg, controller: "cpu" }];

  it("ignores a record (a forged stale run's) that no mark of that run backs, even when another run's mark exists", async () => {
    const cg = fakeCgroup("cpu\n");
    const r = await restoreSubtree(rec(cg), "ffffff", new Set([runMarkName(cg, "cpu", "aaaaaa"), markName(cg, "cpu")]));
    expect(r).toEqual({ done: [], failed: [] });
    expect(readSubtree(cg)).toEqual(["cpu"]);
  });

  it("leaves the controller on while another run's mark remains", async () => {
    const cg = fakeCgroup("cpu\n");
    const r = await restoreSubtree(rec(cg), "aaaaaa", new Set([runMarkName(cg, "cpu", "aaaaaa"), runMarkName(cg, "cpu", "bbbbbb")]));
    expect(r.done).toEqual([`left cpu on in ${cg} for another run that switched it on`]);
    expect(readSubtree(cg)).toEqual(["cpu"]);
  });

  it.skipIf(!root)("switches it off when the last run that marked it goes", async () => {
    const cg = fakeCgroup("cpu\n");
    const r = await restoreSubtree(rec(cg), "aaaaaa", new Set([runMarkName(cg, "cpu", "aaaaaa")]));
    expect(r).toEqual({ done: [`switched cpu off in ${cg}`], failed: [] });
    expect(readSubtree(cg)).toEqual(["-cpu"]); // what was written to the (stand-in) subtree_control
  });
});
