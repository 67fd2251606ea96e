// Which runs count as left behind, which as live, and what is not trusted at all.
import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { belongsToRun, inRunCgroup, startTimeOf } from "../../src/host/discover.js";
import { scanWorkRoot, validateRunInfo } from "../../src/host/stale-runs.js";
import { currentUid } from "../../src/util/trust.js";

const me = currentUid();
let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});
const scratch = () => {
  const d = mkdtempSync(join(tmpdir(), "consh-stale-"));
  dirs.push(d);
  return d;
};
const runDir = (root: string, id: string, runJson?: unknown, mode = 0o700) => {
  mkdirSync(join(root, id), { mode });
  chmodSync(join(root, id), mode);
  if (runJson !== undefined) writeFileSync(join(root, id, "run.json"), typeof runJson === "string" ? runJson : JSON.stringify(runJson), { mode: 0o600 });
  return join(root, id);
};
const info = (id: string, over: Record<string, unknown> = {}) => ({ id, pid: 999_999_999, start: "1", startedAt: "2026-01-01T00:00:00Z", uid: me, ...over });

describe("scanWorkRoot", () => {
  it("sorts run dirs into stale and live, and says why a run.json was not accepted", () => {
    const root = scratch();
    runDir(root, "aaaaaa", info("aaaaaa"));
    runDir(root, "bbbbbb", info("bbbbbb", { pid: process.pid, start: startTimeOf(process.pid) }));
    runDir(root, "cccccc", "null");
    runDir(root, "dddddd", "{not json");
    runDir(root, "eeeeee", info("zzzzzz"));
    runDir(root, "ffffff", info("ffffff", { uid: me + 1 }));
    const old = runDir(root, "gggggg");
    utimesSync(old, new Date(0), new Date(0));
    runDir(root, "hhhhhh"); // just made: its run.json may be on its way
    const scan = scanWorkRoot(root, me);
    expect(scan.live.sort()).toEqual(["bbbbbb", "hhhhhh"]);
    expect(scan.stale.map((r) => [r.id, r.invalid])).toEqual([
      ["aaaaaa", undefined],
      ["cccccc", "run.json is not a JSON object"],
      ["dddddd", "run.json is not valid JSON"],
      ["eeeeee", 'run.json names run "zzzzzz", not eeeeee'],
      ["ffffff", `run.json names uid ${me + 1}, but the run dir belongs to uid ${me}`],
      ["gggggg", "run.json does not exist"],
    ]);
    expect(scan.skipped).toEqual([]);
  });

  it("does not trust a run dir that is a symlink, open to others, or another user's, nor a run.json that is a symlink", () => {
    const root = scratch();
    const target = runDir(root, "not-a-run", info("aaaaaa"));
    symlinkSync(target, join(root, "aaaaaa"));
    runDir(root, "bbbbbb", info("bbbbbb"), 0o755);
    const c = runDir(root, "cccccc");
    writeFileSync(join(root, "elsewhere.json"), JSON.stringify(info("cccccc")));
    symlinkSync(join(root, "elsewhere.json"), join(c, "run.json"));
    const scan = scanWorkRoot(root, me);
    expect(scan.skipped).toEqual([
      { path: join(root, "aaaaaa"), why: "is a symbolic link" },
      { path: join(root, "bbbbbb"), why: "is open to group or others (mode 0755, expected 0700)" },
    ]);
    expect(scan.stale.map((r) => [r.id, r.invalid])).toEqual([["cccccc", "run.json is a symbolic link"]]);
    expect(scanWorkRoot(root, me + 1).skipped.map((s) => s.why)).toContain(`is owned by uid ${me}, not by uid ${me + 1}`);
  });

  it("validates every field of run.json", () => {
    expect(validateRunInfo([], "aaaaaa", 0)).toBe("is not a JSON object");
    expect(validateRunInfo(info("aaaaaa", { pid: -1, uid: 0 }), "aaaaaa", 0)).toBe("has no valid pid");
    expect(validateRunInfo(info("aaaaaa", { start: "1; rm", uid: 0 }), "aaaaaa", 0)).toBe("has no valid start time");
    expect(validateRunInfo(info("aaaaaa", { uid: 0 }), "aaaaaa", 0)).toMatchObject({ id: "aaaaaa", uid: 0 });
  });
});

describe("belongsToRun", () => {
  const run = { id: "abcdef", name: "consh-abcdef", runDir: "/tmp/consh-book-0/abcdef" };

  it("accepts a process whose environment carries the run's id and work dir, and nothing less", async () => {
    const base = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
    const both = spawn("sleep", ["300"], { stdio: "ignore", env: { ...base, CONSH_RUN: "abcdef", CONSH_WORK: "/tmp/consh-book-0/abcdef/work" } });
    const idOnly = spawn("sleep", ["300"], { stdio: "ignore", env: { ...base, CONSH_RUN: "abcdef", CONSH_WORK: "/tmp/consh-book-1000/abcdef/work" } });
    try {
      await new Promise((r) => setTimeout(r, 100));
      expect(belongsToRun(both.pid!, run)).toBe(true);
      expect(belongsToRun(idOnly.pid!, run)).toBe(false);
      expect(belongsToRun(process.pid, run)).toBe(false);
      expect(belongsToRun(1, run)).toBe(false);
    } finally {
      both.kill("SIGKILL");
      idOnly.kill("SIGKILL");
    }
  });

  it("reads cgroup membership by whole path components", () => {
    expect(inRunCgroup("0::/consh-abcdef\n", run)).toBe(true);
    expect(inRunCgroup("4:cpu,cpuacct:/consh-abcdef-demo/inner\n", run)).toBe(true);
    expect(inRunCgroup("0::/consh-abcdefg\n", run)).toBe(false);
    expect(inRunCgroup("0::/user.slice/not-consh-abcdef\n", run)).toBe(false);
    expect(inRunCgroup("0::/\n", run)).toBe(false);
  });
});
