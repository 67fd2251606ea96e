// Chapter references and run plans on a loaded book: which chapter `7` names,
// and in which order chapters and their needs run. (Apart from the parser, so
// commands that only look things up load no Markdown or YAML library.)

import { UsageError } from "../errors.js";
import { closest } from "../util/edit-distance.js";
import type { Book, Chapter } from "./model.js";

/** `chapter-07`, `07`, `7` or `chapter-07-some-slug` → 7; undefined if not a chapter reference. */
export function chapterNumberOf(ref: string): number | undefined {
  const m = /^(?:chapter-)?(\d{1,2})(?:-[a-z0-9-]+)?$/.exec(ref.trim());
  return m ? Number(m[1]) : undefined;
}

/** The chapter a mistyped reference most likely meant: by edit distance on its id, number and slug (the number in the reference breaks ties). */
function didYouMean(book: Book, ref: string): Chapter | undefined {
  const candidates = book.chapters.map((c) => {
    const nn = String(c.number).padStart(2, "0");
    return { value: c, names: [c.id, nn, String(c.number), c.slug, `${c.id}-${c.slug}`] };
  });
  const digits = /\d+/.exec(ref)?.[0];
  const numbered = candidates.find((c) => digits !== undefined && c.value.number === Number(digits));
  return (numbered && closest(ref, [numbered])) ?? closest(ref, candidates);
}

/** Finds the chapter a command-line reference names. */
export function findChapter(book: Book, ref: string): Chapter {
  const n = chapterNumberOf(ref);
  const chapter = n === undefined ? undefined : book.chapters.find((c) => c.number === n);
  if (!chapter) {
    const known = book.chapters.map((c) => c.id).join(", ") || "(none)";
    // A well-formed number (chapter-13 of twelve) is no typo: no guess then.
    const guess = n === undefined ? didYouMean(book, ref) : undefined;
    const mean = guess ? `did you mean ${guess.id} (${guess.title})? ` : "";
    throw new UsageError(`no chapter '${ref}' in ${book.dir}`, `${mean}chapters are: ${known}; name one as chapter-07, 07 or 7`);
  }
  return chapter;
}

export interface PlannedChapter {
  chapter: Chapter;
  /** true if it runs only because a requested chapter needs it. */
  needed: boolean;
}

/** Requested chapters in book order, each preceded by the needs not yet planned. */
export function planRun(book: Book, requested: Chapter[]): PlannedChapter[] {
  const wanted = new Set(requested.map((c) => c.id));
  const byId = new Map(book.chapters.map((c) => [c.id, c]));
  const planned = new Set<string>();
  const plan: PlannedChapter[] = [];
  const add = (c: Chapter) => {
    if (planned.has(c.id)) return;
    planned.add(c.id);
    for (const n of [...c.needs].sort()) add(byId.get(n)!);
    plan.push({ chapter: c, needed: !wanted.has(c.id) });
  };
  for (const c of [...requested].sort((a, b) => a.number - b.number)) add(c);
  return plan;
}
