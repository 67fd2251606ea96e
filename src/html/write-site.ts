// Writes a built site into a directory: only a new or empty directory, or one
// this command wrote before (it holds our marker); files are replaced by
// rename, never written through a link; files of the previous build that are
// gone are removed.

import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { EnvironmentError, UsageError } from "../errors.js";
import type { SiteFile } from "./site.js";

export const MARKER = ".consh-book-site";

function previousFiles(dir: string): string[] | undefined {
  const marker = join(dir, MARKER);
  if (!existsSync(marker)) return undefined;
  try {
    const list = JSON.parse(readFileSync(marker, "utf8")) as unknown;
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

/** Only plain relative paths of the form a/b.ext: nothing climbs out of the directory. */
const SAFE = /^(?:[A-Za-z0-9][A-Za-z0-9._-]*\/)?[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function writeSite(outDir: string, files: SiteFile[]): string {
  const dir = resolve(outDir);
  let previous: string[] = [];
  if (existsSync(dir)) {
    if (!lstatSync(dir).isDirectory()) throw new UsageError(`${dir} exists and is not a directory`, "pass --out with a new or empty directory");
    const listed = previousFiles(dir);
    if (listed === undefined && readdirSync(dir).length > 0) {
      throw new UsageError(
        `${dir} is not empty and was not written by consh-book html`,
        "pass --out with a new or empty directory (or one an earlier consh-book html wrote)",
      );
    }
    previous = listed ?? [];
  }
  try {
    mkdirSync(dir, { recursive: true });
    for (const f of files) {
      if (!SAFE.test(f.path)) throw new Error(`refusing to write the odd path '${f.path}'`);
      const target = join(dir, f.path);
      mkdirSync(dirname(target), { recursive: true });
      const temp = `${target}.tmp-${process.pid}`;
      rmSync(temp, { force: true });
      writeFileSync(temp, f.content, { flag: "wx", mode: 0o644 });
      renameSync(temp, target);
    }
    const now = new Set(files.map((f) => f.path));
    for (const old of previous) if (!now.has(old) && SAFE.test(old)) rmSync(join(dir, old), { force: true });
    writeFileSync(
      join(dir, MARKER),
      `${JSON.stringify(
        files.map((f) => f.path),
        null,
        1,
      )}\n`,
    );
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new EnvironmentError(`cannot write the site to ${dir}: ${e.message}`, { hint: "pass --out with a directory you can write" });
  }
  return dir;
}
