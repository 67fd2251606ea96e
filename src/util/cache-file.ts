// Reading and writing a file of consh-book's own cache (~/.cache/consh-book):
// read only when the file, its directory and every directory above are this
// user's (or root's) and no one else can write them; written only into a
// directory that is this user's alone (never root's into a user's HOME). A
// cache that cannot be read or written is simply not used.

import { mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { writableDirProblem, writeFileAtomic } from "./safe-write.js";
import { ancestorProblem, currentUid, dirProblem, lstatOrUndefined, readOwnedFile } from "./trust.js";

/** consh-book's cache directory: $XDG_CACHE_HOME/consh-book, else ~/.cache/consh-book. */
export function cacheRoot(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), ".cache"), "consh-book");
}

/** The text of a trusted cache file, else undefined. */
export function readCacheFile(file: string): string | undefined {
  const uid = currentUid();
  if (dirProblem(lstatOrUndefined(dirname(file)), uid) || ancestorProblem(dirname(file), uid)) return undefined;
  const owned = readOwnedFile(file, uid);
  return "text" in owned ? owned.text : undefined;
}

/** Writes `text` atomically where it may be trusted later; otherwise skips it. */
export function writeCacheFile(file: string, text: string): void {
  try {
    const uid = currentUid();
    if (ancestorProblem(dirname(file), uid, { allowMissing: true })) return;
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    if (writableDirProblem(dirname(file), uid)) return;
    writeFileAtomic(file, text);
  } catch {
    // a cache is an optimisation: without it, the next command works it out again
  }
}
