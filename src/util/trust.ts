// Whether a file or directory can be trusted as a user's own: no symlink, the right
// owner, no one else may write it or any directory above it. Read without following links.

import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync, type Stats } from "node:fs";
import { dirname, sep } from "node:path";

const mode = (st: Stats) => `0${(st.mode & 0o7777).toString(8)}`;

export function currentUid(): number {
  return process.geteuid?.() ?? process.getuid?.() ?? 0;
}

/** Whether this process runs as root (its real uid): then it needs no sudo. */
export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/**
 * What makes `st` (from lstat) untrustworthy as a directory of user `uid`;
 * undefined when it is fine. `private` also asks for mode 0700 (a run dir).
 */
export function dirProblem(st: Stats | undefined, uid: number, options: { private?: boolean } = {}): string | undefined {
  if (!st) return "does not exist";
  if (st.isSymbolicLink()) return "is a symbolic link";
  if (!st.isDirectory()) return "is not a directory";
  if (st.uid !== uid) return `is owned by uid ${st.uid}, not by uid ${uid}`;
  if (st.mode & 0o022) return `is writable by group or others (mode ${mode(st)})`;
  if (options.private && st.mode & 0o077) return `is open to group or others (mode ${mode(st)}, expected 0700)`;
  return undefined;
}

/** What makes a regular file of user `uid` untrustworthy (from fstat of the opened file). */
function fileProblem(st: Stats, uid: number): string | undefined {
  if (st.isDirectory()) return "is a directory, not a regular file";
  if (!st.isFile()) return "is not a regular file";
  if (st.uid !== uid) return `is owned by uid ${st.uid}, not by uid ${uid}`;
  if (st.mode & 0o022) return `is writable by group or others (mode ${mode(st)})`;
  return undefined;
}

export function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** `/a/b/c` → `/`, `/a`, `/a/b`, `/a/b/c`. */
function prefixes(abs: string): string[] {
  const parts = abs.split(sep).filter(Boolean);
  return ["/", ...parts.map((_, i) => `/${parts.slice(0, i + 1).join("/")}`)];
}

/**
 * The first directory above `path` (which must be absolute) that another user
 * could change, and why. Trusted: owned by root or `uid`, and not writable by
 * group or others unless sticky (like /tmp). A symbolic link on the way must be
 * owned by root or `uid` too; where it points is checked as well.
 */
export function ancestorProblem(path: string, uid: number, options: { allowMissing?: boolean } = {}): { path: string; what: string } | undefined {
  const trusted = (st: Stats) => st.uid === 0 || st.uid === uid;
  let parent = dirname(path);
  // Directories still to be made (allowMissing) will be this user's: check from the deepest one that exists.
  while (!lstatOrUndefined(parent)) {
    if (!options.allowMissing) return { path: parent, what: "does not exist" };
    parent = dirname(parent);
  }
  for (const p of prefixes(parent)) {
    const st = lstatOrUndefined(p);
    if (!st) return { path: p, what: "does not exist" };
    if (st.isSymbolicLink() && !trusted(st)) return { path: p, what: `is a symbolic link owned by uid ${st.uid}` };
  }
  let real: string;
  try {
    real = realpathSync(parent);
  } catch (err) {
    return { path: parent, what: `cannot be resolved (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  }
  for (const p of prefixes(real)) {
    const st = lstatOrUndefined(p);
    if (!st?.isDirectory()) return { path: p, what: "is not a directory" };
    if (!trusted(st)) return { path: p, what: `is owned by uid ${st.uid} (neither root nor uid ${uid})` };
    if (st.mode & 0o022 && !(st.mode & 0o1000)) return { path: p, what: `is writable by group or others and not sticky (mode ${mode(st)})` };
  }
  return undefined;
}

/** The bytes of an open file, `size` at most (it may have shrunk since fstat). */
export function readOpenFile(fd: number, size: number): Buffer {
  const buf = Buffer.alloc(size);
  let n = 0;
  while (n < size) {
    const got = readSync(fd, buf, n, size - n, n);
    if (got === 0) break;
    n += got;
  }
  return buf.subarray(0, n);
}

/**
 * Reads a small regular file of user `uid` without following a symbolic link
 * and without blocking on a FIFO; or the reason it may not be trusted.
 */
export function readOwnedFile(file: string, uid: number, maxBytes = 16 << 20): { text: string } | { problem: string } {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { problem: code === "ELOOP" ? "is a symbolic link" : code === "ENOENT" ? "does not exist" : `cannot be read (${code ?? (err as Error).message})` };
  }
  try {
    const st = fstatSync(fd);
    const problem = fileProblem(st, uid);
    if (problem) return { problem };
    if (st.size > maxBytes) return { problem: `is too large (${st.size} bytes)` };
    return { text: readOpenFile(fd, st.size).toString("utf8") };
  } finally {
    closeSync(fd);
  }
}
