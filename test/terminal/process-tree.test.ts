// Real process trees, one of them with a PID namespace: killTree ends them all
// and leaves no zombie behind for the host's init.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isRunning, killTree, parentMap, sessionMembers, treeOf } from "../../src/terminal/process-tree.js";

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
    const child = spawn("unshare", ["--user", "--map-root-user", "--pid", "--fork", "sh", "-c", "sleep 300 & sleep 300 & wait"], { detached: true, stdio: "ignore" });
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
