// Reads a small file (a /proc or /sys entry) that may be missing or unreadable.

import { readFileSync } from "node:fs";

/** The file's text, or undefined when it cannot be read (gone, no permission). */
export function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}
