// Reads a book's chapter files (each once, never blocking on a FIFO), apart from
// the parser, so that a cache hit loads no Markdown library.

import { closeSync, constants, existsSync, fstatSync, openSync, readdirSync, readFileSync, statSync, type Stats } from "node:fs";
import { join, resolve } from "node:path";
import { type ChapterProblem, UsageError } from "../errors.js";

/** One chapter file as read: its name, path, and exact bytes (or why it could not be read). */
export interface ChapterFile {
  base: string;
  file: string;
  bytes: Buffer | ChapterProblem;
}

/** The glossary's file name in chapters/: it is read with the chapters, but is not one. */
const GLOSSARY_FILE = "glossary.md";

/** The book directory, resolved, and its chapter files (and glossary, if any), each read once. */
export function readBookFiles(dir: string): { bookDir: string; files: ChapterFile[]; glossary?: ChapterFile } {
  const bookDir = resolve(dir);
  const chaptersDir = join(bookDir, "chapters");
  if (!existsSync(bookDir) || !statSync(bookDir).isDirectory()) {
    throw new UsageError(`book directory ${bookDir} does not exist`, "pass --book DIR with a directory that holds chapters/ and snapshots/");
  }
  if (!existsSync(chaptersDir) || !statSync(chaptersDir).isDirectory()) {
    throw new UsageError(`${bookDir} has no chapters/ directory`, "a book is a directory with chapters/ (Markdown) and snapshots/");
  }
  let entries: string[];
  try {
    entries = readdirSync(chaptersDir);
  } catch (err) {
    throw new UsageError(`cannot list ${chaptersDir}: ${(err as Error).message}`, "make the chapters/ directory readable by the user who runs consh-book");
  }
  const files = entries
    .filter((f) => f.endsWith(".md") && f !== GLOSSARY_FILE)
    .sort()
    .map((base) => {
      const file = join(chaptersDir, base);
      return { base, file, bytes: readChapterFile(file) };
    });
  if (!entries.includes(GLOSSARY_FILE)) return { bookDir, files };
  const glossary = join(chaptersDir, GLOSSARY_FILE);
  return { bookDir, files, glossary: { base: GLOSSARY_FILE, file: glossary, bytes: readChapterFile(glossary) } };
}

function kindOf(s: Stats): string {
  if (s.isDirectory()) return "a directory";
  if (s.isFIFO()) return "a named pipe (FIFO)";
  if (s.isSocket()) return "a socket";
  if (s.isCharacterDevice() || s.isBlockDevice()) return "a device";
  return "not a regular file";
}

/**
 * The text of a chapter file, or a located problem if it is not a regular file
 * (a directory, a FIFO, a device, a dangling symlink or a symlink loop). Such a
 * file is never opened: a FIFO would block until someone writes to it.
 */
export function readChapterFile(file: string): Buffer | ChapterProblem {
  const problem = (what: string, fix = "make it a regular Markdown file, or move it out of chapters/") => ({ file, line: 1, what, fix });
  let st: Stats;
  try {
    st = statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return problem("this chapter is a symbolic link to nothing (a dangling link)", "point the link at a chapter file, or remove it");
    if (code === "ELOOP") return problem("this chapter is a loop of symbolic links", "point the link at a chapter file, or remove it");
    return problem(`cannot read this chapter: ${(err as Error).message}`, "make it readable by the user who runs consh-book");
  }
  if (!st.isFile()) return problem(`this chapter is ${kindOf(st)}, not a regular file`);
  // O_NONBLOCK: should it have been swapped for a FIFO since the stat, opening does not hang.
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (err) {
    return problem(`cannot read this chapter: ${(err as Error).message}`, "make it readable by the user who runs consh-book");
  }
  try {
    const now = fstatSync(fd);
    if (!now.isFile()) return problem(`this chapter is ${kindOf(now)}, not a regular file`);
    return readFileSync(fd);
  } catch (err) {
    return problem(`cannot read this chapter: ${(err as Error).message}`, "make it readable by the user who runs consh-book");
  } finally {
    closeSync(fd);
  }
}
