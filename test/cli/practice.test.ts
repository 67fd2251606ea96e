// Practice, as a learner does it, in a real pseudo-terminal (tmux): every
// chapter of the book typed step by step and verified on this live host; wrong
// work caught with a reason, a hint, and the book taking over; equivalent work
// accepted; Ctrl-C and a closed terminal as a learner would use them.
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
afterEach(() => {
  for (const p of panes) p.close();
  panes = [];
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
