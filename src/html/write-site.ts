// Writes a built site into a directory: only a new or empty directory, or one
// this command wrote before (it holds our marker), and only one the invoking
// user owns and no one else can change; files are replaced by rename from a
// fresh temp file, never written or removed through a link.

import { closeSync, constants, mkdirSync, openSync, readdirSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import { ConshError, EnvironmentError, UsageError } from "../errors.js";
import { ancestorProblem, currentUid, dirProblem, lstatOrUndefined, readOwnedFile } from "../util/trust.js";
import type { SiteFile } from "./site.js";

export const MARKER = ".consh-book-site";

/** Only plain relative paths of the form a/b.ext: nothing climbs out of the directory. */
const SAFE = /^(?:[A-Za-z0-9][A-Za-z0-9._-]*\/)?[A-Za-z0-9][A-Za-z0-9._-]*$/;

const HINT = "pass --out with a new directory, or one of your own that no one else can write";

function refuse(what: string): never {
  throw new EnvironmentError(what, { hint: HINT });
}

/** The paths an earlier build listed in its marker; undefined when there is no marker. */
function previousFiles(dir: string, uid: number): string[] | undefined {
  const marker = join(dir, MARKER);
  const read = readOwnedFile(marker, uid);
  if ("problem" in read) {
    if (read.problem === "does not exist") return undefined;
    refuse(`${marker} ${read.problem}; it will not be trusted`);
  }
  try {
    const list = JSON.parse(read.text) as unknown;
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

/** Makes (or checks) the sub-directory of `path` inside `dir`: a real directory of `uid`, never a link. */
function subdirFor(dir: string, path: string, uid: number, create: boolean): boolean {
  const slash = path.indexOf("/");
  if (slash < 0) return true;
  const sub = join(dir, path.slice(0, slash));
  let st = lstatOrUndefined(sub);
  if (!st) {
    if (!create) return false;
    mkdirSync(sub, { mode: 0o755 });
    st = lstatOrUndefined(sub);
  }
  const problem = dirProblem(st, uid);
  if (problem) refuse(`${sub} ${problem}; nothing is written through it`);
  return true;
}

/** Writes `content` to `target` by a new temp file (O_EXCL, O_NOFOLLOW) renamed over it. */
function writeFresh(target: string, content: string | Buffer): void {
  const temp = `${target}.tmp-${process.pid}-${randomBytes(6).toString("hex")}`;
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  try {
    const buf = typeof content === "string" ? Buffer.from(content, "utf8") : content;
    let n = 0;
    while (n < buf.length) n += writeSync(fd, buf, n, buf.length - n);
  } catch (err) {
    closeSync(fd);
    unlinkSync(temp);
    throw err;
  }
  closeSync(fd);
  renameSync(temp, target);
}

/** Removes an old page only when it is a regular file right inside the site (a link is left alone). */
function removeOld(dir: string, path: string, uid: number): void {
  if (!SAFE.test(path) || !subdirFor(dir, path, uid, false)) return;
  const file = join(dir, path);
  const st = lstatOrUndefined(file);
  if (st?.isFile()) unlinkSync(file);
}

export function writeSite(outDir: string, files: SiteFile[]): string {
  const dir = resolve(outDir);
  const uid = currentUid();
  const above = ancestorProblem(dir, uid, { allowMissing: true });
  if (above) refuse(`cannot write the site to ${dir}: ${above.path} ${above.what}`);
  let previous: string[] = [];
  const st = lstatOrUndefined(dir);
  if (st) {
    const problem = dirProblem(st, uid);
    if (problem) refuse(`${dir} ${problem}; the site is written only into a directory of your own`);
    const listed = previousFiles(dir, uid);
    if (listed === undefined && readdirSync(dir).length > 0) {
      throw new UsageError(
        `${dir} is not empty and was not written by consh-book html`,
        "pass --out with a new or empty directory (or one an earlier consh-book html wrote)",
      );
    }
    previous = listed ?? [];
  }
  try {
    if (!st) mkdirSync(dir, { recursive: true, mode: 0o755 });
    for (const f of files) {
      if (!SAFE.test(f.path)) throw new Error(`refusing to write the odd path '${f.path}'`);
      subdirFor(dir, f.path, uid, true);
      writeFresh(join(dir, f.path), f.content);
    }
    const now = new Set(files.map((f) => f.path));
    for (const old of previous) if (!now.has(old)) removeOld(dir, old, uid);
    writeFresh(
      join(dir, MARKER),
      `${JSON.stringify(
        files.map((f) => f.path),
        null,
        1,
      )}\n`,
    );
  } catch (err) {
    if (err instanceof ConshError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new EnvironmentError(`cannot write the site to ${dir}: ${e.message}`, { hint: "pass --out with a directory you can write" });
  }
  return dir;
}
