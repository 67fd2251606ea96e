// Which chapters this host can run: a chapter cannot run where a check it needs
// fails, nor where one of the chapters it needs cannot run (doctor's table, and
// `run --all`/`--next`, which run the others and say why these did not).

import type { Book, Chapter } from "../book/model.js";
import { failingFor, type CheckResult } from "./checks.js";

/** A failing check, and the chapter (the one asked for, or one of its needs) that needs it. */
export interface FailingCheck {
  chapter: Chapter;
  check: CheckResult;
}

/** The chapter and every chapter it needs, needs first, each once. */
function withNeeds(book: Book, chapter: Chapter): Chapter[] {
  const byId = new Map(book.chapters.map((c) => [c.id, c]));
  const seen = new Set<string>();
  const walk = (c: Chapter): Chapter[] => {
    if (seen.has(c.id)) return [];
    seen.add(c.id);
    return [...c.needs.flatMap((n) => walk(byId.get(n)!)), c];
  };
  return walk(chapter);
}

/** Why `chapter` cannot run here (its own failing checks and its needs'); empty when it can. */
export function whyNotRunnable(book: Book, chapter: Chapter, checks: readonly CheckResult[]): FailingCheck[] {
  return withNeeds(book, chapter).flatMap((c) => failingFor(c, checks).map((check) => ({ chapter: c, check })));
}

/** Chapters this host cannot run, each with why. */
export type CannotRun = { chapter: Chapter; failing: FailingCheck[] }[];

/** The chapters of `chapters` this host cannot run, each with why, in the order given. */
export function unrunnable(book: Book, chapters: readonly Chapter[], checks: readonly CheckResult[]): CannotRun {
  return chapters.map((chapter) => ({ chapter, failing: whyNotRunnable(book, chapter, checks) })).filter((x) => x.failing.length > 0);
}
