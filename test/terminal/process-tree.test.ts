// Real process trees, one of them with a PID namespace: killTree ends them all
// and leaves no zombie behind for the host's init.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isRunning, killTree, parentMap, protectedPids, sessionMembers, signalAll, signallable, treeOf } from "../../src/terminal/process-tree.js";

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
