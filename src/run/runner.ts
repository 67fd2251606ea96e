// Runs planned chapters in one world: tangles files, runs steps in their terminals
// (step.ts), and always tears the world down at the end.
// The pipeline: plan → terminals → step → compare and check → record resources → teardown.

import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Book, type Chapter, stepsOf, type TangleFile } from "../book/model.js";
import type { PlannedChapter } from "../book/plan.js";
import { EnvironmentError, UsageError } from "../errors.js";
import { discover } from "../host/discover.js";
import { Ledger } from "../host/ledger.js";
import { noticeSubtree, watchSubtree } from "../host/subtree.js";
import { type TeardownReport, tearDown } from "../host/teardown.js";
import { type ChapterResult, isFailing, type RunReport } from "../report/results.js";
import { snapshotFileOf } from "../snapshot/snapshot-file.js";
import { stdinReader } from "../terminal/process-tree.js";
import { SnapshotState, type UpdateMode } from "../snapshot/state.js";
import { Checker, CHECKER } from "./checker.js";
import { liveRun, type Run, type RunOptions, startTerminal } from "./run-state.js";
import { runStep } from "./step.js";
import { tangle } from "./tangle.js";
import { createWorld, type World } from "./world.js";

export type { LiveRun, RunOptions, StepDecision } from "./run-state.js";

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
  const run: Run = {
    options,
    world,
    ledger,
    subtree,
    terminals: new Map(),
    checker: new Checker(
      () => startTerminal(run, CHECKER),
      () => new Map([...run.terminals].filter(([, t]) => t.alive).map(([name, t]) => [name, stdinReader(t.pid)])),
    ),
    allTerminalPids: [],
    stop: false,
    interrupted: undefined,
  };
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
    if (!run.interrupted && options.beforeTeardown) await options.beforeTeardown(liveRun(run));
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

/** passed: every step ran and matched; failed: a step failed; incomplete: the learner skipped or quit, or the run was stopped. */
function chapterStatus(chapter: Chapter, result: ChapterResult): ChapterResult["status"] {
  const failed = result.steps.some((s) => isFailing(s.status)) || result.obsoleteFails;
  const ran = new Set(result.steps.filter((s) => s.skippedBy !== "learner" && s.status !== "interrupted").map((s) => s.id));
  result.notRun = stepsOf(chapter).flatMap((st) => (ran.has(st.id) ? [] : [st.id]));
  return failed ? "failed" : result.notRun.length > 0 ? "incomplete" : "passed";
}

function newChapterResult(run: Run, { chapter, needed }: PlannedChapter, state: SnapshotState): ChapterResult {
  return {
    id: chapter.id,
    title: chapter.title,
    file: chapter.file,
    needed,
    status: "not-run",
    steps: [],
    obsolete: state.obsolete(),
    obsoleteFails: run.options.mode === "none" && state.obsolete().length > 0,
    snapshotFile: state.file,
    snapshotSaved: false,
    durationMs: 0,
    stepsTotal: stepsOf(chapter).length,
    notRun: stepsOf(chapter).map((st) => st.id),
  };
}

async function runChapter(run: Run, planned: PlannedChapter, state: SnapshotState): Promise<ChapterResult> {
  const { options, world } = run;
  const { chapter, needed } = planned;
  const result = newChapterResult(run, planned, state);
  if (run.stop) return result;
  const chapterStarted = performance.now();
  options.onEvent({ type: "chapter-start", chapter, needed });
  let ended = false;
  for (const block of chapter.blocks) {
    if (run.stop) break;
    if (block.kind === "file") tangleBlock(world, chapter, block);
    if (block.kind !== "step") continue; // a step's check or question runs with its step
    const r = await runStep(run, chapter, block, needed, state);
    if (r === "break") break;
    result.steps.push(r.result);
    options.onEvent({ type: "step-end", chapter, step: block, result: r.result, shown: r.shown });
    if (isFailing(r.result.status) && !options.keepGoing) run.stop = true;
    if (r.result.status === "interrupted") run.stop = true;
  }
  ended = !run.stop;
  result.snapshotSaved = state.save();
  result.status = chapterStatus(chapter, result);
  result.durationMs = Math.round(performance.now() - chapterStarted);
  if (ended && !needed && options.afterChapter) await options.afterChapter(chapter, liveRun(run));
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

/** Kills the terminals (newest first, the checker last) and removes everything the run made. */
async function tearDownRun(run: Run): Promise<TeardownReport> {
  const pids: number[] = [];
  const sessions = [...run.allTerminalPids];
  // Newest first: a later terminal may live inside an earlier one's container
  // (chapter 12's inner terminal); killing the outer container first would
  // orphan the inner one's processes to the host's init.
  const terminals = [...run.terminals.values()].reverse();
  if (run.checker.started) terminals.push(run.checker.started);
  for (const t of terminals) pids.push(t.pid, ...(await t.kill()));
  run.ledger.record(await noticeSubtree(run.subtree.watch));
  const teardown = await tearDown(run.world, { pids, sessions, removeRunDir: true });
  run.options.onEvent({ type: "teardown", report: teardown });
  return teardown;
}
