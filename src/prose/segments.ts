// A chapter's prose cut at its steps: what comes before each step (prose,
// figures, file= blocks, in order), and what comes after the last one. Step and
// practice mode show one segment before each step, so the whole chapter is shown.

import type { Chapter, Step } from "../book/model.js";
import type { Prose } from "../book/prose.js";

interface Segment {
  /** The prose before `step` (after the step before it). */
  prose: Prose;
  /** The step the segment leads to; undefined for the chapter's closing segment. */
  step: Step | undefined;
}

export function segmentsOf(chapter: Chapter): Segment[] {
  const segments: Segment[] = [];
  let prose: Prose = [];
  for (const b of chapter.prose) {
    const block = b.kind === "code" && b.block !== undefined ? chapter.blocks[b.block] : undefined;
    if (block?.kind === "step") {
      segments.push({ prose, step: block });
      prose = [];
    } else {
      prose.push(b);
    }
  }
  segments.push({ prose, step: undefined });
  return segments;
}
