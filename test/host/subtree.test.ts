// What a run takes for the host's own subtree_control, which marks it trusts, and
// which cgroups count as other runs': on ordinary directories standing in for cgroups.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { markName, otherRunCgroups, readSubtree, restoreSubtree, trustedMarks, watchSubtree } from "../../src/host/subtree.js";

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
    const { watch, shared } = watchSubtree(cg, new Set([markName(cg, "cpu")]));
    expect([...watch!.hostHas]).toEqual(["memory"]);
    expect(shared).toEqual([{ kind: "subtree", path: cg, controller: "cpu" }]);
  });

  it("watches nothing without cgroup2", () => {
    expect(watchSubtree(undefined)).toEqual({ watch: undefined, shared: [] });
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
      new Set(),
    );
    expect(r).toEqual({ done: [], failed: [] });
    expect(readSubtree(cg)).toEqual(["cpu"]);
  });

  it("leaves a marked controller on while another run's cgroup is under the path", async () => {
    const cg = fakeCgroup("cpu\n");
    mkdirSync(join(cg, "consh-ab12cd"));
    const r = await restoreSubtree([{ kind: "subtree", path: cg, controller: "cpu" }], new Set([markName(cg, "cpu")]));
    expect(r.done).toEqual([`left cpu on in ${cg} for consh-ab12cd`]);
    expect(readSubtree(cg)).toEqual(["cpu"]);
  });
});
