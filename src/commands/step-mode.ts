// `run --step`: before each step, the prose that leads to it and the command;
// Enter runs it, s skips it, q quits (the run is torn down as always).

import type { Chapter, Step } from "../book/model.js";
import type { Colors } from "../report/colors.js";
import { renderProse } from "../report/markdown.js";
import { visible } from "../report/visible.js";
import type { StepDecision } from "../run/runner.js";
import type { Io } from "./io.js";
import type { KeyReader } from "./keys.js";
import { proseOf } from "./prose-cache.js";

export function stepPrompter(io: Io, keys: KeyReader, colors: Colors, width: number) {
  return async (chapter: Chapter, step: Step): Promise<StepDecision> => {
    const c = colors;
    io.out(`\n${c.dim("─".repeat(Math.min(width, 78)))}\n`);
    if (step.intro) {
      const prose = await proseOf(visible(step.intro).replace(/^```[^\n]*\{[^\n]*\}\n[\s\S]*?\n```$/gm, ""), io.env);
      io.out(renderProse(prose, { width, colors: c }));
    }
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
