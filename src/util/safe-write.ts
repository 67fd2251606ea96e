// Writes a file root may write where others could plant a link: a fresh temp file
// (random name, O_EXCL|O_NOFOLLOW) in a directory checked to be the user's, renamed into place.

import { randomBytes } from "./random.js";
import { closeSync, constants, openSync, renameSync, unlinkSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { ancestorProblem, currentUid, dirProblem, lstatOrUndefined } from "./trust.js";
import { type WriteFn, writeAll } from "./write-all.js";

/** Why `dir` may not take files of user `uid` (owned by uid, not writable by others, nor any directory above); undefined when it may. */
export function writableDirProblem(dir: string, uid = currentUid()): string | undefined {
  const abs = resolve(dir);
  const above = ancestorProblem(abs, uid);
  if (above) return `${above.path} ${above.what}`;
  const problem = dirProblem(lstatOrUndefined(abs), uid);
  return problem ? `${abs} ${problem}` : undefined;
}

/**
 * Writes `text` to `file` atomically: a private temp file that cannot be a planted
 * link (random name, created exclusively, never followed), then renamed over `file`
 * (rename replaces a link itself, never what it points to). The caller checks the directory.
 * A write that fails (a full disk) removes the temp file and leaves `file` as it was.
 */
export function writeFileAtomic(file: string, text: string | Buffer, options: { mode?: number; write?: WriteFn } = {}): void {
  const mode = options.mode ?? 0o600;
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(8).toString("hex")}.tmp`);
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
  try {
    try {
      writeAll(fd, text, options.write);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (err) {
    try {
      unlinkSync(temp);
    } catch {
      // already renamed or gone
    }
    throw err;
  }
}
