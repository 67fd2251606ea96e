// runBook with a fake terminal: the pipeline (steps, snapshot compare, skips, stop, signals,
// teardown) without running a shell. The world, snapshots, ledger and teardown are real.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadBook } from "../../src/book/load-book.js";
import { planRun } from "../../src/book/plan.js";
import { EnvironmentError } from "../../src/errors.js";
import { EVERY_PROBE, type HostFacts, probeHost } from "../../src/host/probe.js";
import type { RunEvent } from "../../src/report/results.js";
import type { UpdateMode } from "../../src/snapshot/state.js";
import { type RunOptions, runBook } from "../../src/run/runner.js";
import type { RunRequest, StartTerminal, StepOutcome, StepTerminal } from "../../src/terminal/terminal.js";

/** A PID no process can have (above any pid_max): teardown finds nothing to signal. */
const NO_PID = 999_999_999;

interface Fake extends StepTerminal {
  alive: boolean;
  ran: string[];
  killed: boolean;
}

/** Starts fake terminals that answer each step with `answer(text, terminal)`. */
function fakes(answer: (req: RunRequest, name: string, cwd: string) => StepOutcome | Promise<StepOutcome>): { start: StartTerminal; started: Fake[] } {
  const started: Fake[] = [];
  const start: StartTerminal = ({ name, cwd }) => {
    const t: Fake = {
      name,
      pid: NO_PID,
      alive: true,
      ran: [],
      killed: false,
      async run(req) {
        t.ran.push(req.text.trim());
        return answer(req, name, cwd);
      },
      async interrupt() {},
      async kill() {
        t.alive = false;
        t.killed = true;
        return [];
      },
    };
    started.push(t);
    return t;
  };
  return { start, started };
}

const done = (output: string, status = 0): StepOutcome => ({ kind: "done", output, status, durationMs: 1 });

let host: HostFacts;
beforeAll(async () => {
  const real = await probeHost(EVERY_PROBE, process.env);
  // No cgroup2 mount: the runner's subtree guard has nothing to watch, so the test touches no cgroup.
  host = { ...real, cgroup: { ...real.cgroup, v2Mount: undefined }, caps: new Set() };
});

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function book(chapter: string): string {
  const dir = mkdtempSync(join(tmpdir(), "consh-runner-book-"));
  dirs.push(dir);
  mkdirSync(join(dir, "chapters"));
  mkdirSync(join(dir, "snapshots"));
  writeFileSync(join(dir, "chapters", "chapter-01-t.md"), `---\ntitle: T\n---\n\n# T\n\n${chapter}`);
  return dir;
}

async function run(dir: string, start: StartTerminal, extra: Partial<RunOptions> & { mode?: UpdateMode } = {}) {
  const workRoot = mkdtempSync(join(tmpdir(), "consh-runner-work-"));
  dirs.push(workRoot);
  const b = loadBook(dir);
  const events: RunEvent[] = [];
  const report = await runBook({
    book: b,
    plan: planRun(b, b.chapters),
    mode: "new",
    keepGoing: false,
    workRoot,
    host,
    env: process.env,
    onEvent: (e) => events.push(e),
    startTerminal: start,
    ...extra,
  });
  return { report, events, steps: report.chapters[0]!.steps };
}

const steps = "```sh {step=one}\necho one\n```\n\n```sh {step=two}\necho two\n```\n";

describe("runBook", () => {
  it("records new sections, then passes on the same output and reports a mismatch on other output", async () => {
    const dir = book(steps);
    const first = await run(dir, fakes((req) => done(`${req.text.trim().slice(5)}\n`)).start);
    expect(first.steps.map((s) => s.status)).toEqual(["written", "written"]);
    expect(readFileSync(join(dir, "snapshots", "chapter-01.snap"), "utf8")).toContain("one\n");
    expect(first.report.passed).toBe(true);
    expect(existsSync(join(first.report.workDir, ".."))).toBe(false); // the run dir is gone

    const again = await run(dir, fakes((req) => done(`${req.text.trim().slice(5)}\n`)).start, { mode: "none" });
    expect(again.steps.map((s) => s.status)).toEqual(["passed", "passed"]);
    expect(again.report.chapters[0]!.status).toBe("passed");

    const other = await run(dir, fakes(() => done("something else\n")).start, { mode: "none" });
    expect(other.steps.map((s) => s.status)).toEqual(["mismatch"]); // stops at the first failure
    expect(other.steps[0]!.diff).toContain("something else");
    expect(other.report.chapters[0]!.notRun).toEqual(["two"]);
    expect(other.report.passed).toBe(false);
  });

  it("a timeout fails the step, forgets its terminal and stops the run", async () => {
    const f = fakes(() => ({ kind: "timeout", output: "waiting\n", durationMs: 5 }));
    const { steps: s, report } = await run(book(steps), f.start);
    expect(s.map((x) => x.status)).toEqual(["timeout"]);
    expect(s[0]!.reason).toMatch(/^chapter-01 step 'one' \(terminal host, .*chapter-01-t\.md:\d+\) timed out after \d+s; its terminal was killed$/);
    expect(s[0]!.failure).toMatchObject({ outputTail: "waiting", hint: expect.stringMatching(/^raise timeout=/) });
    expect(f.started[0]!.ran).toEqual(["echo one"]);
    expect(report.chapters[0]!.status).toBe("failed");
  });

  it("a step that requires a capability the host lacks is skipped by the host and not run", async () => {
    const f = fakes(() => done("two\n"));
    const { steps: s, report } = await run(book("```sh {step=one requires=root}\necho one\n```\n\n```sh {step=two}\necho two\n```\n"), f.start);
    expect(s.map((x) => [x.status, x.skippedBy])).toEqual([
      ["skipped", "host"],
      ["written", undefined],
    ]);
    expect(s[0]!.reason).toMatch(/^needs root: /);
    expect(f.started[0]!.ran).toEqual(["echo two"]);
    expect(report.chapters[0]!.status).toBe("passed");
  });

  it("a file block that cannot be written stops the run with a located error, and the world is torn down", async () => {
    const dir = book("```sh {step=one}\nmkdir x\n```\n\n```sh {file=x}\nplain\n```\n\n```sh {step=two}\necho two\n```\n");
    // The step makes a directory where the file block then wants a file.
    const f = fakes((_req, _name, cwd) => {
      mkdirSync(join(cwd, "x"));
      return done("");
    });
    const events: RunEvent[] = [];
    const err = await run(dir, f.start, { onEvent: (e) => events.push(e) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnvironmentError);
    expect((err as Error).message).toMatch(/chapter-01-t\.md:\d+: cannot write file=x: /);
    expect(f.started[0]!.ran).toEqual(["mkdir x"]);
    expect(f.started[0]!.killed).toBe(true);
    expect(events.at(-1)?.type).toBe("teardown");
  });

  it("a signal during a step marks it interrupted (not failed), runs nothing more and kills the terminal", async () => {
    const controller = new AbortController();
    const f = fakes(() => {
      controller.abort("SIGTERM");
      return done("one\n");
    });
    const { steps: s, report } = await run(book(steps), f.start, { signal: controller.signal });
    expect(s.map((x) => [x.status, x.reason])).toEqual([["interrupted", "interrupted by SIGTERM"]]);
    expect(report.interrupted).toBe("SIGTERM");
    expect(report.passed).toBe(false);
    expect(f.started[0]!.killed).toBe(true);
    expect(f.started[0]!.ran).toEqual(["echo one"]);
  });
});
