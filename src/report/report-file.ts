// Where --json and --junit reports go: checked before a run starts, written after it
// (whole, through a temp file and a rename, or not at all).

import { accessSync, closeSync, constants, lstatSync, openSync, statSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { EnvironmentError, UsageError } from "../errors.js";
import { messageIn, under } from "../util/dir-fd.js";
import { writeFileAtomic } from "../util/safe-write.js";
import { currentUid, lstatOrUndefined } from "../util/trust.js";
import type { WriteFn } from "../util/write-all.js";

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

/**
 * Writes a report, whole or not at all: a fresh temp file beside it, written to the
 * end, then renamed over it, both through the directory opened once. A failure (the
 * path changed during the run, a full disk) becomes exit 5 and leaves the old report
 * as it was. `write` is the write(2) to use (tests inject a short or failing one).
 */
export function writeReportFile(flag: string, path: string, text: string, write?: WriteFn): void {
  const file = resolve(path);
  const dir = dirname(file);
  let dirFd: number | undefined;
  try {
    dirFd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
    const target = under(dirFd, basename(file));
    // Never over a link, another user's file or a file with other hard links (planted after the check).
    const st = lstatOrUndefined(target);
    const foreign = st && foreignTarget(st, currentUid());
    if (foreign) {
      throw new EnvironmentError(`will not write the ${flag} report to ${path}: the file ${foreign}`, {
        hint: `the run's verdict is above; remove ${path} (someone else may have made it) or give ${flag} a file in a directory only you can write to`,
      });
    }
    writeFileAtomic(target, text, { mode: 0o644, write });
  } catch (err) {
    if (err instanceof EnvironmentError) throw err;
    throw new EnvironmentError(`could not write the ${flag} report to ${path}: ${messageIn(err, dir)}`, {
      cause: err,
      hint: `the run's verdict is above; check that ${dir} still exists and has room, then run again (an earlier report there is left as it was)`,
    });
  } finally {
    if (dirFd !== undefined) closeSync(dirFd);
  }
}
