// Runs planned chapters in one world: tangles files, runs steps in their terminals,
// checks exit statuses and snapshots, and always tears the world down at the end.
// The pipeline: plan → terminals → step → compare → record resources → teardown.

import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { PlannedChapter } from "../book/load-book.js";
import { stepsOf, type Book, type Chapter, type Step, type TangleFile } from "../book/model.js";
import { EnvironmentError, UsageError } from "../errors.js";
import { CAPABILITIES, type CapabilityName } from "../book/capability-names.js";
import { discover, discoverPersistent, mayCreateResources, startTimeOf } from "../host/discover.js";
import { Ledger } from "../host/ledger.js";
import type { HostFacts } from "../host/probe.js";
import { escalateKill, tearDown, type TeardownReport } from "../host/teardown.js";
import { replaceRunValues } from "../snapshot/normalize.js";
import { redact } from "../snapshot/redact.js";
import { noticeSubtree, watchSubtree } from "../host/subtree.js";
import { SnapshotState, type UpdateMode } from "../snapshot/state.js";
import { Terminal, type StartTerminal, type StepTerminal } from "../terminal/terminal.js";
import { isFailing, type ChapterResult, type RunEvent, type RunReport, type StepResult } from "../report/results.js";
import { snapshotFileOf } from "../snapshot/snapshot-file.js";
import { baseResult, type StepLocation, stepVerdict } from "./step-result.js";
import { tangle } from "./tangle.js";
import { createWorld, type World } from "./world.js";

export type StepDecision = "run" | "skip" | "quit";

/** What hooks (step mode, --shell) may see of a live run. */
export interface LiveRun {
  world: World;
  terminals: ReadonlyMap<string, StepTerminal>;
}

export interface RunOptions {
  book: Book;
  plan: PlannedChapter[];
  mode: UpdateMode;
  keepGoing: boolean;
  workRoot: string;
  host: HostFacts;
  /** The environment consh-book was started with (the terminals get PATH, HOME and TMPDIR from it). */
  env: NodeJS.ProcessEnv;
  onEvent: (event: RunEvent) => void;
  signal?: AbortSignal;
  /** Asked before each step of a requested (not needed) chapter. */
  beforeStep?: (chapter: Chapter, step: Step) => Promise<StepDecision>;
  /** Called after the last step, before teardown (e.g. to hand over a shell). */
  beforeTeardown?: (live: LiveRun) => Promise<void>;
  /** Starts a terminal; Terminal.start unless a test passes a fake. */
  startTerminal?: StartTerminal;
}

function missingCapability(step: Step, host: HostFacts): CapabilityName | undefined {
  return step.requires.find((c) => !host.caps.has(c as CapabilityName)) as CapabilityName | undefined;
}

/** `promise`, or "quit" as soon as `signal` aborts (a prompt must not hold a signal's teardown back). */
function untilAborted(promise: Promise<StepDecision>, signal: AbortSignal | undefined): Promise<StepDecision> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.resolve("quit");
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve("quit");
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (d) => {
        signal.removeEventListener("abort", onAbort);
        resolve(d);
      },
      (err: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(err);
      },
    );
  });
}

/** One run in progress: its world, ledger, terminals, and whether it must stop. */
interface Run {
  options: RunOptions;
  world: World;
  ledger: Ledger;
  subtree: ReturnType<typeof watchSubtree>;
  terminals: Map<string, StepTerminal>;
  /** Every terminal ever started (a dead one's session may still hold processes). */
  allTerminalPids: number[];
  stop: boolean;
  interrupted: NodeJS.Signals | "quit" | undefined;
}

export async function runBook(options: RunOptions): Promise<RunReport> {
  const { book, plan, mode, host, onEvent } = options;
  ensureSnapshotsDir(book, mode);
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const world = createWorld(host, options.workRoot, options.env);
  const states = await loadSnapshots(plan, book, mode, world);
  const ledger = new Ledger(world.ledgerFile);
  ledger.record([{ kind: "rundir", path: world.runDir }]);
  // Controllers switched on in cgroup2's root by a step (chapter 10's +cpu) are put back at teardown.
  const subtree = watchSubtree(host.cgroup.v2Mount, world.id);
  ledger.record(subtree.shared);
  const run: Run = { options, world, ledger, subtree, terminals: new Map(), allTerminalPids: [], stop: false, interrupted: undefined };
  const chapters: ChapterResult[] = [];

  const onAbort = () => {
    run.interrupted = (options.signal?.reason as NodeJS.Signals | undefined) ?? "SIGINT";
    run.stop = true;
    void (async () => {
      for (const t of [...run.terminals.values()].reverse()) await t.kill();
    })();
  };
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  onEvent({ type: "run-start", runId: world.id, workDir: world.workDir, caps: [...host.caps] });
  let teardown: TeardownReport | undefined;
  try {
    for (const planned of plan) chapters.push(await runChapter(run, planned, states.get(planned.chapter.id)!));
    if (!run.interrupted && options.beforeTeardown) await options.beforeTeardown({ world, terminals: run.terminals });
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    teardown = await tearDownRun(run);
  }
  return {
    runId: world.id,
    workDir: world.workDir,
    startedAt,
    durationMs: Math.round(performance.now() - started),
    chapters,
    passed: !run.interrupted && chapters.every((c) => c.status === "passed"),
    interrupted: run.interrupted,
    teardown,
    maxRssKb: process.resourceUsage().maxRSS,
  };
}

function ensureSnapshotsDir(book: Book, mode: UpdateMode): void {
  const snapshotsDir = join(book.dir, "snapshots");
  if (existsSync(snapshotsDir)) return;
  if (mode !== "all") {
    throw new UsageError(`${book.dir} has no snapshots/ directory`, "create it (mkdir snapshots) or run once with --update to record every chapter");
  }
  mkdirSync(snapshotsDir);
}

/** Loads every snapshot first, so a broken one stops the run before anything runs (and leaves nothing behind). */
async function loadSnapshots(plan: PlannedChapter[], book: Book, mode: UpdateMode, world: World): Promise<Map<string, SnapshotState>> {
  try {
    return new Map(plan.map(({ chapter }) => [chapter.id, SnapshotState.load(snapshotFileOf(book, chapter), chapter, mode, world.values)]));
  } catch (err) {
    await tearDown(world, { removeRunDir: true });
    throw err;
  }
}

/** The live terminal called `name`, started (and put in the ledger) if there is none. */
function terminalFor(run: Run, name: string): StepTerminal {
  let t = run.terminals.get(name);
  if (!t?.alive) {
    const start = run.options.startTerminal ?? Terminal.start;
    t = start({ name, cwd: run.world.workDir, env: run.world.env, shell: run.world.shell, escalate: escalateKill });
    run.terminals.set(name, t);
    run.allTerminalPids.push(t.pid);
    run.ledger.record([{ kind: "terminal", name, pid: t.pid, start: startTimeOf(t.pid) ?? "" }]);
  }
  return t;
}

async function runChapter(run: Run, { chapter, needed }: PlannedChapter, state: SnapshotState): Promise<ChapterResult> {
  const { options, world } = run;
  const result: ChapterResult = {
    id: chapter.id,
    title: chapter.title,
    file: chapter.file,
    needed,
    status: "not-run",
    steps: [],
    obsolete: state.obsolete(),
    obsoleteFails: options.mode === "none" && state.obsolete().length > 0,
    snapshotFile: state.file,
    snapshotSaved: false,
    durationMs: 0,
    stepsTotal: stepsOf(chapter).length,
    notRun: stepsOf(chapter).map((st) => st.id),
  };
  if (run.stop) return result;
  const chapterStarted = performance.now();
  options.onEvent({ type: "chapter-start", chapter, needed });
  for (const block of chapter.blocks) {
    if (run.stop) break;
    if (block.kind === "file") {
      tangleBlock(world, chapter, block);
      continue;
    }
    if (block.kind !== "step") continue; // a step's check or question runs with its step
    const r = await runStep(run, chapter, block, needed, state);
    if (r === "break") break;
    result.steps.push(r);
    options.onEvent({ type: "step-end", chapter, step: block, result: r });
    if (isFailing(r.status) && !options.keepGoing) run.stop = true;
  }
  result.snapshotSaved = state.save();
  const failed = result.steps.some((s) => isFailing(s.status)) || result.obsoleteFails;
  const ran = new Set(result.steps.filter((s) => s.skippedBy !== "learner").map((s) => s.id));
  result.notRun = stepsOf(chapter).flatMap((st) => (ran.has(st.id) ? [] : [st.id]));
  result.status = failed ? "failed" : result.notRun.length > 0 ? "incomplete" : "passed";
  result.durationMs = Math.round(performance.now() - chapterStarted);
  options.onEvent({ type: "chapter-end", chapter, result });
  run.ledger.record([...discover(world), ...(await noticeSubtree(run.subtree.watch))]);
  return result;
}

function tangleBlock(world: World, chapter: Chapter, block: TangleFile): void {
  try {
    tangle(world.workDir, block);
  } catch (err) {
    throw new EnvironmentError(`${chapter.file}:${block.line}: cannot write file=${block.path}: ${(err as Error).message}`, {
      cause: err,
      hint: "a step before it may have made something else at that path",
    });
  }
}

/** Asks (step mode), skips, or runs one step and compares it; "break" when the chapter must end here (quit, signal). */
async function runStep(run: Run, chapter: Chapter, step: Step, needed: boolean, state: SnapshotState): Promise<StepResult | "break"> {
  const { options, world } = run;
  const missing = missingCapability(step, options.host);
  let decision: StepDecision = "run";
  if (!missing && !needed && options.beforeStep) decision = await untilAborted(options.beforeStep(chapter, step), options.signal);
  if (options.signal?.aborted) return "break"; // a signal while the learner was asked: interrupted, not quit
  if (decision === "quit") {
    run.stop = true;
    run.interrupted = "quit";
    return "break";
  }
  if (missing || decision === "skip") {
    const reason = missing ? `needs ${missing}: ${CAPABILITIES[missing]}` : "skipped by you";
    return { ...baseResult(step), status: "skipped", reason, skippedBy: missing ? "host" : "learner" };
  }
  options.onEvent({ type: "step-start", chapter, step });
  const outcome = await terminalFor(run, step.terminal).run({ text: step.text, timeoutMs: step.timeoutSeconds * 1000, background: step.background });
  // Redactions run where they can be stopped, within what is left of the step's time (at least a second).
  const budget = Math.max(step.timeoutSeconds * 1000 - outcome.durationMs, 1000);
  const redacted = await redact(replaceRunValues(outcome.output, world.values), step.redactions, budget, options.signal);
  const output = redacted.kind === "done" ? redacted.text : replaceRunValues(outcome.output, world.values);
  const loc: StepLocation = { chapter: chapter.id, step: step.id, terminal: step.terminal, file: chapter.file, line: step.line };
  const aborted = options.signal?.aborted ? { by: run.interrupted } : undefined;
  const verdict = stepVerdict({ step, loc, outcome, redacted, output, aborted, state });
  if (verdict.terminalGone) run.terminals.delete(step.terminal);
  if (verdict.stop) run.stop = true;
  // Record at once what the step may have made, so `clean` finds it even if the runner is killed.
  if (mayCreateResources(step.text)) run.ledger.record([...discoverPersistent(world), ...(await noticeSubtree(run.subtree.watch))]);
  return verdict.result;
}

/** Kills the terminals (newest first) and removes everything the run made. */
async function tearDownRun(run: Run): Promise<TeardownReport> {
  const pids: number[] = [];
  const sessions = [...run.allTerminalPids];
  // Newest first: a later terminal may live inside an earlier one's container
  // (chapter 12's inner terminal); killing the outer container first would
  // orphan the inner one's processes to the host's init.
  for (const t of [...run.terminals.values()].reverse()) pids.push(t.pid, ...(await t.kill()));
  run.ledger.record(await noticeSubtree(run.subtree.watch));
  const teardown = await tearDown(run.world, { pids, sessions, removeRunDir: true });
  run.options.onEvent({ type: "teardown", report: teardown });
  return teardown;
}
