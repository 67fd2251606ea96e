// Real shells (bash, dash, busybox ash) driven through pipes: nothing is faked here.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { Terminal } from "../../src/terminal/terminal.js";
import { which } from "../../src/host/probe.js";

let cwd: string;
const open: Terminal[] = [];
beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), "consh-test-term-"));
  return () => rmSync(cwd, { recursive: true, force: true });
});
afterEach(async () => {
  for (const t of open.splice(0)) await t.kill();
});

function start(shell: string[]): Terminal {
  const t = Terminal.start({ name: "t", cwd, env: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, shell });
  open.push(t);
  return t;
}

const run = (t: Terminal, text: string, timeoutMs = 5000) => t.run({ text, timeoutMs });

const shells: [string, string[]][] = [
  ["bash", ["bash", "--noprofile", "--norc"]],
  ["dash", ["dash"]],
  ["busybox ash", ["busybox", "sh"]],
];

describe.each(shells)("a terminal running %s", (name, shell) => {
  it.skipIf(!which(shell[0]!))("keeps variables, functions and cwd between steps", async () => {
    const t = start(shell);
    expect(await run(t, "x=41; f() { echo $((x + 1)); }\nmkdir -p sub && cd sub\n")).toMatchObject({ kind: "done", status: 0, output: "" });
    expect(await run(t, 'f; basename "$PWD"\n')).toMatchObject({ output: "42\nsub\n", status: 0 });
  });

  it.skipIf(!which(shell[0]!))("reports the exit status and keeps output without a final newline", async () => {
    const t = start(shell);
    expect(await run(t, "printf 'no newline'; false\n")).toMatchObject({ output: "no newline", status: 1 });
    expect(await run(t, "(exit 7)\n")).toMatchObject({ output: "", status: 7 });
  });

  it.skipIf(!which(shell[0]!))("merges stderr into stdout in the order they were written", async () => {
    const t = start(shell);
    const r = await run(t, "echo one; echo two >&2; echo three; echo four >&2\n");
    expect(r).toMatchObject({ output: "one\ntwo\nthree\nfour\n" });
  });

  it.skipIf(!which(shell[0]!) || !which("busybox"))(`can exec into another shell, whose later steps run there (${name} → busybox → dash)`, async () => {
    const t = start(shell);
    await run(t, "exec busybox sh\n");
    expect((await run(t, "readlink /proc/$$/exe\n")).kind === "done" && (await run(t, "readlink /proc/$$/exe\n"))).toMatchObject({
      output: expect.stringMatching(/busybox\n$/),
    });
    await run(t, "cd /; exec dash\n");
    expect(await run(t, "readlink /proc/$$/exe; pwd\n")).toMatchObject({ output: expect.stringMatching(/dash\n\/\n$/) });
  });
});

describe("terminal failures", () => {
  it("a step past its timeout is reported, and its whole process tree is killed", async () => {
    const t = start(["bash", "--noprofile", "--norc"]);
    await run(t, "sleep 300 & echo $! > bg.pid\n");
    const r = await run(t, "echo waiting; sleep 300\n", 300);
    expect(r).toMatchObject({ kind: "timeout", output: "waiting\n" });
    expect(t.alive).toBe(false);
    const bg = Number(readFileSync(join(cwd, "bg.pid"), "utf8"));
    // Gone, or a zombie waiting for init to reap it: either way it no longer runs.
    const state = existsSync(`/proc/${bg}/stat`) ? readFileSync(`/proc/${bg}/stat`, "utf8").split(") ")[1]?.[0] : "gone";
    expect(["gone", "Z"]).toContain(state);
  });

  it("a shell that exits during a step is reported as exited, with its output", async () => {
    const t = start(["bash", "--noprofile", "--norc"]);
    const r = await run(t, "echo bye; exit 4\n");
    expect(r).toMatchObject({ kind: "exited", output: "bye\n", status: "exit status 4" });
    expect(await run(t, "echo again\n")).toMatchObject({ kind: "exited" });
  });

  it("a background step returns at once and its output is not captured", async () => {
    const t = start(["bash", "--noprofile", "--norc"]);
    const r = await t.run({ text: "sleep 2; echo late\n", timeoutMs: 1000, background: true });
    expect(r).toMatchObject({ kind: "done", output: "", status: 0 });
    expect(r.durationMs).toBeLessThan(500);
    expect(await run(t, "echo next\n")).toMatchObject({ output: "next\n" });
  });
});

describe.each(shells)("the protocol stays out of %s's output", (name, shell) => {
  it.skipIf(!which(shell[0]!))("with set -x and set -v, which stay on for the next step", async () => {
    const t = start(shell);
    const x = await run(t, "set -x\necho one\n");
    expect(x).toMatchObject({ kind: "done", status: 0 });
    expect(x.output).not.toMatch(/CONSH|printf|__consh/);
    const next = await run(t, "echo two\n");
    expect(next.output).toMatch(/echo two\ntwo\n$/);
    expect(next.output).not.toMatch(/CONSH|printf|__consh/);
    await run(t, "set +x\n");
    if (name === "busybox ash") return; // busybox ash has no set -v
    const v = await run(t, "set -v\necho three; false\n");
    expect(v).toMatchObject({ status: 1 });
    expect(v.output).not.toMatch(/CONSH|printf|__consh/);
    expect((await run(t, "echo four\n")).output).toBe("echo four\nfour\n");
  });
});

describe("a step that reads the terminal's stdin", () => {
  it("is reported as such, without protocol text, well before its timeout", async () => {
    const t = start(["bash", "--noprofile", "--norc"]);
    const r = await run(t, "echo before; cat\n", 20_000);
    expect(r.kind).toBe("consumed-input");
    expect(r.output).toBe("before\n");
    expect(r.durationMs).toBeLessThan(5000);
    expect(t.alive).toBe(false);
  });
});

describe("big outputs", () => {
  it("keeps an output of several megabytes exact", async () => {
    const t = start(["bash", "--noprofile", "--norc"]);
    const r = await run(t, "seq 1000000\n", 30_000);
    expect(r.kind).toBe("done");
    expect(r.output.length).toBe(6888896);
    expect(r.output.endsWith("999999\n1000000\n")).toBe(true);
  });
});

describe.each(shells)("a command a learner types, in %s", (_name, shell) => {
  it.skipIf(!which(shell[0]!))("shows its output as it arrives, and never the protocol's", async () => {
    const t = start(shell);
    const seen: string[] = [];
    const r = await t.run({ text: "echo one; sleep 0.2; printf 'two'\n", timeoutMs: 5000, onOutput: (s) => seen.push(s) });
    expect(r).toMatchObject({ kind: "done", output: "one\ntwo", status: 0 });
    expect(seen.join("")).toBe("one\ntwo");
    expect(seen.length).toBeGreaterThan(1); // "one" came before the sleep ended
    expect(seen.join("")).not.toMatch(/CONSH|printf/);
  });

  it.skipIf(!which(shell[0]!))("is stopped by interrupt() (Ctrl-C) while the shell, its variables and its background jobs stay", async () => {
    const t = start(shell);
    await run(t, "x=kept; sleep 300 &\necho $! > bg.pid\n");
    const bg = Number(readFileSync(join(cwd, "bg.pid"), "utf8"));
    const running = t.run({ text: "sleep 100\n", timeoutMs: 60_000 });
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    await t.interrupt();
    const r = await running;
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(r).toMatchObject({ kind: "done", status: 130 });
    expect(t.alive).toBe(true);
    expect((await run(t, "echo $x\n")).output).toBe("kept\n");
    expect(existsSync(`/proc/${bg}`)).toBe(true); // the background job ignores SIGINT and was not killed
    await run(t, `kill ${bg}\n`);
  });

  it.skipIf(!which(shell[0]!) || !which("busybox"))(
    "is stopped by interrupt() in a shell that inherited an ignored SIGINT (a container started by Debian 11's unshare --fork)",
    async () => {
      const t = start(shell);
      // As `exec consh_setup.sh` does there: the terminal's process becomes a parent that
      // ignores SIGINT and SIGTERM, and the shell that now reads the commands is its child.
      await run(t, `exec sh -c "trap '' INT TERM; busybox sh; :"\n`);
      await run(t, "x=kept; sleep 301 &\necho $! > bg2.pid\n");
      const bg = Number(readFileSync(join(cwd, "bg2.pid"), "utf8"));
      const running = t.run({ text: "sleep 100\n", timeoutMs: 60_000 });
      await new Promise((r) => setTimeout(r, 300));
      const t0 = Date.now();
      await t.interrupt();
      const r = await running;
      expect(Date.now() - t0).toBeLessThan(3000); // SIGINT is ignored: SIGKILL after it
      expect(r).toMatchObject({ kind: "done", status: 137 });
      expect((await run(t, "echo $x\n")).output).toBe("kept\n");
      expect(existsSync(`/proc/${bg}`)).toBe(true); // a background job (stdin /dev/null) is left alone
      await run(t, `kill -9 ${bg}\n`);
    },
  );

  it.skipIf(!which(shell[0]!))("that reads the terminal's input is stopped and said so, and the terminal is kept (keepOnInputRead)", async () => {
    const t = start(shell);
    await run(t, "y=still\n");
    const r = await t.run({ text: "echo before; cat\n", timeoutMs: 20_000, keepOnInputRead: true });
    expect(r).toMatchObject({ kind: "done", readInput: true });
    expect(r.output).toMatch(/^before\n/);
    expect(t.alive).toBe(true);
    expect((await run(t, "echo $y\n")).output).toBe("still\n");
  });
});
