import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Chapter, Step } from "../../src/book/model.js";
import { makeRunValues } from "../../src/snapshot/normalize.js";
import { resolveUpdateMode, SnapshotState } from "../../src/snapshot/state.js";

const step = (id: string, extra: Partial<Step> = {}): Step => ({
  kind: "step", id, lang: "sh", terminal: "host", timeoutSeconds: 30, exit: 0, background: false, requires: [], redactions: [], text: "true\n", line: 1, lead: "", intro: "", ...extra,
});
const chapter = (steps: Step[]): Chapter => ({ id: "chapter-01", number: 1, slug: "x", title: "X", needs: [], file: "/x.md", blocks: steps, source: "" });
const values = makeRunValues({ WORK: "/tmp/w/abc123/work" }, { UID: "1000", GID: "1000" });

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "consh-test-snap-"));
  file = join(dir, "chapter-01.snap");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const existing = "# kept comment\n\n=== step a (terminal host, exit 0)\npid [..]\n\n=== step b (terminal host, exit 0)\nold b\n\n=== step gone (terminal host, exit 0)\nbye\n";

describe("resolveUpdateMode", () => {
  it("never writes in CI, rewrites with --update, else records only new sections", () => {
    expect(resolveUpdateMode({ update: false, ci: true })).toBe("none");
    expect(resolveUpdateMode({ update: true, ci: true })).toBe("none");
    expect(resolveUpdateMode({ update: true, ci: false })).toBe("all");
    expect(resolveUpdateMode({ update: false, ci: false })).toBe("new");
  });
});

describe("SnapshotState", () => {
  const ch = chapter([step("a"), step("b"), step("c"), step("bg", { background: true })]);

  it("finds obsolete sections: ids no comparable step has", () => {
    writeFileSync(file, existing + "\n=== step bg (terminal host, exit 0)\n");
    const s = SnapshotState.load(file, ch, "new", values);
    expect(s.obsolete()).toEqual(["gone", "bg"]);
  });

  it("new: records missing sections, keeps changed and obsolete ones untouched", () => {
    writeFileSync(file, existing);
    const s = SnapshotState.load(file, ch, "new", values);
    expect(s.check(step("a"), "pid 42\n", 0)).toEqual({ kind: "passed" });
    expect(s.check(step("b"), "new b\n", 0).kind).toBe("mismatch");
    expect(s.check(step("c"), "in /tmp/w/abc123/work as 1000\n", 0)).toEqual({ kind: "written" });
    expect(s.save()).toBe(true);
    const text = readFileSync(file, "utf8");
    expect(text).toContain("# kept comment");
    expect(text).toContain("old b");
    expect(text).toContain("=== step c (terminal host, exit 0)\nin [WORK] as [UID]\n");
    expect(text).toContain("=== step gone");
  });

  it("all: rewrites changed sections keeping matching wildcards, drops obsolete ones", () => {
    writeFileSync(file, existing.replace("pid [..]", "pid [..]\nfixed"));
    const s = SnapshotState.load(file, ch, "all", values);
    const v = s.check(step("a"), "pid 42\nchanged\n", 0);
    expect(v.kind).toBe("updated");
    expect(v.kind === "updated" && v.diff).toMatch(/-fixed\n\+changed/);
    s.check(step("b"), "old b\n", 0);
    expect(s.save()).toBe(true);
    const text = readFileSync(file, "utf8");
    expect(text).toContain("=== step a (terminal host, exit 0)\npid [..]\nchanged\n");
    expect(text).not.toContain("gone");
  });

  it("none: never writes; a missing section is reported, not recorded", () => {
    writeFileSync(file, existing);
    const s = SnapshotState.load(file, ch, "none", values);
    expect(s.check(step("c"), "x\n", 0)).toEqual({ kind: "missing" });
    expect(s.check(step("b"), "new\n", 0).kind).toBe("mismatch");
    expect(s.save()).toBe(false);
    expect(readFileSync(file, "utf8")).toBe(existing);
  });

  it("a section's exit status and terminal are part of the comparison", () => {
    writeFileSync(file, "=== step a (terminal other, exit 0)\nx\n");
    const s = SnapshotState.load(file, ch, "new", values);
    const v = s.check(step("a"), "x\n", 0);
    expect(v.kind === "mismatch" && v.diff).toMatch(/- terminal other\n\+ terminal host/);
    const e = s.check(step("a", { terminal: "other", exit: 2 }), "x\n", 2);
    expect(e.kind === "mismatch" && e.diff).toMatch(/- exit 0\n\+ exit 2/);
    expect(s.check(step("a", { terminal: "other", exit: "any" }), "x\n", 2)).toEqual({ kind: "passed" });
  });

  it("writes nothing when nothing changed, and creates the file when it is new", () => {
    const s = SnapshotState.load(file, ch, "new", values);
    expect(s.save()).toBe(false);
    expect(existsSync(file)).toBe(false);
    s.check(step("a"), "", 0);
    expect(s.save()).toBe(true);
    expect(readFileSync(file, "utf8")).toMatch(/# consh-book snapshot of chapter-01: X[\s\S]*=== step a \(terminal host, exit 0\)\n$/);
  });
});
