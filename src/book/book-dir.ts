// Which book a command works on: --book DIR, or the book shipped with consh-book.

import { resolve } from "node:path";
import { defaultBookDir } from "./default-book.js";

export function resolveBookDir(flag: string | undefined): string {
  return resolve(flag ?? defaultBookDir());
}
