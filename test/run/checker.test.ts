// The hidden checker shell runs a step's check and question with real shells;
// each terminal's shell PID is in CONSH_PID_<TERMINAL>.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { StepCheck, StepQuestion } from "../../src/book/model.js";
import { Checker, sameAnswer, shellPidVariable } from "../../src/run/checker.js";
import { Terminal } from "../../src/terminal/terminal.js";

let made: Terminal[] = [];
let dir: string;
afterEach(async () => {
  for (const t of made) await t.kill();
  made = [];
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function checker(shells = new Map<string, number>()): Checker {
  dir = mkdtempSync(join(tmpdir(), "consh-checker-"));
  return new Checker(
    () => {
      const t = Terminal.start({
        name: "(checks)",
        cwd: dir,
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", CONSH_WORK: dir },
        shell: ["bash", "--noprofile", "--norc"],
      });
      made.push(t);
      return t;
    },
    () => shells,
  );
}
const check = (text: string): StepCheck => ({ kind: "check", step: "s", text, line: 1 });
const question = (text: string): StepQuestion => ({ kind: "question", step: "s", ask: "?", text, line: 1 });

describe("Checker", () => {
  it("passes on exit 0, fails with what the check printed, and an exit in a check never ends the checker", async () => {
    const c = checker();
    expect(await c.check(check("true\n"))).toMatchObject({ passed: true, reason: "" });
    expect(await c.check(check('echo "no x yet"; exit 1\n'))).toMatchObject({ passed: false, reason: "no x yet" });
    expect(await c.check(check('test -d "$CONSH_WORK"\n'))).toMatchObject({ passed: true });
    expect(made).toHaveLength(1); // the same shell all along
  });

  it("gives each terminal's shell PID as CONSH_PID_<TERMINAL>", async () => {
    const c = checker(
      new Map([
        ["container", 4242],
        ["my-inner", 7],
      ]),
    );
    expect(await c.check(check('[ "$CONSH_PID_CONTAINER" = 4242 ] && [ "$CONSH_PID_MY_INNER" = 7 ]\n'))).toMatchObject({ passed: true });
    expect(shellPidVariable("my-inner")).toBe("CONSH_PID_MY_INNER");
  });

  it("waits for state that settles a moment after the step (checkWithin)", async () => {
    const c = checker();
    const flag = join(tmpdir(), `consh-checker-flag-${process.pid}`);
    setTimeout(() => rmSync(flag, { force: true }), 0);
    setTimeout(() => writeFileSync(flag, ""), 300);
    const r = await c.checkWithin(check(`test -e ${flag} || { echo "not yet"; exit 1; }\n`), 3000);
    rmSync(flag, { force: true });
    expect(r.passed).toBe(true);
  });

  it("answers a question from live state, or says why it cannot", async () => {
    const c = checker();
    expect(await c.answer(question("echo 42\n"))).toEqual({ answer: "42" });
    expect(await c.answer(question("true\n"))).toEqual({ problem: "its script printed no answer" });
    expect(await c.answer(question("echo oops; exit 3\n"))).toEqual({ problem: "its script failed (exit 3): oops" });
  });
});

describe("sameAnswer", () => {
  it("takes the same words whatever the case and spacing, nothing else", () => {
    expect(sameAnswer("  1234 ", "1234")).toBe(true);
    expect(sameAnswer("Root  User", "root user")).toBe(true);
    expect(sameAnswer("123", "1234")).toBe(false);
  });
});
