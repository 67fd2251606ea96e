// Step mode as a learner meets it (tmux): the whole chapter on screen, every
// paragraph, script and closing word of it (read from the Markdown), this run's
// own numbers where the record has placeholders, a prompt that survives a typed
// command, and progress that a Ctrl-C in a re-run does not spoil.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadBook } from "../../src/book/load-book.js";
import type { Chapter } from "../../src/book/model.js";
import { CLI, ROOT, cli, env } from "./helpers.js";
import { hostState } from "./host-state.js";
import { openPane, type Pane } from "./tmux.js";

const book = loadBook(ROOT);
const chapter = (n: number) => book.chapters.find((c) => c.number === n)!;

let state: string;
let panes: Pane[] = [];
beforeAll(() => {
  state = mkdtempSync(join(tmpdir(), "consh-step-"));
});
afterAll(() => rmSync(state, { recursive: true, force: true }));
afterEach(async () => {
  for (const p of panes) p.close();
  panes = [];
  for (let i = 0; i < 300 && /CONSH_RUN=|\/consh-[a-z][a-z0-9]{5}/.test(hostState()); i++) await new Promise((r) => setTimeout(r, 100));
});
const pane = (args: string) => {
  const p = openPane(`cd ${ROOT} && node ${CLI} ${args}`, { XDG_STATE_HOME: state, XDG_CACHE_HOME: join(state, "cache"), NO_COLOR: "1" });
  panes.push(p);
  return p;
};

const PROMPT = "[Enter] run it   t type it yourself   s skip   ? more keys   q quit";
const flat = (s: string) => s.replace(/[│┆]/g, " ").replace(/\s+/g, " ");

/** Everything of the chapter a reader must find on the screen: paragraphs and headings as text, file= scripts line by line. */
function whatToFind(c: Chapter): string[] {
  const out: string[] = [];
  for (const b of c.prose) {
    if (b.kind === "paragraph" || b.kind === "heading") out.push(flat(b.spans.map((s) => s.text).join("")).trim());
    const block = b.kind === "code" && b.block !== undefined ? c.blocks[b.block] : undefined;
    if (block?.kind === "file")
      out.push(
        ...block.text
          .split("\n")
          .filter((l) => l.trim() !== "")
          .map((l) => flat(l).trim()),
      );
  }
  return out.filter((x) => x !== "");
}

/** Runs a chapter in step mode with Enter at every prompt (and through every page) to its end; the whole screen. */
async function stepThrough(p: Pane): Promise<string> {
  let answered = 0;
  const deadline = Date.now() + 240_000;
  for (;;) {
    const screen = p.screen();
    if (/EXIT=\d+/.test(screen)) return screen;
    const prompts = screen.split(PROMPT).length - 1;
    const last = screen.replace(/\s+$/, "").split("\n").at(-1) ?? "";
    if (prompts > answered) {
      answered = prompts;
      p.send("Enter");
    } else if (last.startsWith("-- more")) {
      p.send("Enter");
    }
    if (Date.now() > deadline) throw new Error(`step mode did not end; screen:\n${screen.split("\n").slice(-40).join("\n")}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe("step mode shows the whole chapter, with this run's own values", () => {
  it.each([5, 9, 10, 12])(
    "chapter %i: every paragraph, script and closing word, and real numbers",
    async (n) => {
      const c = chapter(n);
      const p = pane(`run ${n} --step`);
      const screen = await stepThrough(p);
      expect(screen).toMatch(/EXIT=0/);
      const shown = flat(screen);
      const missing = whatToFind(c).filter((x) => !shown.includes(x));
      expect(missing).toEqual([]);
      // What the steps printed shows this run's numbers, not the record's placeholders.
      const live = screen.slice(screen.indexOf(`${c.id}: `));
      if (n === 9) expect(live).toMatch(/that is every capability this kernel has: \d+ of them/);
      if (n === 10) expect(live).toMatch(/the burner got about \d+ % of a CPU/);
      if (n === 12) expect(live).toMatch(/inner sleep\s*\|\s*\d+\s*\|\s*\d+\s*\|\s*\d+/);
      if (n === 5) expect(live).toMatch(/consh_setup\.sh parses/);
    },
    300_000,
  );
});

describe("a prompt that forgives", () => {
  it("a command typed at the step prompt is said back and never run, and the same step waits", async () => {
    const p = pane("run 3 --step");
    await p.waitFor(PROMPT, 30_000);
    p.type("ls /proc/self/ns");
    p.send("Enter");
    await p.waitFor("'ls /proc/self/ns' is not one of the keys: nothing was run", 10_000, 20);
    expect(p.screen(20)).not.toMatch(/skipped by you/);
    p.send("?", "Enter");
    await p.waitFor(/o\s+open a shell in this step's terminal now/, 10_000, 20);
    p.send("Enter");
    await p.waitFor(/✓ pid-one \(host\)/, 20_000, 40);
    p.send("q", "Enter");
    expect(await p.waitFor("EXIT=", 30_000, 20)).toMatch(/EXIT=130/);
  }, 120_000);
});

describe("honest progress", () => {
  it("Ctrl-C in a re-run of a passed chapter leaves it passed (interrupted is not failed)", async () => {
    const e = env({ XDG_STATE_HOME: state });
    expect((await cli(["run", "3"], { env: e })).code).toBe(0);
    const p = pane("run 3 --step");
    await p.waitFor(PROMPT, 30_000);
    p.send("Enter");
    await p.waitFor(/✓ pid-one/, 20_000, 40);
    await p.waitFor(new RegExp(`step uts[\\s\\S]*${PROMPT.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`), 20_000, 60);
    p.send("C-c");
    expect(await p.waitFor("EXIT=", 30_000, 20)).toMatch(/EXIT=130/);
    const progress = await cli(["progress"], { env: e });
    expect(progress.stdout).toMatch(/chapter-03\s+Isolating the container: namespaces\s+passed/);
    expect(progress.stdout).not.toMatch(/chapter-03.*failed/);
  }, 120_000);
});
