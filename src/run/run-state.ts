// One run in progress, as the runner and its step code share it: its world,
// ledger, terminals (and the hidden checker), and whether it must stop.

import type { Book, Chapter, Step } from "../book/model.js";
import type { PlannedChapter } from "../book/plan.js";
import { discoverPersistent, mayCreateResources, startTimeOf } from "../host/discover.js";
import type { Ledger } from "../host/ledger.js";
import type { HostFacts } from "../host/probe.js";
import { noticeSubtree, type watchSubtree } from "../host/subtree.js";
import { escalateKill } from "../host/teardown.js";
import type { RunEvent } from "../report/results.js";
import type { Section } from "../snapshot/format.js";
import type { UpdateMode } from "../snapshot/state.js";
import { Terminal, type StartTerminal, type StepTerminal } from "../terminal/terminal.js";
import type { Checker } from "./checker.js";
import type { LiveRun } from "./live.js";
import type { StepContext, StepRunHandle } from "./step-context.js";
import type { World } from "./world.js";

/** "typed": the learner typed the step in practice and it was verified (the context holds what they typed). */
export type StepDecision = "run" | "skip" | "quit" | "typed";

export type { LiveRun };

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
  /** Asked before each step of a requested (not needed) chapter: run it, skip it, quit, or let the learner type it. */
  beforeStep?: (ctx: StepContext) => Promise<StepDecision>;
  /** Told of each step of a requested chapter that this host skips (it lacks a capability the step requires). */
  onHostSkip?: (chapter: Chapter, step: Step, reason: string, recorded: Section | undefined) => Promise<void>;
  /** After the last step of a requested chapter that ran to its end (e.g. to show its closing prose). */
  afterChapter?: (chapter: Chapter, live: LiveRun) => Promise<void>;
  /** Called after the last step, before teardown (e.g. to hand over a shell). */
  beforeTeardown?: (live: LiveRun) => Promise<void>;
  /** Starts a terminal; Terminal.start unless a test passes a fake. */
  startTerminal?: StartTerminal;
}

export interface Run {
  options: RunOptions;
  world: World;
  ledger: Ledger;
  subtree: ReturnType<typeof watchSubtree>;
  terminals: Map<string, StepTerminal>;
  checker: Checker;
  /** Every terminal ever started (a dead one's session may still hold processes). */
  allTerminalPids: number[];
  stop: boolean;
  interrupted: NodeJS.Signals | "quit" | undefined;
}

/** Starts a terminal of the run and records it in the ledger (so `clean` finds it if the runner dies). */
export function startTerminal(run: Run, name: string): StepTerminal {
  const start = run.options.startTerminal ?? Terminal.start;
  const t = start({ name, cwd: run.world.workDir, env: run.world.env, shell: run.world.shell, escalate: escalateKill });
  run.allTerminalPids.push(t.pid);
  run.ledger.record([{ kind: "terminal", name, pid: t.pid, start: startTimeOf(t.pid) ?? "" }]);
  return t;
}

/** The live terminal called `name`, started (and put in the ledger) if there is none. */
export function terminalFor(run: Run, name: string): StepTerminal {
  let t = run.terminals.get(name);
  if (!t?.alive) {
    t = startTerminal(run, name);
    run.terminals.set(name, t);
  }
  return t;
}

export function liveRun(run: Run): LiveRun {
  return { world: run.world, terminals: run.terminals, terminal: (name) => terminalFor(run, name) };
}

/** What a step's context (practice) may do with the run. */
export function stepHandle(run: Run): StepRunHandle {
  return {
    live: liveRun(run),
    forget: (name) => run.terminals.delete(name),
    record: (text) => recordResources(run, text),
    checker: run.checker,
    values: run.world.values,
    signal: run.options.signal,
  };
}

/** Records at once what a step may have made, so `clean` finds it even if the runner is killed. */
export async function recordResources(run: Run, text: string): Promise<void> {
  if (mayCreateResources(text)) run.ledger.record([...discoverPersistent(run.world), ...(await noticeSubtree(run.subtree.watch))]);
}
