// A directory opened by fd stands for itself in paths under /proc/self/fd/N/: this
// is openat(2) for Node. Whoever renames or replaces the directory's path after it
// was opened changes nothing that is written through the fd.

import { constants, lstatSync, openSync } from "node:fs";

/** `name` inside the directory open as `dirFd` (the directory itself without a name). */
export const under = (dirFd: number, name = "") => `/proc/self/fd/${dirFd}/${name}`;

/** An error message with the /proc/self/fd/N/ of such paths shown as `dir`. */
export function messageIn(err: unknown, dir: string): string {
  return (err as Error).message.replace(/\/proc\/self\/fd\/\d+\/?/g, `${dir.replace(/\/$/, "")}/`);
}

/**
 * Opens the directory `path` without following a link at its last component; a link
 * (which open(2) reports as ENOTDIR with O_DIRECTORY|O_NOFOLLOW) is reported as ELOOP.
 */
export function openDirNoFollow(path: string): number {
  try {
    return openSync(path, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === "ENOTDIR") {
      try {
        if (lstatSync(path).isSymbolicLink()) e.code = "ELOOP";
      } catch {
        // gone again: ENOTDIR stands
      }
    }
    throw e;
  }
}
