// The label drawn above a fenced block of a chapter: a step's id and terminal,
// a file= block's path, or another block's language.

import type { Chapter } from "../book/model.js";
import { visible } from "../util/visible.js";
import type { CodeBlock } from "./render.js";

export function blockLabel(chapter: Chapter, code: CodeBlock): string {
  const block = code.block === undefined ? undefined : chapter.blocks[code.block];
  if (block?.kind === "step") return `step ${visible(block.id)} · terminal ${visible(block.terminal)}${block.background ? " · in the background" : ""}`;
  if (block?.kind === "file") return `file ${visible(block.path)}`;
  return visible((code.info ?? "").trim().split(/\s+/)[0] ?? "");
}
