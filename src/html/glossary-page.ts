// glossary.html: every term of chapters/glossary.md with its text, its other
// spellings, and links to where each chapter first uses it.

import MarkdownIt from "markdown-it";
import type { Book, Chapter, Glossary } from "../book/model.js";
import { pageFileOf } from "./chapter-page.js";
import { escapeHtml } from "./escape.js";
import { pageHtml, SITE_NAME } from "./layout.js";
import { useIdOf } from "./term-links.js";

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

/** `uses`: for each entry's anchor, the chapters that link to it (in book order). */
export function glossaryPageHtml(book: Book, glossary: Glossary, uses: Map<string, Chapter[]>): string {
  const entries = glossary.entries.map((e) => {
    const where = uses.get(e.anchor) ?? [];
    const used = where.length
      ? `<p class="meta">First used in ${where.map((c) => `<a href="${pageFileOf(c.id)}#${useIdOf(e)}">chapter ${c.number}</a>`).join(", ")}.</p>`
      : "";
    const also = e.also.length ? `<p class="meta">Also: ${e.also.map((a) => escapeHtml(a)).join(", ")}.</p>` : "";
    return `<section class="gloss-entry" id="${escapeHtml(e.anchor)}">\n<h2>${escapeHtml(e.term)}</h2>\n${md.render(e.markdown)}${also}\n${used}\n</section>`;
  });
  const index = glossary.entries.map((e) => `<a href="#${escapeHtml(e.anchor)}">${escapeHtml(e.term)}</a>`).join(" · ");
  const main = [
    `<header id="top"><p class="kicker">${escapeHtml(SITE_NAME)}</p><h1>Glossary</h1></header>`,
    glossary.introMarkdown ? md.render(glossary.introMarkdown) : "",
    `<nav class="gloss-index" aria-label="terms"><p>${index}</p></nav>`,
    ...entries,
  ].join("\n");
  const first = book.chapters[0];
  const nav = `<a class="home" href="index.html">${escapeHtml(SITE_NAME)}</a><span class="here">Glossary</span>${first ? `<a href="${pageFileOf(first.id)}">start reading →</a>` : ""}`;
  return pageHtml({ title: `Glossary · ${SITE_NAME}`, main, nav });
}
