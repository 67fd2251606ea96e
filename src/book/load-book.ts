// Loads a book directory: parses every chapter, resolves and checks `needs`.

import { ChapterSyntaxError, type ChapterProblem } from "../errors.js";
import { type ChapterFile, readBookFiles } from "./book-files.js";
import { fileConflicts } from "./file-conflicts.js";
import { parseGlossary } from "./glossary-parse.js";
import type { Book, Glossary } from "./model.js";
import { parseChapter, type ParsedChapter } from "./parse-chapter.js";
import { chapterNumberOf, findChapter, planRun } from "./plan.js";

/** Reads and parses the book at `dir`. */
export function loadBook(dir: string): Book {
  const { bookDir, files, glossary } = readBookFiles(dir);
  return parseBook(bookDir, files, glossary);
}

/** The glossary file parsed, or its problems (none when there is no glossary). */
function glossaryOf(file: ChapterFile | undefined): { glossary?: Glossary; problems: ChapterProblem[] } {
  if (!file) return { problems: [] };
  if (!Buffer.isBuffer(file.bytes)) return { problems: [file.bytes] };
  const parsed = parseGlossary(file.file, file.bytes.toString("utf8"));
  return Array.isArray(parsed) ? { problems: parsed } : { glossary: parsed, problems: [] };
}

/** Parses a book from chapter files (and the glossary) already read (exactly those bytes), resolving and checking `needs`. */
export function parseBook(bookDir: string, files: readonly ChapterFile[], glossaryFile?: ChapterFile): Book {
  const { glossary, problems } = glossaryOf(glossaryFile);
  const parsed: ParsedChapter[] = [];
  for (const { base, file, bytes } of files) {
    if (!Buffer.isBuffer(bytes)) {
      problems.push(bytes);
      continue;
    }
    const result = parseChapter(file, base, bytes.toString("utf8"));
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
  return glossary ? { dir: bookDir, chapters, glossary } : { dir: bookDir, chapters };
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

export { chapterNumberOf, findChapter, planRun };
