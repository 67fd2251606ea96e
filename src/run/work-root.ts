// Makes the directories a run trusts (the work root, each run dir) with mode 0700 and
// refuses to use one that another user made or could change (see host/trust.ts).

import { chmodSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { EnvironmentError } from "../errors.js";
import { ancestorProblem, currentUid, dirProblem, lstatOrUndefined } from "../util/trust.js";

const hintFor = (root: string) =>
  `if you did not make ${root}, someone else may have: remove it (as root: rm -rf --one-file-system ${root}) and run again, or pass --work-dir DIR with a directory only you can write to`;

/** Throws an EnvironmentError unless `root` is a directory only `uid` (and root) can change. */
export function checkWorkRoot(root: string, uid = currentUid()): void {
  const abs = resolve(root);
  const above = ancestorProblem(abs, uid);
  if (above) {
    throw new EnvironmentError(`the work root ${abs} is not safe to use: ${above.path} ${above.what}`, {
      hint: "pass --work-dir DIR with a directory in a place only you (and root) can write to, or set CONSH_BOOK_TMPDIR",
    });
  }
  const problem = dirProblem(lstatOrUndefined(abs), uid);
  if (problem) throw new EnvironmentError(`the work root ${abs} is not safe to use: it ${problem}`, { hint: hintFor(abs) });
}

/**
 * Makes the work root if it is missing (mode 0700; directories above it as
 * needed) and checks it. Throws an EnvironmentError naming the path and what is wrong.
 */
export function ensureWorkRoot(root: string, uid = currentUid()): string {
  const abs = resolve(root);
  // Check above it before making anything, so nothing is made where another user can change it.
  const above = ancestorProblem(abs, uid, { allowMissing: true });
  if (above) {
    throw new EnvironmentError(`the work root ${abs} is not safe to use: ${above.path} ${above.what}`, {
      hint: "pass --work-dir DIR with a directory in a place only you (and root) can write to, or set CONSH_BOOK_TMPDIR",
    });
  }
  try {
    mkdirSync(dirname(abs), { recursive: true, mode: 0o700 });
    mkdirSync(abs, { mode: 0o700 }); // never recursive: an existing one is checked, not trusted
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "EEXIST") {
      throw new EnvironmentError(`cannot create the work root ${abs}: ${(err as Error).message}`, {
        cause: err,
        hint: "pass --work-dir DIR with a directory you can write to (or set CONSH_BOOK_TMPDIR)",
      });
    }
  }
  checkWorkRoot(abs, uid);
  return abs;
}

/** Makes a fresh run dir (exclusively: it must not exist yet) with mode 0700 and checks it. */
export function makeRunDir(path: string, uid = currentUid()): void {
  mkdirSync(path, { mode: 0o700 });
  chmodSync(path, 0o700); // whatever the umask
  const problem = dirProblem(lstatOrUndefined(path), uid, { private: true });
  if (problem) throw new EnvironmentError(`the run dir ${path} ${problem} right after it was made`, { hint: hintFor(dirname(path)) });
}

export { writeFileAtomic } from "../util/safe-write.js";
