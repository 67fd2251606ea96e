// A learner practising one chapter in a real pseudo-terminal (tmux), for the
// host matrix: the same driver as test/cli/practice.test.ts, bundled into one
// script (build-practice.mjs) that a guest runs as its learner:
//   node practice-chapter.mjs BOOK_DIR CONSH_BOOK_JS CHAPTER > result.json
// It prints {"exit": N, "typed": N, "skipped": N, "total": N} and the screen's
// last lines when something went wrong.
import { loadBook } from "../../src/book/load-book.js";
import { stepsOf } from "../../src/book/model.js";
import { type Learner, practiseStep } from "../cli/practice-driver.js";
import { openPane } from "../cli/tmux.js";

const learner: Learner = {
  answers: {
    "chapter-07/outside": (s) => /^(\d+) \d+ busybox sh$/m.exec(s)![1]!,
    "chapter-08/uid-map": (s) => /^0 (\d+) 1$/m.exec(s)![1]!,
    "chapter-12/three-pids": (s) => /^inner sleep\s*\|\s*\d+\s*\|\s*(\d+)\s*\|/m.exec(s)![1]!,
  },
};

const [bookDir, cli, ref] = process.argv.slice(2);
if (!bookDir || !cli || !ref) {
  process.stderr.write("usage: practice-chapter BOOK_DIR CONSH_BOOK_JS CHAPTER\n");
  process.exit(2);
}
const book = loadBook(bookDir);
const chapter = book.chapters.find((c) => c.number === Number(ref.replace(/\D/g, "")));
if (!chapter) throw new Error(`no chapter ${ref} in ${bookDir}`);
const pane = openPane(`node ${cli} practice ${chapter.number} --book ${bookDir}`, { NO_COLOR: "1" });
let typed = 0;
let skipped = 0;
let problem: string | undefined;
try {
  for (const step of stepsOf(chapter)) {
    if ((await practiseStep(pane, chapter, step, learner)) === "typed") typed++;
    else skipped++;
  }
  await pane.waitFor("EXIT=", 120_000, 40);
} catch (err) {
  problem = String((err as Error).message ?? err);
}
const screen = pane.screen(400);
const exit = Number(/EXIT=(\d+)/.exec(screen)?.[1] ?? -1);
pane.close();
process.stdout.write(
  `${JSON.stringify({ exit, typed, skipped, total: stepsOf(chapter).length, ...(problem || exit !== 0 ? { problem, screen: screen.split("\n").slice(-40) } : {}) })}\n`,
);
