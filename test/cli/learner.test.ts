// What a learner uses: step mode and --shell in a real pseudo-terminal (tmux),
// progress and read, on this real host (export: export.test.ts).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CLI, ROOT, cli, env } from "./helpers.js";
import { hostState } from "./host-state.js";
import { openPane, type Pane } from "./tmux.js";

let state: string;
let panes: Pane[] = [];
beforeAll(() => {
  state = mkdtempSync(join(tmpdir(), "consh-state-"));
});
afterAll(() => rmSync(state, { recursive: true, force: true }));
afterEach(() => {
  for (const p of panes) p.close();
  panes = [];
});
const pane = (command: string) => {
  const p = openPane(command, { XDG_STATE_HOME: state, NO_COLOR: "1" });
  panes.push(p);
  return p;
};

describe("step mode (in a pseudo-terminal)", () => {
  it("shows the prose and the command before each step; Enter runs, s⏎ skips, q⏎ quits and tears down", async () => {
    const before = hostState();
    const p = pane(`cd ${ROOT} && node ${CLI} run 3 --step`);
    await p.waitFor("[Enter] run it");
    const first = p.screen();
    expect(first).toMatch(/Here it\s+creates a user and a PID namespace/);
    expect(first).toMatch(/step pid-one · terminal host · chapter-03\n\s+│ unshare --user --pid --fork sh -c/);
    p.send("Enter");
    await p.waitFor("inside, this shell is PID 1");
    await p.waitFor(/step uts ·[\s\S]*\[Enter\] run it/);
    p.send("s", "Enter");
    await p.waitFor("skipped by you");
    await p.waitFor(/step ns-links ·[\s\S]*\[Enter\] run it/);
    p.send("q", "Enter");
    const end = await p.waitFor("EXIT=");
    expect(end).toMatch(/chapter-03 not finished: 1 of 4 steps ran; not run: uts, ns-links, ns-compare/);
    expect(end).not.toMatch(/chapter-03 passed/);
    expect(end).toMatch(/stopped: you quit after 1 of 4 steps of chapter-03; everything the run made was removed/);
    expect(end).toMatch(/EXIT=130/);
    expect(hostState()).toBe(before);
    // Progress says what happened, and --next offers the chapter again.
    const e = env({ XDG_STATE_HOME: state });
    const progress = await cli(["progress"], { env: e });
    expect(progress.stdout).toMatch(/chapter-03\s+Isolating the container: namespaces\s+started, 1 of 4 steps \(not run: uts, ns-links, ns-compare\)/);
    expect(progress.stdout).not.toMatch(/chapter-03\s+.*passed/);
  });

  it("a chapter with a skipped step is not passed: the run and progress say which step did not run", async () => {
    const p = pane(`cd ${ROOT} && node ${CLI} run 3 --step`);
    const keys = [[], ["s"], [], []];
    for (let i = 0; i < keys.length; i++) {
      // The (i+1)-th prompt is on the screen: answer it.
      await p.waitFor(new RegExp(`(?:\\[Enter\\] run it[\\s\\S]*){${i + 1}}`));
      p.send(...keys[i]!, "Enter");
    }
    const end = await p.waitFor("EXIT=");
    expect(end).toMatch(/chapter-03 not finished: 3 of 4 steps ran; not run: uts/);
    expect(end).toMatch(/nothing failed, but not every step ran \(chapter-03: 3 of 4\)/);
    expect(end).toMatch(/EXIT=0/);
    const e = env({ XDG_STATE_HOME: state });
    expect((await cli(["progress"], { env: e })).stdout).toMatch(/chapter-03\s+.*started, 3 of 4 steps \(not run: uts\)/);
  });
});

describe("--shell (in a pseudo-terminal)", () => {
  it("hands over a new shell that joined the live container, says so, carries the book's variables, then tears everything down", async () => {
    const before = hostState();
    const p = pane(`cd ${ROOT} && CI=true node ${CLI} run 7 --shell`);
    await p.waitFor("Type exit or press Ctrl-D to leave");
    expect(p.screen()).toMatch(
      /A new shell in the container terminal's container \(run [a-z0-9]{6}\): it joined the container's namespaces, root and working directory with nsenter, so it is not the container's PID 1 shell/,
    );
    p.send('echo "on $(hostname) pid1=$(cat /proc/1/comm) me=$$ run=$CONSH_RUN"; ls /', "Enter");
    await p.waitFor(/on tekapo pid1=busybox me=\d+ run=[a-z0-9]{6}/);
    expect(p.screen()).not.toMatch(/me=1 /);
    expect(p.screen()).toMatch(/MANIFEST\s+bin\s+dev/);
    p.send("exit", "Enter");
    const end = await p.waitFor("EXIT=");
    expect(end).toMatch(/left the shell; tearing the run down[\s\S]*all passed[\s\S]*EXIT=0/);
    expect(hostState()).toBe(before);
  });

  it("--shell=host hands over a shell in the host terminal's directory, with its variables", async () => {
    const p = pane(`cd ${ROOT} && CI=true node ${CLI} run 7 --shell=host`);
    await p.waitFor("Type exit or press Ctrl-D to leave");
    p.send('echo "here: $CONSH_RUN in $PWD, ct_pid=$ct_pid"', "Enter");
    await p.waitFor(/here: [a-z0-9]{6} in \/.*\/work\/demo, ct_pid=\d+/); // the host terminal's own variable, set by chapter 7
    p.send("exit", "Enter");
    expect(await p.waitFor("EXIT=")).toMatch(/EXIT=0/);
  });
});

describe("progress", () => {
  it("lists chapters as passed, failed at a step, or not yet run; --next runs the first not passed; --reset forgets", async () => {
    const xdg = mkdtempSync(join(tmpdir(), "consh-progress-"));
    try {
      const e = env({ XDG_STATE_HOME: xdg });
      const fresh = await cli(["progress"], { env: e });
      expect(fresh.stdout).toMatch(/chapter-01\s+Building a container from the shell\s+not yet run/);
      expect(fresh.stdout).toMatch(/0 of 12 chapters passed\. Next: consh-book run --next \(chapter-01\)/);
      const next = await cli(["run", "--next"], { env: e });
      expect(next.code).toBe(0);
      expect(next.stdout).toMatch(/^next: chapter-01: Building a container from the shell/);
      const after = await cli(["progress"], { env: e });
      expect(after.stdout).toMatch(
        /chapter-01\s+Building a container from the shell\s+passed, watched \(practise it: consh-book practice\) \(\d{4}-\d\d-\d\d\)/,
      );
      expect(after.stdout).toMatch(/Next: consh-book run --next \(chapter-02\)/);
      const reset = await cli(["progress", "--reset"], { env: e });
      expect(reset.stdout).toMatch(/progress forgotten/);
      expect((await cli(["progress"], { env: e })).stdout).toMatch(/chapter-01\s+.*not yet run/);
    } finally {
      rmSync(xdg, { recursive: true, force: true });
    }
  });

  it("remembers the step a chapter failed at", async () => {
    const xdg = mkdtempSync(join(tmpdir(), "consh-progress-"));
    const book = mkdtempSync(join(tmpdir(), "consh-progress-book-"));
    try {
      const { cpSync } = await import("node:fs");
      cpSync(join(ROOT, "test/fixtures/failing"), book, { recursive: true });
      const e = env({ XDG_STATE_HOME: xdg });
      expect((await cli(["run", "1", "--book", book], { env: e })).code).toBe(1);
      const p = await cli(["progress", "--book", book], { env: e });
      expect(p.stdout).toMatch(/chapter-01\s+A step that fails\s+failed at step broken/);
    } finally {
      rmSync(xdg, { recursive: true, force: true });
      rmSync(book, { recursive: true, force: true });
    }
  });
});

describe("read", () => {
  it("renders a chapter with headings, wrapped prose, code blocks and each step's recorded output", async () => {
    const r = await cli(["read", "chapter-03"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^chapter-03: Isolating the container: namespaces\n/);
    expect(r.stdout).toMatch(/ISOLATING THE CONTAINER: NAMESPACES\n═+/);
    expect(r.stdout).toMatch(/┌ step pid-one · terminal host\n\s+│ unshare --user --pid --fork/);
    expect(r.stdout).toMatch(/┌ output \(terminal host, exit 0\)\n\s+┆ inside, this shell is PID 1/);
    for (const line of r.stdout.split("\n")) {
      if (!line.includes("│") && !line.includes("┆")) expect(line.length).toBeLessThanOrEqual(79);
    }
  });
});

describe("read: values seen on the recording host", () => {
  it("shows the recorded capability mask and count in place of their wildcards, and says once under the output what a run accepts", async () => {
    const r = await cli(["read", "chapter-09"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /┆ CapEff:\t0000[0-9a-f]{2}ffffffffff\n\s+┆ that is every capability this kernel has: 4\d of them\n\s+└ on the recording host\. A run accepts any text for [0-9a-f]{2}; any number from 40 to 49 for 4\d\./,
    );
    expect(r.stdout).not.toMatch(/\[\.\.=|\[40\.\.49/);
  });
});

describe("read in a terminal", () => {
  it("goes through the pager when the chapter is longer than the screen", async () => {
    const p = pane(`cd ${ROOT} && PAGER=less node ${CLI} read 2`);
    const screen = await p.waitFor(/^:|\(END\)|lines \d+-\d+/m);
    expect(screen).toMatch(/CONSTRUCTING THE CONTAINER FILESYSTEM/);
    expect(screen).not.toMatch(/EXIT=/); // still paging
    p.send("q");
    expect(await p.waitFor("EXIT=")).toMatch(/EXIT=0/);
  });
});
