// Writes a built site into a directory: only a new or empty directory, or one
// this command wrote before (it holds our marker), and only one the invoking
// user owns and no one else can change. The directory is opened once (every
// directory made on the way is opened and checked right after its mkdir) and
// everything is written through the opened directories, never through a path
// another user could change in between; files are replaced by rename from a
// fresh temp file (removed again if the rename fails), never written or removed
// through a link.

import { closeSync, constants, fstatSync, mkdirSync, openSync, readdirSync, unlinkSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { ConshError, EnvironmentError, UsageError } from "../errors.js";
import { messageIn, openDirNoFollow, under } from "../util/dir-fd.js";
import { writeFileAtomic } from "../util/safe-write.js";
import { ancestorProblem, currentUid, dirProblem, lstatOrUndefined, readOwnedFile } from "../util/trust.js";
import type { WriteFn } from "../util/write-all.js";
import type { SiteFile } from "./site.js";

export const MARKER = ".consh-book-site";

/** Only plain relative paths of the form a/b.ext: nothing climbs out of the directory. */
const SAFE = /^(?:[A-Za-z0-9][A-Za-z0-9._-]*\/)?[A-Za-z0-9][A-Za-z0-9._-]*$/;

const HINT = "pass --out with a new directory, or one of your own that no one else can write";

/** For tests: called before each mkdir and each file written (to force a race), and the write(2) to use. */
interface SiteSeam {
  beforeMkdir?: (path: string) => void;
  beforeWrite?: (path: string) => void;
  write?: WriteFn;
}

function refuse(what: string): never {
  throw new EnvironmentError(what, { hint: HINT });
}

/** Opens the directory at `path` (shown as `shown`) without following a link: a real directory of `uid` no one else can write. */
function openChecked(path: string, shown: string, uid: number, why: string): number {
  let fd: number;
  try {
    fd = openDirNoFollow(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ELOOP") refuse(`${shown} is a symbolic link; ${why}`);
    if (code === "ENOTDIR") refuse(`${shown} is not a directory; ${why}`);
    throw err;
  }
  // Checked on the opened directory itself: whoever made it (us, or someone quicker), it must be the user's alone.
  const problem = dirProblem(fstatSync(fd), uid);
  if (problem) {
    closeSync(fd);
    refuse(`${shown} ${problem}; ${why}`);
  }
  return fd;
}

const THROUGH = "nothing is written through it";

/** Opens (after making it, when `create`) the directory `name` inside `parentFd`; undefined when it does not exist and is not to be made. */
function openSubdir(parentFd: number, name: string, shown: string, uid: number, create: boolean, seam: SiteSeam): number | undefined {
  if (create) {
    seam.beforeMkdir?.(shown);
    try {
      mkdirSync(under(parentFd, name), { mode: 0o755 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
  } else if (!lstatOrUndefined(under(parentFd, name))) {
    return undefined;
  }
  return openChecked(under(parentFd, name), shown, uid, THROUGH);
}

/** The deepest directory of `dir` (itself included) that exists: checked by ancestorProblem to be root's or the user's. */
function deepestExisting(dir: string): string {
  let d = dir;
  while (!lstatOrUndefined(d) && dirname(d) !== d) d = dirname(d);
  return d;
}

/** Opens `dir`, making the directories that are missing one at a time, each checked on its descriptor. */
function openOutDir(dir: string, uid: number, seam: SiteSeam): number {
  const above = ancestorProblem(dir, uid, { allowMissing: true });
  if (above) refuse(`cannot write the site to ${dir}: ${above.path} ${above.what}`);
  const base = deepestExisting(dir);
  if (base === dir) return openChecked(dir, dir, uid, "the site is written only into a directory of your own");
  // An existing ancestor (links on the way to it were checked above): root's or the user's, not writable by others unless sticky like /tmp.
  let fd = openSync(base, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    const st = fstatSync(fd);
    if ((st.uid !== 0 && st.uid !== uid) || (st.mode & 0o022 && !(st.mode & 0o1000)))
      refuse(`cannot write the site to ${dir}: ${base} changed while it was checked`);
    let shown = base;
    for (const name of dir.slice(base.length).split(sep).filter(Boolean)) {
      shown = join(shown, name);
      const next = openSubdir(fd, name, shown, uid, true, seam)!;
      closeSync(fd);
      fd = next;
    }
    return fd;
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/** The paths an earlier build listed in its marker; undefined when there is no marker. */
function previousFiles(dirFd: number, dir: string, uid: number): string[] | undefined {
  const read = readOwnedFile(under(dirFd, MARKER), uid);
  if ("problem" in read) {
    if (read.problem === "does not exist") return undefined;
    refuse(`${join(dir, MARKER)} ${read.problem}; it will not be trusted`);
  }
  try {
    const list = JSON.parse(read.text) as unknown;
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

/** What an earlier build wrote here, or [] for an empty directory; refuses a directory that holds other things. */
function checkContents(dirFd: number, dir: string, uid: number): string[] {
  const listed = previousFiles(dirFd, dir, uid);
  if (listed === undefined && readdirSync(under(dirFd)).length > 0) {
    throw new UsageError(
      `${dir} is not empty and was not written by consh-book html`,
      "pass --out with a new or empty directory (or one an earlier consh-book html wrote)",
    );
  }
  return listed ?? [];
}

/** The opened sub-directories of the site (one level: SAFE allows no more), by name. */
class Subdirs {
  private readonly fds = new Map<string, number | undefined>();
  constructor(
    private readonly dirFd: number,
    private readonly dir: string,
    private readonly uid: number,
    private readonly seam: SiteSeam,
  ) {}

  /** The descriptor of the directory that holds `path`, and the file's name in it; undefined when it does not exist and `create` is off. */
  holder(path: string, create: boolean): { fd: number; name: string } | undefined {
    const slash = path.indexOf("/");
    if (slash < 0) return { fd: this.dirFd, name: path };
    const sub = path.slice(0, slash);
    if (!this.fds.has(sub) || (create && this.fds.get(sub) === undefined)) {
      this.fds.set(sub, openSubdir(this.dirFd, sub, join(this.dir, sub), this.uid, create, this.seam));
    }
    const fd = this.fds.get(sub);
    return fd === undefined ? undefined : { fd, name: path.slice(slash + 1) };
  }

  close(): void {
    for (const fd of this.fds.values()) if (fd !== undefined) closeSync(fd);
  }
}

/** Writes the files, removes the old pages the new build does not have, then writes the marker. */
function writeInto(dirFd: number, dir: string, files: SiteFile[], previous: string[], uid: number, seam: SiteSeam): void {
  const subdirs = new Subdirs(dirFd, dir, uid, seam);
  try {
    for (const f of files) {
      if (!SAFE.test(f.path)) throw new Error(`refusing to write the odd path '${f.path}'`);
      const at = subdirs.holder(f.path, true)!;
      seam.beforeWrite?.(join(dir, f.path));
      try {
        writeFileAtomic(under(at.fd, at.name), f.content, { mode: 0o644, write: seam.write });
      } catch (err) {
        throw Object.assign(new Error(messageIn(err, dirname(join(dir, f.path)))), { code: (err as NodeJS.ErrnoException).code });
      }
    }
    const now = new Set(files.map((f) => f.path));
    for (const old of previous) {
      // Only a regular file right inside the site (a link, a folder, a path that climbs out is left alone).
      const at = !now.has(old) && SAFE.test(old) ? subdirs.holder(old, false) : undefined;
      if (at && lstatOrUndefined(under(at.fd, at.name))?.isFile()) unlinkSync(under(at.fd, at.name));
    }
    const marker = `${JSON.stringify(
      files.map((f) => f.path),
      null,
      1,
    )}\n`;
    writeFileAtomic(under(dirFd, MARKER), marker, { mode: 0o644, write: seam.write });
  } finally {
    subdirs.close();
  }
}

export function writeSite(outDir: string, files: SiteFile[], seam: SiteSeam = {}): string {
  const dir = resolve(outDir);
  const uid = currentUid();
  let dirFd: number | undefined;
  try {
    dirFd = openOutDir(dir, uid, seam);
    const previous = checkContents(dirFd, dir, uid);
    writeInto(dirFd, dir, files, previous, uid, seam);
  } catch (err) {
    if (err instanceof ConshError) throw err;
    throw new EnvironmentError(`cannot write the site to ${dir}: ${messageIn(err, dir)}`, { hint: "pass --out with a directory you can write" });
  } finally {
    if (dirFd !== undefined) closeSync(dirFd);
  }
  return dir;
}
