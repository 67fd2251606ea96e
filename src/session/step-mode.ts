// `run --step`: before each step, the prose that leads to it and the command;
// Enter runs it, s skips it, q quits (the run is torn down as always).

import type { Chapter, Step } from "../book/model.js";
import type { Colors } from "../util/colors.js";
import { renderProse } from "../prose/render.js";
import { segmentsOf } from "../prose/segments.js";
import { visible } from "../util/visible.js";
import type { StepDecision } from "../run/runner.js";
import type { Io } from "../util/io.js";
import type { KeyReader } from "./keys.js";

export function stepPrompter(io: Io, keys: KeyReader, colors: Colors, width: number) {
  return async (chapter: Chapter, step: Step): Promise<StepDecision> => {
    const c = colors;
    io.out(`\n${c.dim("─".repeat(Math.min(width, 78)))}\n`);
    const segment = segmentsOf(chapter).find((s) => s.step === step);
    if (segment && segment.prose.length > 0) io.out(renderProse(segment.prose, { width, colors: c }));
    io.out(`\n${c.dim(`  ┌ step ${step.id} · terminal ${step.terminal}${step.background ? " · in the background" : ""} · ${chapter.id}`)}\n`);
    for (const l of step.text.replace(/\n$/, "").split("\n")) io.out(`  ${c.dim("│")} ${visible(l)}\n`);
    for (;;) {
      io.out(c.bold("\n[Enter] run it   [s] skip it   [q] quit "));
      const key = await keys.read();
      io.out("\n");
      if (key === "") return "run";
      if (key === "s" || key === "S") return "skip";
      if (key === "q" || key === "Q" || key === "\u0003" || key === "\u0004") return "quit";
    }
  };
}
