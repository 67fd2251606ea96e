// A learner at the keyboard, played by a test: in a practice session (tmux), it
// types each step's command as keystrokes, line by line (a multi-line command
// through the continuation prompt), adds `&` to a step the book runs in the
// background, answers a question with what the live system printed, and waits
// for the book to say the step is verified. Long prose is paged: it goes on.
import type { Chapter, Step } from "../../src/book/model.js";
import type { Pane } from "./tmux.js";

const TAIL = 400;

/** The last non-empty line of a screen. */
function lastLine(screen: string): string {
  const lines = screen.replace(/\s+$/, "").split("\n");
  return (lines[lines.length - 1] ?? "").trimEnd();
}

/** Waits until `done(tail)` holds, going on through pages of long prose. */
export async function settle(pane: Pane, done: (tail: string) => boolean, timeoutMs = 60_000, what = "the screen"): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const tail = pane.screen(TAIL);
    if (done(tail)) return tail;
    if (lastLine(tail).startsWith("-- more")) pane.send("Enter");
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${tail.split("\n").slice(-60).join("\n")}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const box = (chapter: Chapter, step: Step) =>
  `┌ step ${step.id} · terminal ${step.terminal}${step.background ? " · in the background" : ""} · ${chapter.id} · type it yourself`;
const tick = (step: Step) => new RegExp(`✓ ${step.id} \\(${step.terminal}\\) .*typed by you`);

/** The screen from the step's box on (the latest one). */
function sinceBox(tail: string, chapter: Chapter, step: Step): string | undefined {
  const at = tail.lastIndexOf(box(chapter, step));
  return at < 0 ? undefined : tail.slice(at);
}

/** Whether the step's prompt waits for a command now (main or continuation). */
const prompting = (tail: string, step: Step) => {
  const last = lastLine(tail);
  return last === `${step.terminal} $` || last === ">";
};

/** Whether the book skipped the step on this host (it said so after the step's box). */
function skippedHere(tail: string, chapter: Chapter, step: Step): boolean {
  return tail.includes(`┌ step ${step.id} · terminal ${step.terminal}${step.background ? " · in the background" : ""} · ${chapter.id} · skipped on this host`);
}

export interface Learner {
  /** How the learner answers the step's question, from what the screen shows since its box. */
  answers: Record<string, (screen: string) => string>;
}

/** Waits for the step's prompt (or that the host skips it); "skipped" or "ready". */
export async function reach(pane: Pane, chapter: Chapter, step: Step): Promise<"skipped" | "ready"> {
  const tail = await settle(
    pane,
    (t) => skippedHere(t, chapter, step) || (sinceBox(t, chapter, step) !== undefined && prompting(t, step)),
    60_000,
    `${chapter.id} ${step.id}`,
  );
  return skippedHere(tail, chapter, step) && sinceBox(tail, chapter, step) === undefined ? "skipped" : "ready";
}

/** Types one command line (or `:` command) at the step's prompt and waits for the prompt again, or the step's ✓. */
export async function typeLine(pane: Pane, chapter: Chapter, step: Step, line: string): Promise<"verified" | "prompt"> {
  pane.type(line);
  // The prompt must show what was typed before Enter: otherwise the prompt seen below could be the old one.
  await settle(pane, (t) => lastLine(t).endsWith(line.trimEnd()), 10_000, `'${line}' on the prompt line`);
  pane.send("Enter");
  const tail = await settle(
    pane,
    (t) => {
      const since = sinceBox(t, chapter, step) ?? "";
      return tick(step).test(since) || (prompting(t, step) && !lastLine(t).endsWith(line.trimEnd()));
    },
    90_000,
    `the end of '${line}' (${chapter.id} ${step.id})`,
  );
  return tick(step).test(sinceBox(tail, chapter, step) ?? "") ? "verified" : "prompt";
}

/** The lines a learner types for a step: its command's, `&` added for a background step. */
function linesOf(step: Step): string[] {
  const lines = step.text.replace(/\n$/, "").split("\n");
  const last = lines[lines.length - 1]!;
  if (step.background && !/&\s*$/.test(last)) lines[lines.length - 1] = `${last} &`;
  return lines;
}

/** Practises one step as a learner: types its command, answers its question; throws unless the book verifies it. */
export async function practiseStep(pane: Pane, chapter: Chapter, step: Step, learner: Learner): Promise<"skipped" | "typed"> {
  if ((await reach(pane, chapter, step)) === "skipped") return "skipped";
  for (const line of linesOf(step)) {
    if (line.trim() === "") continue;
    if ((await typeLine(pane, chapter, step, line)) === "verified") return "typed";
  }
  if (step.question) {
    const answer = learner.answers[`${chapter.id}/${step.id}`];
    if (!answer) throw new Error(`no way to answer the question of ${chapter.id} ${step.id}`);
    const screen = sinceBox(pane.screen(TAIL), chapter, step) ?? "";
    if ((await typeLine(pane, chapter, step, `:answer ${answer(screen)}`)) === "verified") return "typed";
  }
  const tail = await settle(pane, (t) => tick(step).test(sinceBox(t, chapter, step) ?? ""), 15_000, `the ✓ of ${chapter.id} ${step.id}`);
  return tick(step).test(tail) ? "typed" : "skipped";
}
