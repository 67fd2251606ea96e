// Every way a run can end leaves the host exactly as it found it: compared
// with a reading of mounts, links, netns names, cgroup dirs and processes in
// other namespaces, before and after, on this real host.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, ROOT, cli, env } from "./helpers.js";
import { hostState } from "./host-state.js";

let dir: string;
let book: string;
beforeAll(() => {
  // The book's chapters 2, 5, 6 and 7 (a running container), plus chapters that break.
  dir = mkdtempSync(join(tmpdir(), "consh-safety-"));
  book = join(dir, "book");
  mkdirSync(join(book, "chapters"), { recursive: true });
  mkdirSync(join(book, "snapshots"));
  for (const f of readdirSync(join(ROOT, "chapters")).filter((f) => /^chapter-0[2567]-/.test(f))) {
    cpSync(join(ROOT, "chapters", f), join(book, "chapters", f));
    const snap = `${f.slice(0, 10)}.snap`;
    cpSync(join(ROOT, "snapshots", snap), join(book, "snapshots", snap));
  }
  cpSync(join(ROOT, "test/fixtures/host-safety/chapters"), join(book, "chapters"), { recursive: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the CLI and resolves once its output contains `marker`. */
function startUntil(args: string[], marker: string, extraEnv: Record<string, string> = {}) {
  const child = execa("node", [CLI, ...args], { reject: false, all: true, extendEnv: false, env: env(extraEnv) });
  let seen = "";
  const reached = new Promise<void>((resolve, reject) => {
    child.all!.on("data", (d: Buffer) => {
      seen += d.toString();
      if (seen.includes(marker)) resolve();
    });
    void child.then(() => reject(new Error(`ended before '${marker}':\n${seen}`)));
  });
  return { child, reached, output: () => seen };
}

describe("the host is left as it was", () => {
  it("after a passing run", async () => {
    const before = hostState();
    const r = await cli(["run", "7", "--book", book]);
    expect(r.code, r.all).toBe(0);
    expect(hostState()).toBe(before);
  });

  it("after a failing step, with a container, a netns name, a veth pair and background processes up", async () => {
    const before = hostState();
    const r = await cli(["run", "8", "--book", book]);
    expect(r.code, r.all).toBe(1);
    expect(r.stdout).toMatch(/step 'fails' .* exited with status 1, expected 0/);
    expect(r.stdout).toMatch(/torn down: terminals ended; removed .*1 mount.*1 netns name, 2 links/);
    expect(hostState()).toBe(before);
  });

  it("after a step that times out inside the container", async () => {
    const before = hostState();
    const r = await cli(["run", "9", "--book", book]);
    expect(r.code, r.all).toBe(1);
    expect(r.stdout).toMatch(/step 'hangs' \(terminal container, .*\) timed out after 2s/);
    expect(hostState()).toBe(before);
  });

  it("after an error in the runner itself (a tangle block it cannot write)", async () => {
    const before = hostState();
    const r = await cli(["run", "10", "--book", book]);
    expect(r.code, r.all).toBe(5);
    expect(r.stderr).toMatch(/chapter-10-tangle-fails\.md:12: cannot write file=in-the-way\.sh: EISDIR/);
    expect(hostState()).toBe(before);
  });

  it("after Ctrl-C (SIGINT) in the middle of the networking chapter", async () => {
    const before = hostState();
    const run = startUntil(["run", "11"], "veth-move", { CI: "true" });
    await run.reached;
    run.child.kill("SIGINT");
    const r = await run.child;
    expect(r.exitCode).toBe(130);
    expect(run.output()).toMatch(/interrupted by SIGINT; everything the run made was removed/);
    expect(hostState()).toBe(before);
  });

  it("after SIGTERM to the runner", async () => {
    const before = hostState();
    // Chapter 9 waits 2 s in its container after "more-resources": the signal lands in that step.
    const run = startUntil(["run", "9", "--book", book], "more-resources");
    await run.reached;
    run.child.kill("SIGTERM");
    const r = await run.child;
    expect(r.exitCode).toBe(143);
    expect(hostState()).toBe(before);
  });

  // Closing the terminal window (SIGHUP) and Ctrl-\ (SIGQUIT) tear down like SIGTERM, each with its own exit code.
  for (const [signal, code] of [
    ["SIGHUP", 129],
    ["SIGQUIT", 131],
  ] as const) {
    it(`after ${signal} to the runner: exit ${code}`, async () => {
      const before = hostState();
      const run = startUntil(["run", "9", "--book", book], "more-resources");
      await run.reached;
      run.child.kill(signal);
      const r = await run.child;
      expect(r.exitCode).toBe(code);
      expect(run.output()).toMatch(new RegExp(`interrupted by ${signal}; everything the run made was removed`));
      expect(hostState()).toBe(before);
    });
  }

  it("after SIGHUP when the runner's stdout and stderr are gone (their reader exited)", async () => {
    const before = hostState();
    const child = spawn("node", [CLI, "run", "9", "--book", book], { stdio: ["ignore", "pipe", "pipe"], env: env() });
    const exited = new Promise<number | null>((done) => child.on("exit", (c) => done(c)));
    let seen = "";
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) => {
        seen += d.toString();
        if (seen.includes("more-resources")) resolve();
      });
      void exited.then(() => reject(new Error(`ended before 'more-resources':\n${seen}`)));
    });
    // The reader goes away: every later write of the runner meets a closed pipe (EPIPE).
    child.stdout.destroy();
    child.stderr.destroy();
    child.kill("SIGHUP");
    expect(await exited).toBe(129);
    expect(hostState()).toBe(before);
  });

  it("after its terminal window is closed (a real pseudo-terminal hangs up; writes to it then fail with EIO)", async () => {
    const before = hostState();
    const session = `consh-hup-${process.pid}`;
    const status = join(dir, "hup-status");
    // The pane's shell stands for a learner's login shell: on hangup it passes SIGHUP on to its job, as bash
    // does (once: a second hangup must not cut its wait for the job short).
    const script = `trap 'kill -HUP $p; trap "" HUP' HUP; node ${CLI} run 9 --book ${book} & p=$!; wait $p; wait $p; st=$?; while kill -0 $p 2>/dev/null; do wait $p; st=$?; done; echo $st > ${status}`;
    const tmux = (...args: string[]) => execa("tmux", args, { reject: false, all: true });
    await tmux(
      "new-session",
      "-d",
      "-s",
      session,
      "-x",
      "120",
      "-y",
      "40",
      `env XDG_STATE_HOME=${env().XDG_STATE_HOME} sh -c '${script.replace(/'/g, "'\\''")}'`,
    );
    try {
      for (let i = 0; i < 600; i++) {
        const screen = await tmux("capture-pane", "-p", "-t", session);
        if (String(screen.all).includes("more-resources")) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const shell = Number(String((await tmux("display-message", "-p", "-t", session, "#{pane_pid}")).all).trim());
      await tmux("kill-session", "-t", session); // the window closes: the terminal is gone, writes to it fail (EIO)
      // The kernel signals a hung-up terminal's session leader; not every tmux build lets it, so do it here.
      try {
        process.kill(shell, "SIGHUP");
      } catch {
        // it got the hangup already and is gone
      }
      let code = "";
      for (let i = 0; i < 400 && code === ""; i++) {
        await new Promise((r) => setTimeout(r, 50));
        code = existsSync(status) ? readFileSync(status, "utf8").trim() : "";
      }
      expect(code).toBe("129");
      expect(hostState()).toBe(before);
    } finally {
      await tmux("kill-session", "-t", session);
    }
  });

  it("after SIGKILL of the runner, once `clean` ran; run warns until then; clean is idempotent", async () => {
    const work = join(dir, "killed");
    const before = hostState();
    const run = startUntil(["run", "11", "--work-dir", work], "veth-move", { CI: "true" });
    await run.reached;
    run.child.kill("SIGKILL");
    await run.child;
    expect(hostState()).not.toBe(before); // the overlay, cgroup, netns name and veth are still there
    const next = await cli(["run", "1", "--work-dir", work], { env: env({ CI: "true" }) });
    expect(next.code).toBe(0);
    expect(next.stderr).toMatch(/an earlier run \([a-z0-9]{6}\) ended without cleaning up; run consh-book clean/);
    const clean = await cli(["clean", "--work-dir", work]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/run [a-z0-9]{6} \(started .*\): removed .*1 mount.*1 netns name.*its directory/);
    expect(hostState()).toBe(before);
    const again = await cli(["clean", "--work-dir", work]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe("nothing to clean: no run was left behind");
  });

  it("after two whole-book runs at the same time, which both pass", async () => {
    const before = hostState();
    const [a, b] = await Promise.all([cli(["run", "--all"], { env: env({ CI: "true" }) }), cli(["run", "--all"], { env: env({ CI: "true" }) })]);
    expect(a.stdout).toMatch(/all passed/);
    expect(b.stdout).toMatch(/all passed/);
    expect([a.code, b.code]).toEqual([0, 0]);
    const ids = [a.stdout, b.stdout].map((o) => o.match(/^run ([a-z0-9]{6})/)?.[1]);
    expect(ids[0]).not.toBe(ids[1]);
    expect(hostState()).toBe(before);
  });
});
