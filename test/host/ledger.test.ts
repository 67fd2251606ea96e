// The ledger is read line by line; anything that is not a resource is skipped, never trusted.
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { asResource, Ledger, parseLedger } from "../../src/host/ledger.js";

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});
const scratch = () => {
  const d = mkdtempSync(join(tmpdir(), "consh-ledger-"));
  dirs.push(d);
  return d;
};

describe("parseLedger", () => {
  it("keeps good lines and skips null, numbers, arrays, strings, wrong shapes and a line cut off mid-write", () => {
    const good = { at: "2026-01-01T00:00:00Z", kind: "terminal", name: "host", pid: 4242, start: "123" };
    const text = [
      JSON.stringify(good),
      "null",
      "42",
      "[]",
      '"terminal"',
      '{"kind":"terminal","name":"host","pid":"1","start":"1"}', // pid as a string
      '{"kind":"terminal","name":"host","pid":-1,"start":"1"}', // a process group
      '{"kind":"terminal","name":"host","pid":0,"start":"1"}',
      '{"kind":"mount","path":42,"fsType":"overlay"}',
      '{"kind":"unknown","path":"/x"}',
      '{"kind":"netns","name":"consh-abcdef"}',
      "",
      '{"kind":"cgroup","path":"/sys/fs/cgroup/consh-abc', // cut off by a kill
    ].join("\n");
    const { resources, badLines } = parseLedger(text);
    expect(resources).toEqual([
      { kind: "terminal", name: "host", pid: 4242, start: "123" },
      { kind: "netns", name: "consh-abcdef" },
    ]);
    expect(badLines).toBe(10);
  });

  it("keeps only the fields of a resource", () => {
    expect(asResource({ kind: "link", name: "cbabcdefh", extra: { pid: 1 } })).toEqual({ kind: "link", name: "cbabcdefh" });
    expect(asResource({ kind: "process", pid: 1.5, comm: "x" })).toBeUndefined();
  });
});

describe("Ledger", () => {
  it("records each resource once and reads back what it wrote", () => {
    const file = join(scratch(), "ledger.jsonl");
    const l = new Ledger(file);
    l.record([
      { kind: "link", name: "cbabcdefh" },
      { kind: "netns", name: "consh-abcdef" },
    ]);
    l.record([{ kind: "link", name: "cbabcdefh" }]);
    expect(Ledger.read(file)).toEqual([
      { kind: "link", name: "cbabcdefh" },
      { kind: "netns", name: "consh-abcdef" },
    ]);
    expect(new Ledger(file).record([{ kind: "link", name: "cbabcdefh" }])).toBeUndefined();
    expect(readFileSync(file, "utf8").trim().split("\n")).toHaveLength(2);
  });

  it("neither reads nor writes through a symlink", () => {
    const s = scratch();
    writeFileSync(join(s, "elsewhere"), `${JSON.stringify({ kind: "terminal", name: "host", pid: 1, start: "1" })}\n`);
    symlinkSync(join(s, "elsewhere"), join(s, "ledger.jsonl"));
    expect(Ledger.inspect(join(s, "ledger.jsonl"))).toEqual({ resources: [], badLines: 0, problem: `${join(s, "ledger.jsonl")} is a symbolic link` });
    new Ledger(join(s, "ledger.jsonl")).record([{ kind: "link", name: "cbabcdefh" }]);
    expect(readFileSync(join(s, "elsewhere"), "utf8")).not.toMatch(/cbabcdefh/);
  });

  it("does not trust another user's ledger", () => {
    const file = join(scratch(), "ledger.jsonl");
    writeFileSync(file, `${JSON.stringify({ kind: "link", name: "cbabcdefh" })}\n`);
    expect(Ledger.inspect(file, 4321).problem).toMatch(/ledger\.jsonl is owned by uid \d+, not by uid 4321$/);
  });
});
