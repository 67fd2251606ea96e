// The live status line in a real pseudo-terminal (tmux): shown while a slow
// step runs, replaced by the step's result line; absent in CI and in pipes.
import { afterEach, describe, expect, it } from "vitest";
import { CLI, cli, env, sandbox, type Sandbox } from "./helpers.js";
import { openPane, type Pane } from "./tmux.js";

let panes: Pane[] = [];
let boxes: Sandbox[] = [];
afterEach(() => {
  for (const p of panes) p.close();
  for (const b of boxes) b.remove();
  panes = [];
  boxes = [];
});

const STATUS = /… chapter-01 · step slow-sleeper · terminal host · \d+\.\d s/;

async function until(p: Pane, ok: (screen: string) => boolean, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = p.screen();
    if (ok(s)) return s;
    if (Date.now() > deadline) throw new Error(`timed out; screen:\n${s}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function start(ci: boolean): Pane {
  const box = sandbox("slow");
  boxes.push(box);
  // The tmux server may have inherited CI from whoever started it: say it outright.
  const setCi = ci ? "export CI=true" : "unset CI";
  const p = openPane(`${setCi}; node ${CLI} run 1 --book ${box.book} --work-dir ${box.work}`, { NO_COLOR: "1", XDG_STATE_HOME: env().XDG_STATE_HOME! });
  panes.push(p);
  return p;
}

describe("live status line", () => {
  it("shows chapter, step, terminal and elapsed time while a step runs, then gives way to the ✓ line", async () => {
    const p = start(false);
    const during = await p.waitFor(STATUS);
    expect(during).toMatch(/✓ quick \(host\)/);
    expect(during).not.toMatch(/✓ slow-sleeper/);
    // The elapsed time moves on.
    const first = Number(STATUS.exec(during)![0].match(/(\d+\.\d) s$/)![1]);
    const later = await until(p, (s) => {
      const m = STATUS.exec(s);
      return m !== null && Number(m[0].match(/(\d+\.\d) s$/)![1]) > first;
    });
    expect(later).toMatch(STATUS);
    const end = await p.waitFor("EXIT=");
    expect(end).toMatch(/✓ slow-sleeper \(host\) [\d.]+ s/);
    expect(end).toMatch(/EXIT=0/);
    expect(end).not.toMatch(/…|· step slow-sleeper|· terminal host/);
    // The ✓ line starts at the beginning of its line: nothing of the status line is left in front of it.
    expect(end).toMatch(/^ {2}✓ slow-sleeper/m);
  });

  it("is not drawn with CI set, even on a terminal", async () => {
    const p = start(true);
    const deadline = Date.now() + 20_000;
    let seen = false;
    let screen = "";
    while (Date.now() < deadline) {
      screen = p.screen();
      if (STATUS.test(screen) || screen.includes("…")) seen = true;
      if (screen.includes("EXIT=")) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(screen).toMatch(/✓ slow-sleeper[\s\S]*EXIT=0/);
    expect(seen).toBe(false);
  });

  it("writes nothing of it when stdout is not a terminal", async () => {
    const box = sandbox("slow");
    boxes.push(box);
    const r = await cli(["run", "1", "--book", box.book, "--work-dir", box.work]);
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).toMatch(/✓ slow-sleeper/);
    expect(r.stdout).not.toMatch(/\r|\u001b\[2K|…/);
  });
});
