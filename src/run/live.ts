// What hooks (step mode, practice, --shell) may see of a live run.

import type { StepTerminal } from "../terminal/terminal.js";
import type { World } from "./world.js";

export interface LiveRun {
  world: World;
  terminals: ReadonlyMap<string, StepTerminal>;
  /** The terminal called `name`, started if it is not running. */
  terminal(name: string): StepTerminal;
}
