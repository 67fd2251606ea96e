import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Chapter, Step } from "../../src/book/model.js";
import { chmodSync, mkdirSync } from "node:fs";
import { makeRunValues, normalizeOutput, SAME_UID_GID_NOTE } from "../../src/snapshot/normalize.js";
import { EnvironmentError, SnapshotFileError } from "../../src/errors.js";
import { resolveUpdateMode, SnapshotState } from "../../src/snapshot/state.js";
import { chapterOf, stepOf } from "../support/factories.js";

const step = (id: string, extra: Partial<Step> = {}): Step => stepOf({ id, text: "true\n", ...extra });
const chapter = (steps: Step[]): Chapter => chapterOf({ blocks: steps });
const values = makeRunValues({ WORK: "/tmp/w/abc123/work" }, { UID: "1000", GID: "1001" });

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "consh-test-snap-"));
  file = join(dir, "chapter-01.snap");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const existing =
  "# kept comment\n\n=== step a (terminal host, exit 0)\npid [..]\n\n=== step b (terminal host, exit 0)\nold b\n\n=== step gone (terminal host, exit 0)\nbye\n";

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
    expect(s.check(step("c"), normalizeOutput("in /tmp/w/abc123/work as 1000\n", values, []), 0)).toEqual({ kind: "written" });
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

describe("seen values and number bands across recordings", () => {
  const ch = chapter([step("a"), step("b")]);
  const written = "=== step a (terminal host, exit 0)\ncaps [40..49=41], mask 0000[..=01]ff\nfixed\n\n=== step b (terminal host, exit 0)\npid [2..=]\n";

  it("a run compares the band, never the seen value, and records nothing for a match", () => {
    writeFileSync(file, written);
    const s = SnapshotState.load(file, ch, "new", values);
    expect(s.check(step("a"), "caps 43, mask 00007fff\nfixed\n", 0)).toEqual({ kind: "passed" });
    expect(s.check(step("a"), "caps 50, mask 00007fff\nfixed\n", 0).kind).toBe("mismatch");
    expect(s.save()).toBe(false);
  });

  it("--update keeps a matching section's seen values, and refreshes them where it rewrites a changed section", () => {
    writeFileSync(file, written);
    const s = SnapshotState.load(file, ch, "all", values);
    expect(s.check(step("a"), "caps 43, mask 00007fff\nfixed\n", 0)).toEqual({ kind: "passed" });
    const v = s.check(step("a"), "caps 42, mask 000003ff\nchanged\n", 0);
    expect(v.kind).toBe("updated");
    // The diff shows the changed line only, not the seen value.
    expect(v.kind === "updated" && v.diff).toMatch(/^ caps \[40\.\.49=41\], mask 0000\[\.\.=01\]ff\n-fixed\n\+changed$/m);
    s.save();
    expect(readFileSync(file, "utf8")).toContain("=== step a (terminal host, exit 0)\ncaps [40..49=42], mask 0000[..=03]ff\nchanged\n");
  });

  it("--update fills in a seen value still empty; a run without --update leaves it empty", () => {
    writeFileSync(file, written);
    const plain = SnapshotState.load(file, ch, "new", values);
    expect(plain.check(step("b"), "pid 4821\n", 0)).toEqual({ kind: "passed" });
    expect(plain.save()).toBe(false);
    const s = SnapshotState.load(file, ch, "all", values);
    const v = s.check(step("b"), "pid 4821\n", 0);
    expect(v.kind === "updated" && v.diff).toMatch(/-pid \[2\.\.=\]\n\+pid \[2\.\.=4821\]/);
    s.save();
    expect(readFileSync(file, "utf8")).toContain("pid [2..=4821]\n");
    expect(SnapshotState.load(file, ch, "all", values).check(step("b"), "pid 77\n", 0)).toEqual({ kind: "passed" });
  });
});

describe("round trips: what a recording run writes, a CI run reads back and accepts", () => {
  const ch = chapter([step("a")]);
  const roundTrip = (output: string, v = values) => {
    rmSync(file, { force: true });
    const rec = SnapshotState.load(file, ch, "new", v);
    expect(rec.check(step("a"), output, 0).kind).toBe("written");
    expect(rec.save()).toBe(true);
    return SnapshotState.load(file, ch, "none", v);
  };

  it.each([
    ["a line starting with '=== '", "=== Summary\nok\n"],
    ["a header-like line", "=== step a (terminal host, exit 0)\n"],
    ["a line '...'", "start\n...\nend\n"],
    ["a line with [..]", "array[..] = 1\n"],
    ["a line with a number band and a seen value", "seq [1..9] and [..=x] and [40..=41]\n"],
    ["lines starting with a backslash", "\\n\n\\ no newline at end of output\n"],
    ["the no-newline marker as the last line, with no newline", "\\ no newline at end of output"],
    ["a bound placeholder's name as text", "the snapshot says [UID] and [GID]\n"],
    ["a carriage return at the end", "50%\r100%\r"],
    ["blank lines", "\n\nx\n\n\n"],
    ["a trailing backslash-escaped header in the middle", "a\n=== step b (terminal host, exit 0)\nb\n"],
  ])("%s: read back, accepted; a different output fails", (_, output) => {
    const ci = roundTrip(output);
    expect(ci.check(step("a"), output, 0)).toEqual({ kind: "passed" });
    const other = output.replace(/\.\.\.|\[\.\.\]|\[1\.\.9\]|Summary|\\n|UID|100%|x|=== step a|no newline/, "CHANGED");
    expect(other).not.toBe(output);
    expect(ci.check(step("a"), other, 0).kind).toBe("mismatch");
  });

  it("a wildcard-looking line recorded as text does not match other text", () => {
    const ci = roundTrip("...\n");
    expect(ci.check(step("a"), "anything\nat all\n", 0).kind).toBe("mismatch");
    const ci2 = roundTrip("pid [..]\n");
    expect(ci2.check(step("a"), "pid 42\n", 0).kind).toBe("mismatch");
  });

  it("big outputs (seq 130000, seq 500000) record, read back and compare without exhausting the stack", () => {
    for (const n of [130_000, 500_000]) {
      const lines: string[] = [];
      for (let i = 1; i <= n; i++) lines.push(String(i));
      const output = `${lines.join("\n")}\n=== Summary\n...\n`;
      const ci = roundTrip(output);
      expect(ci.check(step("a"), output, 0)).toEqual({ kind: "passed" });
      const changed = ci.check(step("a"), output.replace("\n77777\n", "\n77778\n"), 0);
      expect(changed.kind).toBe("mismatch");
      expect(changed.kind === "mismatch" && changed.diff).toMatch(/^-77777$[\s\S]*^\+77778$/m);
    }
  });

  it("uid = gid: the number is kept and the run is told once", () => {
    const same = makeRunValues({}, { UID: "1000", GID: "1000" });
    const s = SnapshotState.load(file, chapter([step("a"), step("b")]), "new", same);
    expect(s.check(step("a"), "1000:1000\n", 0)).toEqual({ kind: "written", note: SAME_UID_GID_NOTE });
    expect(s.check(step("b"), "1000\n", 0)).toEqual({ kind: "written" });
    s.save();
    expect(readFileSync(file, "utf8")).toContain("1000:1000\n");
  });
});

describe("snapshot files that cannot be used", () => {
  const ch = chapter([step("a")]);

  it("a snapshot path that is a directory: exit 4, saying so", () => {
    mkdirSync(file);
    expect(() => SnapshotState.load(file, ch, "none", values)).toThrow(SnapshotFileError);
    expect(() => SnapshotState.load(file, ch, "none", values)).toThrow(/is a directory/);
  });

  it("a snapshot that cannot be written (its directory is gone): exit 5 with a hint", () => {
    const gone = join(dir, "gone", "chapter-01.snap");
    const s = SnapshotState.load(gone, ch, "new", values);
    s.check(step("a"), "x\n", 0);
    expect(() => s.save()).toThrow(EnvironmentError);
    expect(() => s.save()).toThrow(/cannot write the snapshot file .*ENOENT/);
  });

  it.skipIf(process.getuid?.() === 0)("a snapshots dir that cannot be written: exit 5 with a hint", () => {
    const s = SnapshotState.load(file, ch, "new", values);
    s.check(step("a"), "x\n", 0);
    chmodSync(dir, 0o500);
    try {
      expect(() => s.save()).toThrow(EnvironmentError);
      expect(() => s.save()).toThrow(/cannot write the snapshot file/);
    } finally {
      chmodSync(dir, 0o700);
    }
  });
});
