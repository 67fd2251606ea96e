// Where --json and --junit reports go: checked before a run starts, written after it.

import { accessSync, closeSync, constants, fstatSync, ftruncateSync, lstatSync, openSync, statSync, writeSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { EnvironmentError, UsageError } from "../errors.js";
import { currentUid } from "../util/trust.js";

/** Why an existing report target may not be written (someone could have planted it); undefined when it may. */
function foreignTarget(st: { isSymbolicLink(): boolean; isFile(): boolean; uid: number; nlink: number }, uid: number): string | undefined {
  if (st.isSymbolicLink()) return "is a symbolic link";
  if (!st.isFile()) return "is not a regular file";
  if (st.uid !== uid) return `is owned by uid ${st.uid}, not by you (uid ${uid})`;
  if (st.nlink > 1) return "has other hard links";
  return undefined;
}

function errnoOf(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException).code;
}

/**
 * Checks that `path` (given to `flag`, e.g. --json) can take a report: it is not a
 * directory, its directory exists, and the runner may write there. Throws a
 * UsageError (exit 2) otherwise, so a bad path stops the run before it starts.
 */
export function checkReportPath(flag: string, path: string): void {
  const file = resolve(path);
  const dir = dirname(file);
  const hint = `give ${flag} a file in a directory that exists and you may write, e.g. ${flag} ./report.${flag === "--junit" ? "xml" : "json"}`;
  let exists = true;
  try {
    const st = lstatSync(file);
    const foreign = st.isDirectory() ? undefined : foreignTarget(st, currentUid());
    if (foreign) throw new UsageError(`${flag} ${path}: the file ${foreign}, so writing it could change someone else's file`, `remove it, or ${hint}`);
    if (st.isDirectory()) throw new UsageError(`${flag} ${path}: that is a directory, not a file`, hint);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = errnoOf(err);
    if (code === "ENOENT") exists = false;
    else if (code === "ENOTDIR") throw new UsageError(`${flag} ${path}: a part of the path before the file name is not a directory`, hint);
    else throw new UsageError(`${flag} ${path}: ${(err as Error).message}`, hint);
  }
  if (!exists) {
    try {
      if (!statSync(dir).isDirectory()) throw new UsageError(`${flag} ${path}: ${dir} is not a directory`, hint);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError(`${flag} ${path}: the directory ${dir} does not exist`, `create it first (mkdir -p ${dir}), or ${hint}`);
    }
  }
  try {
    accessSync(exists ? file : dir, constants.W_OK);
  } catch {
    throw new UsageError(`${flag} ${path}: ${exists ? "the file" : `the directory ${dir}`} is not writable`, hint);
  }
}

/** Writes a report; a failure (the path changed during the run, a full disk) becomes exit 5. */
export function writeReportFile(flag: string, path: string, text: string): void {
  try {
    // Never through a link, never into another user's file (planted after the check).
    const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK, 0o644);
    try {
      const foreign = foreignTarget(fstatSync(fd), currentUid());
      if (foreign) {
        throw new EnvironmentError(`will not write the ${flag} report to ${path}: the file ${foreign}`, {
          hint: `the run's verdict is above; remove ${path} (someone else may have made it) or give ${flag} a file in a directory only you can write to`,
        });
      }
      ftruncateSync(fd, 0);
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if (err instanceof EnvironmentError) throw err;
    if ((err as NodeJS.ErrnoException).code === "ELOOP") {
      throw new EnvironmentError(`will not write the ${flag} report to ${path}: it is a symbolic link`, {
        cause: err,
        hint: `the run's verdict is above; remove ${path} (someone else may have made it) or give ${flag} a file in a directory only you can write to`,
      });
    }
    throw new EnvironmentError(`could not write the ${flag} report to ${path}: ${(err as Error).message}`, {
      cause: err,
      hint: `the run's verdict is above; check that ${dirname(resolve(path))} still exists and has room, then run again`,
    });
  }
}
