// Per-step overhead of the terminal protocol: one chapter of 500 trivial steps
// in one terminal, run RUNS times; ms per step, from the runner's own timing
// of each step and from the chapter's duration.
import { fmt, runCli, stats, tempBook } from "./lib.mjs";

export function stepOverhead({ steps = 500, runs = 20 } = {}) {
  const body = Array.from({ length: steps }, (_, i) => "```sh {step=s" + i + "}\n:\n```\n").join("\n");
  const book = tempBook({ "chapter-01-overhead.md": `---\ntitle: ${steps} trivial steps\n---\n\n${body}` });
  try {
    // Records the snapshot; not counted. CI=true (as in CI itself) forbids recording,
    // so this one run goes without it.
    const rec = runCli(["run", "1", "--book", book.dir], { CI: undefined });
    if (rec.status !== 0) throw new Error(`recording the overhead book failed: ${rec.stdout}${rec.stderr}`);
    const perStepMedians = [];
    const perStepFromChapter = [];
    for (let i = 0; i < runs; i++) {
      const r = runCli(["run", "1", "--book", book.dir], { CI: "true" });
      if (r.status !== 0 || !r.report) throw new Error(`the overhead book failed: ${r.stdout}${r.stderr}`);
      const chapter = r.report.chapters[0];
      const durations = chapter.steps.map((s) => s.durationMs);
      perStepMedians.push(stats(durations).median);
      perStepFromChapter.push(chapter.durationMs / steps);
    }
    return { steps, runs, stepMedian: stats(perStepMedians), chapterPerStep: stats(perStepFromChapter) };
  } finally {
    book.remove();
  }
}

export function printStepOverhead(r) {
  console.log(`Per-step overhead (${r.steps} trivial steps in one terminal, ${r.runs} runs)`);
  console.log(
    `  step round trip, median of per-run medians: ${fmt(r.stepMedian.median, 3)} ms (min ${fmt(r.stepMedian.min, 3)}, max ${fmt(r.stepMedian.max, 3)})`,
  );
  console.log(
    `  chapter time / steps (incl. snapshot check): ${fmt(r.chapterPerStep.median, 3)} ms (min ${fmt(r.chapterPerStep.min, 3)}, max ${fmt(r.chapterPerStep.max, 3)})`,
  );
  console.log(`  target: <= 2 ms per step: ${r.chapterPerStep.median <= 2 ? "met" : "MISSED"}`);
}

if (import.meta.url === `file://${process.argv[1]}`) printStepOverhead(stepOverhead());
