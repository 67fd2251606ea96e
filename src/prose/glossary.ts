// The glossary for a terminal: one entry (found by its term or another
// spelling) or all of them, wrapped to the width, through visible() like all
// the book's text. Step mode shows it on a key; `consh-book glossary` prints it.

import { findTerm } from "../book/glossary.js";
import type { Book, GlossaryEntry } from "../book/model.js";
import type { Colors } from "../util/colors.js";
import { visible } from "../util/visible.js";
import { renderProse } from "./render.js";
import { wrap } from "./wrap.js";

function entryText(e: GlossaryEntry, width: number, c: Colors): string {
  const body = renderProse(e.prose, { width, colors: c }).replace(/\n+$/, "");
  const also = e.also.length ? `\n${c.dim(wrap(visible(`Also: ${e.also.join(", ")}.`), width).join("\n"))}` : "";
  return `${c.bold(visible(e.term))}\n${body}${also}\n`;
}

/**
 * The glossary entry for `term` (its term or another spelling, any case), or the
 * whole glossary without one; undefined when the book has no glossary or no
 * entry for `term` (see suggestTerm in book/glossary.ts for a "did you mean").
 */
export function renderGlossary(book: Book, width: number, colors: Colors, term?: string): string | undefined {
  const g = book.glossary;
  if (!g) return undefined;
  if (term !== undefined) {
    const e = findTerm(g, term);
    return e ? entryText(e, width, colors) : undefined;
  }
  const intro = g.intro.length ? `${renderProse(g.intro, { width, colors }).replace(/\n+$/, "")}\n\n` : "";
  return `${colors.bold("GLOSSARY")}\n\n${intro}${g.entries.map((e) => entryText(e, width, colors)).join("\n")}`;
}
