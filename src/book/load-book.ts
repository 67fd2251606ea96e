// Loads a book directory: parses every chapter, resolves and checks `needs`.

import { closeSync, constants, existsSync, fstatSync, openSync, readdirSync, readFileSync, statSync, type Stats } from "node:fs";
import { join, resolve } from "node:path";
import { ChapterSyntaxError, UsageError, type ChapterProblem } from "../errors.js";
import type { Book } from "./model.js";
import { parseChapter, type ParsedChapter } from "./parse-chapter.js";
import { chapterNumberOf, findChapter, planRun, type PlannedChapter } from "./plan.js";

export function loadBook(dir: string): Book {
  const bookDir = resolve(dir);
  const chaptersDir = join(bookDir, "chapters");
  if (!existsSync(bookDir) || !statSync(bookDir).isDirectory()) {
    throw new UsageError(`book directory ${bookDir} does not exist`, "pass --book DIR with a directory that holds chapters/ and snapshots/");
  }
  if (!existsSync(chaptersDir) || !statSync(chaptersDir).isDirectory()) {
    throw new UsageError(`${bookDir} has no chapters/ directory`, "a book is a directory with chapters/ (Markdown) and snapshots/");
  }
  const problems: ChapterProblem[] = [];
  const parsed: ParsedChapter[] = [];
  let entries: string[];
  try {
    entries = readdirSync(chaptersDir);
  } catch (err) {
    throw new UsageError(`cannot list ${chaptersDir}: ${(err as Error).message}`, "make the chapters/ directory readable by the user who runs consh-book");
  }
  const files = entries.filter((f) => f.endsWith(".md")).sort();
  for (const base of files) {
    const file = join(chaptersDir, base);
    const source = readChapterFile(file);
    if (typeof source !== "string") {
      problems.push(source);
      continue;
    }
    const result = parseChapter(file, base, source);
    if (Array.isArray(result)) problems.push(...result);
    else parsed.push(result);
  }
  const byNumber = new Map<number, ParsedChapter>();
  for (const p of parsed) {
    const other = byNumber.get(p.chapter.number);
    if (other) {
      problems.push({
        file: p.chapter.file,
        line: 1,
        what: `${p.chapter.id} is also ${other.chapter.file}`,
        fix: "give each chapter its own number",
      });
    }
    byNumber.set(p.chapter.number, p);
  }
  for (const p of parsed) {
    for (const need of p.needRefs) {
      const n = chapterNumberOf(need.ref);
      const target = n === undefined ? undefined : byNumber.get(n);
      if (!target) {
        problems.push({
          file: p.chapter.file,
          line: need.line,
          what: `needs names '${need.ref}', which is not a chapter of this book`,
          fix: `use one of: ${[...byNumber.values()].map((c) => c.chapter.id).join(", ") || "(no chapters)"}`,
        });
      } else if (!p.chapter.needs.includes(target.chapter.id)) {
        p.chapter.needs.push(target.chapter.id);
      }
    }
  }
  problems.push(...fileConflicts(parsed));
  if (problems.length === 0) problems.push(...findCycles(parsed));
  if (problems.length > 0) throw new ChapterSyntaxError(problems);
  const chapters = parsed.map((p) => p.chapter).sort((a, b) => a.number - b.number);
  return { dir: bookDir, chapters };
}

/**
 * file= blocks that cannot all be written: one names as a file what another needs
 * as a directory (file=bin and file=bin/setup.sh). Found here, not mid-run.
 */
function fileConflicts(parsed: ParsedChapter[]): ChapterProblem[] {
  const files = [...parsed]
    .sort((a, b) => a.chapter.number - b.chapter.number)
    .flatMap((p) => p.chapter.blocks.flatMap((b) => (b.kind === "file" ? [{ path: b.path, file: p.chapter.file, line: b.line }] : [])));
  const problems: ChapterProblem[] = [];
  for (const f of files) {
    const blocker = files.find((g) => f.path.startsWith(`${g.path}/`));
    if (blocker) {
      problems.push({
        file: f.file,
        line: f.line,
        what: `file=${f.path} needs '${blocker.path}' to be a directory, but file=${blocker.path} (${blocker.file}:${blocker.line}) writes a file there`,
        fix: "rename one of the two paths",
      });
    }
  }
  return problems;
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
export function readChapterFile(file: string): string | ChapterProblem {
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
    return readFileSync(fd, "utf8");
  } catch (err) {
    return problem(`cannot read this chapter: ${(err as Error).message}`, "make it readable by the user who runs consh-book");
  } finally {
    closeSync(fd);
  }
}

function findCycles(parsed: ParsedChapter[]): ChapterProblem[] {
  const byId = new Map(parsed.map((p) => [p.chapter.id, p]));
  const state = new Map<string, "active" | "done">();
  const problems: ChapterProblem[] = [];
  const visit = (id: string, path: string[]) => {
    const s = state.get(id);
    if (s === "done") return;
    const p = byId.get(id)!;
    if (s === "active") {
      const cycle = [...path.slice(path.indexOf(id)), id];
      const from = byId.get(path[path.length - 1]!)!;
      const line = from.needRefs.find((r) => chapterNumberOf(r.ref) === p.chapter.number)?.line ?? 1;
      problems.push({
        file: from.chapter.file,
        line,
        what: `needs form a cycle: ${cycle.join(" → ")}`,
        fix: "remove one of these needs; a chapter may only need earlier work",
      });
      return;
    }
    state.set(id, "active");
    for (const n of p.chapter.needs) visit(n, [...path, id]);
    state.set(id, "done");
  };
  for (const p of parsed) visit(p.chapter.id, []);
  return problems;
}

export { chapterNumberOf, findChapter, planRun, type PlannedChapter };
