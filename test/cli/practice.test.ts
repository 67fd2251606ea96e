// Practice, as a learner does it, in a real pseudo-terminal (tmux): every
// chapter of the book typed step by step and verified on this live host; wrong
// work caught with a reason, a hint, and the book taking over; equivalent work
// accepted; Ctrl-C and a closed terminal as a learner would use them.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadBook } from "../../src/book/load-book.js";
import type { Chapter, Step } from "../../src/book/model.js";
import { stepsOf } from "../../src/book/model.js";
import { CLI, ROOT } from "./helpers.js";
import { hostState } from "./host-state.js";
import { type Learner, practiseStep, reach, settle, typeLine } from "./practice-driver.js";
import { openPane, type Pane } from "./tmux.js";

const book = loadBook(ROOT);
const chapter = (n: number) => book.chapters.find((c) => c.number === n)!;
const step = (c: Chapter, id: string): Step => stepsOf(c).find((s) => s.id === id)!;

/** What a learner reads off the screen to answer the book's questions. */
const learner: Learner = {
  answers: {
    "chapter-07/outside": (s) => /^(\d+) \d+ busybox sh$/m.exec(s)![1]!,
    "chapter-08/uid-map": (s) => /^0 (\d+) 1$/m.exec(s)![1]!,
    "chapter-12/three-pids": (s) => /^inner sleep\s*\|\s*\d+\s*\|\s*(\d+)\s*\|/m.exec(s)![1]!,
  },
};

let state: string;
let panes: Pane[] = [];
beforeAll(() => {
  state = mkdtempSync(join(tmpdir(), "consh-practice-"));
});
afterAll(() => rmSync(state, { recursive: true, force: true }));
afterEach(async () => {
  for (const p of panes) p.close();
  panes = [];
  // A closed pane's run tears down on its own: the next test starts when it has.
  for (let i = 0; i < 300 && /CONSH_RUN=|\/consh-[a-z][a-z0-9]{5}/.test(hostState()); i++) await new Promise((r) => setTimeout(r, 100));
});
const pane = (args: string) => {
  const p = openPane(`cd ${ROOT} && node ${CLI} ${args}`, { XDG_STATE_HOME: state, XDG_CACHE_HOME: join(state, "cache"), NO_COLOR: "1" });
  panes.push(p);
  return p;
};

/** Lets the book run a step (:run) and waits for its ✓. */
async function bookRuns(p: Pane, c: Chapter, s: Step): Promise<void> {
  if ((await reach(p, c, s)) === "skipped") return;
  p.type(":run");
  p.send("Enter");
  await settle(p, (t) => t.slice(t.lastIndexOf(`step ${s.id} · terminal`)).includes(`✓ ${s.id} (${s.terminal})`), 60_000, `the book running ${s.id}`);
}

describe("practice, the whole book", () => {
  it("every step of every chapter, typed as keystrokes and verified as typed by the learner; all pass and the host is as before", async () => {
    const before = hostState();
    const p = pane("practice --all");
    let typed = 0;
    let skipped = 0;
    for (const c of book.chapters) {
      for (const s of stepsOf(c)) {
        if ((await practiseStep(p, c, s, learner)) === "typed") typed++;
        else skipped++;
      }
    }
    const end = await p.waitFor("EXIT=", 120_000, 400);
    expect(end).toMatch(/all passed in/);
    expect(end).toMatch(/EXIT=0/);
    const screen = p.screen();
    for (const c of book.chapters) expect(screen).toMatch(new RegExp(`${c.id} passed: .*practised: (\\d+) of \\d+ steps? typed by you`));
    expect(skipped).toBeLessThan(6); // only steps this host lacks a capability for
    expect(typed + skipped).toBe(book.chapters.reduce((n, c) => n + stepsOf(c).length, 0));
    expect(hostState()).toBe(before);
  }, 900_000);
});

/** Practises `chapter` in a new pane: the book runs every step before `target` (:run); returns the pane at the target's prompt. */
async function atStep(n: number, target: string): Promise<{ p: Pane; c: Chapter; s: Step }> {
  const c = chapter(n);
  const p = pane(`practice ${n}`);
  for (const s of stepsOf(c)) {
    if (s.id === target) {
      await reach(p, c, s);
      return { p, c, s };
    }
    await bookRuns(p, c, s);
  }
  throw new Error(`no step ${target} in ${c.id}`);
}

/** After wrong work: the check's reason, then a hint, then the book runs the step and the chapter goes on to `next`. */
async function recovers(p: Pane, c: Chapter, s: Step, reason: RegExp, next: string): Promise<void> {
  expect(p.screen(60)).toMatch(reason);
  expect(await typeLine(p, c, s, ":hint")).toBe("prompt");
  expect(p.screen(10)).toMatch(/hint: /);
  p.type(":run");
  p.send("Enter");
  await p.waitFor(new RegExp(`✓ ${s.id} \\(${s.terminal}\\) \\d+ ms(?! typed by you)`), 60_000, 80);
  await reach(p, c, step(c, next));
  p.type(":quit");
  p.send("Enter");
  expect(await p.waitFor("EXIT=", 60_000, 40)).toMatch(/stopped: you quit[\s\S]*EXIT=130/);
}

describe("practice catches wrong work, with a reason, a hint, and the book taking over", () => {
  it("a mount at the wrong place", async () => {
    const before = hostState();
    const { p, c, s } = await atStep(2, "mount-overlay");
    expect(await typeLine(p, c, s, "sudo mount -t overlay overlay -o lowerdir=lower1:lower2,upperdir=upper,workdir=work lower1")).toBe("prompt");
    await recovers(p, c, s, /not yet: nothing is mounted on overlay-demo\/merged yet/, "workdir");
    expect(hostState()).toBe(before); // the mount on lower1, made under the run's names, went with the run
  });

  it("a process left outside the cgroup", async () => {
    const { p, c, s } = await atStep(4, "move-in");
    expect(await typeLine(p, c, s, "sleep 300 &")).toBe("prompt");
    expect(await typeLine(p, c, s, "sleeper=$!")).toBe("prompt");
    await recovers(p, c, s, /not yet: no sleep process is in consh-[a-z0-9]{6}-demo's cgroup\.procs/, "delegate-list");
  });

  it("a wrong hostname", async () => {
    const { p, c, s } = await atStep(8, "rename");
    expect(await typeLine(p, c, s, "hostname langweid")).toBe("prompt");
    await recovers(p, c, s, /not yet: the container is not called langwied/, "host-name");
  });

  it("a veth not moved", async () => {
    const { p, c, s } = await atStep(11, "veth-move");
    expect(await typeLine(p, c, s, 'ip -br link show "$CONSH_VETH_CT"')).toBe("prompt");
    await recovers(p, c, s, /not yet: cb[a-z0-9]{6}c is still on the host, not in the container/, "addresses");
  });

  it("a wrong answer to a question", async () => {
    const { p, c, s } = await atStep(7, "outside");
    for (const line of s.text.trim().split("\n")) expect(await typeLine(p, c, s, line)).toBe("prompt");
    expect(await typeLine(p, c, s, ":answer 1")).toBe("prompt");
    expect(p.screen(5)).toMatch(/✗ not the answer/);
    await recovers(p, c, s, /✗ not the answer/, "upper");
  });
});

describe("practice accepts equivalent work", () => {
  it.each([
    [2, "mount-overlay", ["sudo mount -o lowerdir=lower1:lower2,upperdir=upper,workdir=work -t overlay none merged"]],
    [4, "move-in", ["sleep 300 &", 'sudo sh -c "echo $! > $cg/cgroup.procs"']],
    [8, "rename", ["echo langwied > /proc/sys/kernel/hostname"]],
    [11, "veth-move", ['sudo ip link set dev "$CONSH_VETH_CT" netns "$ct_pid"']],
  ])("chapter %i, %s: other options, another tool", async (n, target, lines) => {
    const { p, c, s } = await atStep(n, target);
    let last = "prompt";
    for (const line of lines) last = await typeLine(p, c, s, line);
    expect(last).toBe("verified");
    expect(p.screen(20)).toMatch(new RegExp(`✓ ${s.id} \\(${s.terminal}\\) .*typed by you`));
  });
});

describe("Ctrl-C, Ctrl-D and a closed terminal while practising", () => {
  it("Ctrl-C stops a long command the learner typed and keeps the terminal and its variables; Ctrl-D asks first; Ctrl-C at the prompt tears down", async () => {
    const before = hostState();
    const c = chapter(3);
    const s = stepsOf(c)[0]!;
    const p = pane("practice 3");
    await reach(p, c, s);
    p.type("x=kept; sleep 100");
    p.send("Enter");
    await new Promise((r) => setTimeout(r, 1000));
    p.send("C-c");
    await p.waitFor(/\(exit 130\)\n\s*host \$/, 10_000, 10);
    expect(await typeLine(p, c, s, 'echo "x is $x"')).toBe("prompt");
    expect(p.screen(5)).toMatch(/^x is kept$/m);
    p.send("C-d");
    await p.waitFor("quit practising (everything the run made is removed)? [y/N]", 10_000, 5);
    p.type("n");
    p.send("Enter");
    await p.waitFor(/\[y\/N\] n\n\s*host \$/, 10_000, 5);
    p.send("C-c");
    expect(await p.waitFor("EXIT=", 30_000, 20)).toMatch(/interrupted by SIGINT; everything the run made was removed[\s\S]*EXIT=130/);
    expect(hostState()).toBe(before);
  });

  it("a closed terminal (SIGHUP) in the middle of chapter 7 tears everything down", async () => {
    const before = hostState();
    const { p } = await atStep(7, "pid-one"); // the container is up
    process.kill(p.pid(), "SIGHUP");
    p.close();
    for (let i = 0; i < 100 && hostState() !== before; i++) await new Promise((r) => setTimeout(r, 100));
    expect(hostState()).toBe(before);
  });
});

describe("t in step mode", () => {
  it("types one step yourself, then step mode goes on", async () => {
    const c = chapter(3);
    const p = openPane(`cd ${ROOT} && node ${CLI} run 3 --step`, { XDG_STATE_HOME: state, NO_COLOR: "1" });
    panes.push(p);
    await p.waitFor("[Enter] run it", 20_000);
    p.send("t", "Enter");
    const s = stepsOf(c)[0]!;
    await p.waitFor(`┌ step ${s.id} · terminal host · chapter-03 · type it yourself`, 10_000);
    await p.waitFor(/host \$ $/m, 10_000, 5);
    expect(await typeLine(p, c, s, s.text.trim())).toBe("verified");
    await p.waitFor(/step uts ·[\s\S]*\[Enter\] run it/, 10_000, 60);
    p.send("q", "Enter");
    expect(await p.waitFor("EXIT=", 30_000, 20)).toMatch(/EXIT=130/);
  });
});

describe("what the learner makes elsewhere", () => {
  it("is never removed by guess: the summary lists it with the command that removes it", async () => {
    const before = hostState();
    const mine = join(state, "my-mount");
    const c = chapter(3);
    const s = stepsOf(c)[0]!;
    const p = pane("practice 3");
    await reach(p, c, s);
    expect(await typeLine(p, c, s, `mkdir -p ${mine} && sudo mount -t tmpfs learner ${mine}`)).toBe("prompt");
    p.type(":quit");
    p.send("Enter");
    const end = await p.waitFor("EXIT=", 30_000, 30);
    try {
      expect(end).toMatch(/These appeared on the host while you worked, under names that are not the run's, so consh-book left them/);
      expect(end).toContain(`sudo umount ${mine}    # a mount on ${mine}`);
    } finally {
      execFileSync("umount", [mine]);
    }
    expect(hostState()).toBe(before);
  });
});
