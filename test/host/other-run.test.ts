// clean removes nothing by name while another live run has the stale run's id; a runner must be the owner's process.
import { describe, expect, it } from "vitest";
import { otherRunWithId, realUidIn, realUidOf, type ProcessView } from "../../src/host/discover.js";
import { runnerAlive } from "../../src/host/stale-runs.js";
import { startTimeOf } from "../../src/host/discover.js";

const run = { id: "abc123", name: "consh-abc123", runDir: "/home/x/.cache/consh-book/runs/abc123" };
const env = (...vars: string[]) => `${vars.join("\0")}\0`;
const mine = env("HOME=/root", "CONSH_RUN=abc123", `CONSH_WORK=${run.runDir}/work`);
const OWNER = 1000;
const p = (pid: number, ppid: number, environ: string | undefined, cgroup = "0::/user.slice\n", uid = 0): ProcessView => ({ pid, ppid, environ, cgroup, uid });

describe("otherRunWithId", () => {
  it("finds nothing when only the stale run's own processes (and their children) are left", () => {
    const procs = [
      p(1, 0, env("PATH=/bin")),
      p(10, 1, mine, "0::/consh-abc123\n"),
      p(11, 10, env("PATH=/bin"), "0::/consh-abc123/box\n"), // env -i child of a proven shell
      p(12, 1, env("CONSH_RUN=zzz999", "CONSH_WORK=/elsewhere/work")),
    ];
    expect(otherRunWithId(procs, run, OWNER)).toBeUndefined();
  });

  it("finds a process with the id but another work dir (a live run under --work-dir)", () => {
    const victim = p(20, 1, env("CONSH_RUN=abc123", "CONSH_WORK=/srv/victim/abc123/work"));
    expect(otherRunWithId([p(10, 1, mine), victim], run, OWNER)).toBe(victim);
    expect(otherRunWithId([p(21, 1, env("CONSH_RUN=abc123"))], run, OWNER)?.pid).toBe(21);
  });

  it("finds a process in a consh-<id> cgroup that nothing proves to be the stale run's (environ unreadable or cleared)", () => {
    expect(otherRunWithId([p(30, 1, undefined, "4:cpu:/consh-abc123\n")], run, OWNER)?.pid).toBe(30);
    expect(otherRunWithId([p(31, 1, env("PATH=/bin"), "0::/consh-abc123-box\n")], run, OWNER)?.pid).toBe(31);
    expect(otherRunWithId([p(32, 1, env("PATH=/bin"), "0::/consh-abc1234\n")], run, OWNER)).toBeUndefined();
    // An orphaned container of the owner (env -i emptied its environment; its terminal is gone) is the run's own.
    expect(otherRunWithId([p(33, 1, env("PATH=/bin"), "0::/consh-abc123\n", OWNER)], run, OWNER)).toBeUndefined();
    // ...but with the id and another CONSH_WORK, even the owner's process is another live run.
    expect(otherRunWithId([p(34, 1, env("CONSH_RUN=abc123", "CONSH_WORK=/w/work"), "0::/\n", OWNER)], run, OWNER)?.pid).toBe(34);
  });
});

describe("runnerAlive and real uids", () => {
  it("reads the real uid from /proc/PID/status", () => {
    expect(realUidIn("Name:\tsh\nUid:\t1000\t0\t0\t0\nGid:\t5\n")).toBe(1000);
    expect(realUidIn("Name:\tsh\n")).toBeUndefined();
    expect(realUidOf(process.pid)).toBe(process.getuid!());
  });

  it("counts the runner as alive only when its process belongs to the run's owner", () => {
    const start = startTimeOf(process.pid)!;
    const base = { id: "abc123", pid: process.pid, start, startedAt: "x" };
    expect(runnerAlive({ ...base, uid: process.getuid!() })).toBe(true);
    expect(runnerAlive({ ...base, uid: process.getuid!() + 1000 })).toBe(false);
    // A forged run.json of uid 1000 naming PID 1 (root's init) is not a live run.
    expect(runnerAlive({ id: "abc123", pid: 1, start: startTimeOf(1)!, startedAt: "x", uid: 1000 })).toBe(false);
  });
});
