// Runs planned chapters in one world: tangles files, runs steps in their terminals,
// checks exit statuses and snapshots, and always tears the world down at the end.

import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { PlannedChapter } from "../book/load-book.js";
import { stepsOf, type Book, type Chapter, type Step } from "../book/model.js";
import { EnvironmentError, StepFailedError, StepTimeoutError, TerminalExitedError, SnapshotMismatchError, UsageError, type StepLocation } from "../errors.js";
import { CAPABILITIES, type CapabilityName } from "../book/capability-names.js";
import { discover, discoverPersistent, mayCreateResources, startTimeOf } from "../host/discover.js";
import { Ledger } from "../host/ledger.js";
import type { HostFacts } from "../host/probe.js";
import { escalateKill, tearDown, type TeardownReport } from "../host/teardown.js";
import { STDIN_CONSUMED } from "../report/hints.js";
import { replaceRunValues } from "../snapshot/normalize.js";
import { redact } from "../snapshot/redact.js";
import { noticeSubtree, watchSubtree } from "../host/subtree.js";
import { SnapshotState, type UpdateMode } from "../snapshot/state.js";
import { Terminal } from "../terminal/terminal.js";
import { isFailing, type ChapterResult, type RunEvent, type RunReport, type StepResult } from "../report/results.js";
import { snapshotFileOf } from "../snapshot/snapshot-file.js";
import { tangle } from "./tangle.js";
import { createWorld, type World } from "./world.js";

export type StepDecision = "run" | "skip" | "quit";

/** What hooks (step mode, --shell) may see of a live run. */
export interface LiveRun {
  world: World;
  terminals: ReadonlyMap<string, Terminal>;
}

export interface RunOptions {
  book: Book;
  plan: PlannedChapter[];
  mode: UpdateMode;
  keepGoing: boolean;
  workRoot: string;
  host: HostFacts;
  onEvent: (event: RunEvent) => void;
  signal?: AbortSignal;
  /** Asked before each step of a requested (not needed) chapter. */
  beforeStep?: (chapter: Chapter, step: Step) => Promise<StepDecision>;
  /** Called after the last step, before teardown (e.g. to hand over a shell). */
  beforeTeardown?: (live: LiveRun) => Promise<void>;
}

const TAIL_LINES = 15;

function tail(text: string): string {
  const lines = text.replace(/\n$/, "").split("\n");
  return lines.slice(-TAIL_LINES).join("\n");
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

export async function runBook(options: RunOptions): Promise<RunReport> {
  const { book, plan, mode, host, onEvent } = options;
  const snapshotsDir = join(book.dir, "snapshots");
  if (!existsSync(snapshotsDir)) {
    if (mode !== "all") {
      throw new UsageError(`${book.dir} has no snapshots/ directory`, "create it (mkdir snapshots) or run once with --update to record every chapter");
    }
    mkdirSync(snapshotsDir);
  }
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const world = createWorld(host, options.workRoot);
  // Load every snapshot first, so a broken one stops the run before anything runs.
  let states: Map<string, SnapshotState>;
  try {
    states = new Map(plan.map(({ chapter }) => [chapter.id, SnapshotState.load(snapshotFileOf(book, chapter), chapter, mode, world.values)]));
  } catch (err) {
    await tearDown(world, { removeRunDir: true });
    throw err;
  }
  const ledger = new Ledger(world.ledgerFile);
  ledger.record([{ kind: "rundir", path: world.runDir }]);
  // Controllers switched on in cgroup2's root by a step (chapter 10's +cpu) are put back at teardown.
  const subtree = watchSubtree(host.cgroup.v2Mount);
  ledger.record(subtree.shared);
  const terminals = new Map<string, Terminal>();
  /** Every terminal ever started (a dead one's session may still hold processes). */
  const allTerminalPids: number[] = [];
  const chapters: ChapterResult[] = [];
  let stop = false;
  let interrupted: NodeJS.Signals | "quit" | undefined;

  const onAbort = () => {
    interrupted = (options.signal?.reason as NodeJS.Signals | undefined) ?? "SIGINT";
    stop = true;
    void (async () => {
      for (const t of [...terminals.values()].reverse()) await t.kill();
    })();
  };
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  const terminalFor = (name: string): Terminal => {
    let t = terminals.get(name);
    if (!t?.alive) {
      t = Terminal.start({ name, cwd: world.workDir, env: world.env, shell: world.shell, escalate: escalateKill });
      terminals.set(name, t);
      allTerminalPids.push(t.pid);
      ledger.record([{ kind: "terminal", name, pid: t.pid, start: startTimeOf(t.pid) ?? "" }]);
    }
    return t;
  };

  onEvent({ type: "run-start", runId: world.id, workDir: world.workDir, caps: [...host.caps] });
  let teardown: TeardownReport | undefined;
  try {
    for (const { chapter, needed } of plan) {
      const state = states.get(chapter.id)!;
      const result: ChapterResult = {
        id: chapter.id,
        title: chapter.title,
        file: chapter.file,
        needed,
        status: "not-run",
        steps: [],
        obsolete: state.obsolete(),
        obsoleteFails: mode === "none" && state.obsolete().length > 0,
        snapshotFile: state.file,
        snapshotSaved: false,
        durationMs: 0,
        stepsTotal: stepsOf(chapter).length,
        notRun: stepsOf(chapter).map((st) => st.id),
      };
      if (stop) {
        chapters.push(result);
        continue;
      }
      const chapterStarted = performance.now();
      onEvent({ type: "chapter-start", chapter, needed });
      for (const block of chapter.blocks) {
        if (stop) break;
        if (block.kind === "file") {
          try {
            tangle(world.workDir, block);
          } catch (err) {
            throw new EnvironmentError(`${chapter.file}:${block.line}: cannot write file=${block.path}: ${(err as Error).message}`, {
              cause: err,
              hint: "a step before it may have made something else at that path",
            });
          }
          continue;
        }
        const step = block;
        const loc: StepLocation = { chapter: chapter.id, step: step.id, terminal: step.terminal, file: chapter.file, line: step.line };
        const base = {
          id: step.id,
          terminal: step.terminal,
          line: step.line,
          expectedExit: step.exit,
          exitCode: undefined,
          output: "",
          diff: undefined,
          reason: undefined,
          error: undefined,
          durationMs: 0,
        };
        const missing = missingCapability(step, host);
        let decision: StepDecision = "run";
        if (!missing && !needed && options.beforeStep) decision = await untilAborted(options.beforeStep(chapter, step), options.signal);
        if (options.signal?.aborted) break; // a signal while the learner was asked: interrupted, not quit
        if (decision === "quit") {
          stop = true;
          interrupted = "quit";
          break;
        }
        if (missing || decision === "skip") {
          const reason = missing ? `needs ${missing}: ${CAPABILITIES[missing]}` : "skipped by you";
          const r: StepResult = { ...base, status: "skipped", reason, skippedBy: missing ? "host" : "learner" };
          result.steps.push(r);
          onEvent({ type: "step-end", chapter, step, result: r });
          continue;
        }
        onEvent({ type: "step-start", chapter, step });
        const outcome = await terminalFor(step.terminal).run({ text: step.text, timeoutMs: step.timeoutSeconds * 1000, background: step.background });
        // Redactions run where they can be stopped, within what is left of the step's time (at least a second).
        const budget = Math.max(step.timeoutSeconds * 1000 - outcome.durationMs, 1000);
        const redacted = await redact(replaceRunValues(outcome.output, world.values), step.redactions, budget, options.signal);
        const output = redacted.kind === "done" ? redacted.text : replaceRunValues(outcome.output, world.values);
        let r: StepResult;
        if (options.signal?.aborted || redacted.kind === "aborted") {
          r = { ...base, status: "failed", output, durationMs: outcome.durationMs, reason: `interrupted by ${interrupted ?? "a signal"}` };
        } else if (outcome.kind === "timeout") {
          const error = new StepTimeoutError(loc, step.timeoutSeconds, tail(output));
          r = { ...base, status: "timeout", output, durationMs: outcome.durationMs, reason: error.message, error };
          terminals.delete(step.terminal);
          stop = true;
        } else if (redacted.kind === "too-slow") {
          const error = new StepFailedError(
            loc,
            `has a redact=${redacted.redaction.name}:${redacted.redaction.pattern.source} that did not finish within ${(redacted.ms / 1000).toFixed(1)}s on its output; it was stopped`,
            tail(output),
            "the pattern backtracks without end on this output (nested repetition such as (a+)+ or (.*)*): rewrite it so each character can be matched only one way",
          );
          r = {
            ...base,
            status: "failed",
            exitCode: outcome.kind === "done" ? outcome.status : undefined,
            output,
            durationMs: outcome.durationMs,
            reason: error.message,
            error,
          };
        } else if (outcome.kind === "consumed-input") {
          const error = new StepFailedError(loc, "read its terminal's standard input; its terminal was killed", tail(output), STDIN_CONSUMED);
          r = { ...base, status: "failed", output, durationMs: outcome.durationMs, reason: `${error.message}: ${STDIN_CONSUMED}`, error };
          terminals.delete(step.terminal);
          stop = true;
        } else if (outcome.kind === "exited") {
          const error = new TerminalExitedError(loc, outcome.status, tail(output));
          r = { ...base, status: "failed", output, durationMs: outcome.durationMs, reason: error.message, error };
          terminals.delete(step.terminal);
        } else if (step.background) {
          r = { ...base, status: "started", exitCode: outcome.status, durationMs: outcome.durationMs };
        } else if (step.exit !== "any" && outcome.status !== step.exit) {
          const error = new StepFailedError(
            loc,
            `exited with status ${outcome.status}, expected ${step.exit}`,
            tail(output),
            "see the output above; if the status is meant, declare it with exit=N",
          );
          r = { ...base, status: "failed", exitCode: outcome.status, output, durationMs: outcome.durationMs, reason: error.message, error };
        } else {
          const verdict = state.check(step, output, outcome.status);
          const common = { ...base, exitCode: outcome.status, output, durationMs: outcome.durationMs };
          if (verdict.kind === "mismatch") {
            const error = new SnapshotMismatchError(loc, state.file, verdict.diff);
            r = { ...common, status: "mismatch", diff: verdict.diff, reason: error.message, error };
          } else if (verdict.kind === "missing") {
            const error = new SnapshotMismatchError(loc, state.file, "");
            r = {
              ...common,
              status: "mismatch",
              reason: `no section for step '${step.id}' in ${state.file} (CI never records; run locally to record it)`,
              error,
            };
          } else {
            r = {
              ...common,
              status: verdict.kind,
              diff: verdict.kind === "updated" ? verdict.diff : undefined,
              reason: verdict.kind === "passed" ? undefined : verdict.note,
            };
          }
        }
        // Record at once what the step may have made, so `clean` finds it even if the runner is killed.
        if (mayCreateResources(step.text)) ledger.record([...discoverPersistent(world), ...(await noticeSubtree(subtree.watch))]);
        result.steps.push(r);
        onEvent({ type: "step-end", chapter, step, result: r });
        if (isFailing(r.status) && !options.keepGoing) stop = true;
      }
      result.snapshotSaved = state.save();
      const failed = result.steps.some((s) => isFailing(s.status)) || result.obsoleteFails;
      const ran = new Set(result.steps.filter((s) => s.skippedBy !== "learner").map((s) => s.id));
      result.notRun = stepsOf(chapter).flatMap((st) => (ran.has(st.id) ? [] : [st.id]));
      result.status = failed ? "failed" : result.notRun.length > 0 ? "incomplete" : "passed";
      result.durationMs = Math.round(performance.now() - chapterStarted);
      chapters.push(result);
      onEvent({ type: "chapter-end", chapter, result });
      ledger.record([...discover(world), ...(await noticeSubtree(subtree.watch))]);
    }
    if (!interrupted && options.beforeTeardown) await options.beforeTeardown({ world, terminals });
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    const pids: number[] = [];
    const sessions = [...allTerminalPids];
    // Newest first: a later terminal may live inside an earlier one's container
    // (chapter 12's inner terminal); killing the outer container first would
    // orphan the inner one's processes to the host's init.
    for (const t of [...terminals.values()].reverse()) pids.push(t.pid, ...(await t.kill()));
    ledger.record(await noticeSubtree(subtree.watch));
    teardown = await tearDown(world, { pids, sessions, removeRunDir: true });
    onEvent({ type: "teardown", report: teardown });
  }
  const passed = !interrupted && chapters.every((c) => c.status === "passed");
  const report: RunReport = {
    runId: world.id,
    workDir: world.workDir,
    startedAt,
    durationMs: Math.round(performance.now() - started),
    chapters,
    passed,
    interrupted,
    teardown,
    maxRssKb: process.resourceUsage().maxRSS,
  };
  return report;
}
