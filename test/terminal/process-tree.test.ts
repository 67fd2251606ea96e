// Real process trees, one of them with a PID namespace: killTree ends them all
// and leaves no zombie behind for the host's init.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, readlinkSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  isBackgroundJob,
  isRunning,
  killTree,
  parentMap,
  protectedPids,
  sessionMembers,
  signalAll,
  signallable,
  stdinReader,
  treeOf,
} from "../../src/terminal/process-tree.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForTree(root: number, size: number): Promise<number[]> {
  for (let i = 0; i < 200; i++) {
    const tree = treeOf([root]).filter(isRunning);
    if (tree.length >= size) return tree;
    await sleep(10);
  }
  throw new Error(`the tree of ${root} never reached ${size} processes`);
}

function orphansOf(pids: number[]): number[] {
  return pids.filter((p) => existsSync(`/proc/${p}/stat`) && readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1]?.split(" ")[1] === "1");
}

describe("killTree", () => {
  it("kills a shell, its children and grandchildren, and every one is reaped", async () => {
    // Every parent is a shell that waits for its children, as in a terminal.
    const child = spawn("sh", ["-c", 'sleep 300 & sh -c "sleep 300 & sleep 300 & wait" & wait'], { detached: true, stdio: "ignore" });
    const tree = await waitForTree(child.pid!, 5);
    const exited = new Promise((r) => child.once("exit", r));
    const killed = await killTree(child.pid!);
    await exited;
    // The leaves first; the shell may end by itself once its children are gone.
    expect(killed.length).toBeGreaterThanOrEqual(3);
    for (const p of killed) expect(tree).toContain(p);
    expect(tree.filter(isRunning)).toEqual([]);
    for (let i = 0; i < 50 && tree.some((p) => existsSync(`/proc/${p}`)); i++) await sleep(20);
    expect(orphansOf(tree)).toEqual([]);
    expect(sessionMembers([child.pid!])).toEqual([]);
  });

  it("ends a PID namespace through its PID 1, whose parent (unshare) reaps it", async () => {
    const child = spawn("unshare", ["--user", "--map-root-user", "--pid", "--fork", "sh", "-c", "sleep 300 & sleep 300 & wait"], {
      detached: true,
      stdio: "ignore",
    });
    const tree = await waitForTree(child.pid!, 4);
    const exited = new Promise((r) => child.once("exit", r));
    await killTree(child.pid!);
    await exited;
    expect(tree.filter(isRunning)).toEqual([]);
    for (let i = 0; i < 50 && tree.some((p) => existsSync(`/proc/${p}`)); i++) await sleep(20);
    expect(tree.filter((p) => existsSync(`/proc/${p}`))).toEqual([]);
  });

  it("knows every process's parent", () => {
    expect(parentMap().get(process.pid)).toBe(process.ppid);
  });
});

describe("the guard in front of every signal", () => {
  it("never lets PID 1, this process, its ancestors, 0 or a negative PID (a process group) through", async () => {
    const child = spawn("sleep", ["300"], { stdio: "ignore" });
    try {
      const guarded = protectedPids();
      expect(guarded.has(1)).toBe(true);
      expect(guarded.has(process.pid)).toBe(true);
      expect(guarded.has(process.ppid)).toBe(true);
      expect(signallable([1, process.pid, process.ppid, 0, -process.pid, child.pid!])).toEqual([child.pid]);
      // signalAll skips the guarded ones: SIGCONT would be harmless, but it must not even be sent.
      expect(signalAll([process.pid], "SIGSTOP")).toEqual([]);
      expect(isRunning(process.pid)).toBe(true);
      expect(await killTree(process.ppid)).toEqual([]);
      expect(isRunning(process.ppid)).toBe(true);
    } finally {
      child.kill("SIGKILL");
    }
  });
});

/** A shell reading a pipe, as a terminal's is, running `script`; the PIDs of its tree once it has `size` processes. */
async function shellTree(script: string, size: number) {
  const child = spawn("sh", ["-c", script], { detached: true, stdio: ["pipe", "ignore", "ignore"] });
  const tree = await waitForTree(child.pid!, size);
  const args = (p: number) => readFileSync(`/proc/${p}/cmdline`, "utf8").split("\0").join(" ").trim();
  return { root: child.pid!, tree, find: (a: string) => tree.find((p) => args(p) === a), end: () => killTree(child.pid!) };
}

describe("the shell that reads a terminal's commands, and its background jobs", () => {
  it("counts a background job's own children to its job, though their SIGINT ignore is inherited and their stdin is not /dev/null", async () => {
    // As chapter 11's server: nc started in the background runs a shell on the connection, which runs sleeps.
    const t = await shellTree("sh -c 'sleep 304; :' </dev/zero & sleep 305; :", 4);
    try {
      const inner = t.find("sleep 304")!;
      expect(readlinkSync(`/proc/${inner}/fd/0`)).not.toBe("/dev/null");
      expect(isBackgroundJob(inner, t.root)).toBe(true);
      expect(isBackgroundJob(t.find("sleep 305")!, t.root)).toBe(false);
    } finally {
      await t.end();
    }
  });

  it("is the deepest reader of the pipe, even when it inherited an ignored SIGINT (util-linux 2.36's unshare --fork)", async () => {
    const t = await shellTree("trap '' INT; sh -s; :", 2);
    try {
      const inner = t.tree.find((p) => p !== t.root)!;
      expect(isBackgroundJob(inner, t.root)).toBe(false);
      expect(stdinReader(t.root)).toBe(inner);
    } finally {
      await t.end();
    }
  });

  it("leaves out a background job that keeps the pipe (SIGINT ignored by the shell, not inherited)", async () => {
    const t = await shellTree("exec 3<&0; sleep 301 <&3 & sh -s; :", 3);
    try {
      const job = t.find("sleep 301")!;
      expect(isBackgroundJob(job, t.root)).toBe(true);
      expect(stdinReader(t.root)).toBe(t.find("sh -s"));
    } finally {
      await t.end();
    }
  });

  it("tells a background job (stdin /dev/null) from a foreground command where the shell itself ignores SIGINT", async () => {
    const t = await shellTree("trap '' INT; sleep 302 & sleep 303; :", 3);
    try {
      expect(isBackgroundJob(t.find("sleep 302")!, t.root)).toBe(true);
      expect(isBackgroundJob(t.find("sleep 303")!, t.root)).toBe(false);
    } finally {
      await t.end();
    }
  });
});
