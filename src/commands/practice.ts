// `consh-book practice chapter-07`: the learner types every step of the chapter
// in its real terminal, and the book checks what they did on the live host.
// The chapters it needs run first, by the book. It is `run`, with the learner typing.

import type { RunFlags } from "../session/run-session.js";
import type { Io } from "../util/io.js";
import { runCommand } from "./run.js";

export function practiceCommand(refs: string[], flags: RunFlags, io: Io): Promise<number> {
  return runCommand(refs, { ...flags, practice: true, step: false }, io);
}
