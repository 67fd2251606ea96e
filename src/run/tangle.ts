// Writes a tangle block (file=PATH) under the run's work dir, one path component
// at a time, never following a symbolic link an earlier step may have put there.

import { closeSync, constants, fchmodSync, fstatSync, ftruncateSync, lstatSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import type { TangleFile } from "../book/model.js";
import { under } from "../util/dir-fd.js";
import { writeAll } from "../util/write-all.js";

/** Why a tangle block cannot be written; the runner adds the chapter's file:line. */
export class TangleError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(`${code}: ${message}`);
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function describe(err: unknown, shown: string, what: "directory" | "file", path: string): TangleError {
  let code = (err as NodeJS.ErrnoException).code ?? "EIO";
  // open(O_DIRECTORY|O_NOFOLLOW) on a link says ENOTDIR; name the link for what it is.
  if (code === "ENOTDIR" && isLink(path)) code = "ELOOP";
  if (code === "ELOOP")
    return new TangleError(`'${shown}' is a symbolic link (made by an earlier step?); consh-book does not follow links when it writes a file= block`, code);
  if (code === "ENOTDIR") return new TangleError(`'${shown}' is not a directory`, code);
  if (code === "EISDIR") return new TangleError(`'${shown}' is a directory`, code);
  if (code === "ENXIO") return new TangleError(`'${shown}' is a named pipe (FIFO), not a regular ${what}`, code);
  return new TangleError(`'${shown}': ${(err as Error).message.replace(/\/proc\/self\/fd\/\d+\//g, "")}`, code);
}

/** Writes `file` under `workDir` and returns its path. Throws TangleError when it cannot. */
export function tangle(workDir: string, file: TangleFile): string {
  const parts = file.path.split("/");
  const name = parts.pop()!;
  let dirFd = openSync(workDir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    let shown = "";
    for (const part of parts) {
      shown = shown ? `${shown}/${part}` : part;
      try {
        mkdirSync(under(dirFd, part), { mode: 0o755 });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw describe(err, shown, "directory", under(dirFd, part));
      }
      let next: number;
      try {
        next = openSync(under(dirFd, part), constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
      } catch (err) {
        throw describe(err, shown, "directory", under(dirFd, part));
      }
      closeSync(dirFd);
      dirFd = next;
    }
    shown = file.path;
    let fd: number;
    try {
      // O_NONBLOCK: a FIFO at the path fails (ENXIO) or is caught below instead of blocking.
      fd = openSync(under(dirFd, name), constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY, 0o644);
    } catch (err) {
      throw describe(err, shown, "file", under(dirFd, name));
    }
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) throw new TangleError(`'${shown}' is not a regular file`, "EEXIST");
      if (st.nlink > 1) throw new TangleError(`'${shown}' has other hard links; writing it would change them too`, "EMLINK");
      ftruncateSync(fd, 0);
      writeAll(fd, file.text);
      fchmodSync(fd, file.executable ? 0o755 : 0o644);
    } finally {
      closeSync(fd);
    }
    return join(workDir, file.path);
  } finally {
    closeSync(dirFd);
  }
}
