// The learner's side of a run: step mode, practice and the shells they may
// open, wired to the runner's hooks. Made only when the learner is at the
// keyboard (run --step, practice).

import type { Book, Chapter, Step } from "../book/model.js";
import { type Figure, readFigures } from "../html/figures.js";
import { renderGlossary } from "../prose/glossary.js";
import type { RunEvent } from "../report/results.js";
import type { RunOptions } from "../run/runner.js";
import type { Section } from "../snapshot/format.js";
import type { Colors } from "../util/colors.js";
import type { Io } from "../util/io.js";
import { LineReader } from "./line-reader.js";
import { Practice } from "./practice.js";
import { Screen } from "./screen.js";
import { shellHandOver, type SignalGuard } from "./shell.js";
import { StepMode } from "./step-mode.js";

/** The book's figures, or none when its figures.json is broken (`html` reports that; a learner's run goes on). */
function figuresOf(book: Book): Figure[] {
  try {
    return readFigures(book.dir);
  } catch {
    return [];
  }
}

interface Interactive {
  hooks: Pick<RunOptions, "beforeStep" | "onHostSkip" | "afterChapter">;
  /** Sees the run's events (which step ran, with what output). */
  handle(event: RunEvent): void;
  close(): void;
}

/** `practising`: every step of the requested chapters is typed by the learner; otherwise step mode. `stop`: the run is stopped as by that signal (Ctrl-C at a prompt, a terminal gone). */
export function interactive(
  io: Io,
  colors: Colors,
  width: number,
  book: Book,
  guard: SignalGuard,
  practising: boolean,
  stop: (signal: NodeJS.Signals) => void,
): Interactive {
  const screen = new Screen(io, colors, width, figuresOf(book));
  const lines = new LineReader(process.stdin, process.stdout, { interrupt: () => stop("SIGINT"), hangUp: () => stop("SIGHUP") });
  const glossary = (term: string) =>
    renderGlossary(book, width, colors, term || undefined) ??
    colors.dim(term ? `  '${term}' is not in the glossary (consh-book glossary lists every term)\n` : "  this book has no glossary\n");
  const practice = new Practice(io, screen, lines, guard, glossary);
  const openShell = async (ctx: { step: Step; live: Parameters<ReturnType<typeof shellHandOver>>[0] }) => {
    await shellHandOver(ctx.step.terminal, io, colors, guard, { start: true, afterwards: "back to the step" })(ctx.live);
  };
  const mode = new StepMode(io, screen, lines, practice, openShell, practising, glossary);
  return {
    hooks: {
      beforeStep: (ctx) => mode.before(ctx),
      onHostSkip: (chapter: Chapter, step: Step, reason: string, recorded: Section | undefined) => mode.hostSkip(chapter, step, reason, recorded),
      afterChapter: async (chapter: Chapter) => mode.closing(chapter),
    },
    handle(e) {
      if (e.type === "step-end" && e.result.status !== "skipped") mode.ran(e.chapter, e.step, e.shown?.raw);
    },
    close: () => lines.close(),
  };
}
