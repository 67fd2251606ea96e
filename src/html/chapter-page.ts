// One chapter's page: title, what it needs and how to run it, contents, the
// prose with every step and its recorded output, figures, links onwards.

import { parseFrontMatter } from "../book/front-matter.js";
import { parseInfo } from "../book/attributes.js";
import type { Block, Chapter, Glossary, GlossaryEntry, Step } from "../book/model.js";
import { ChapterSyntaxError } from "../errors.js";
import { escapeHtml } from "./escape.js";
import { figureHtml, type Figure } from "./figures.js";
import { pageHtml, SITE_NAME } from "./layout.js";
import { plainCodeHtml, renderChapterMarkdown, type Heading } from "./markdown.js";
import { emptyUsed, legendHtml } from "./placeholders.js";
import type { RecordedOutput } from "./recorded-output.js";
import { fileHtml, stepHtml, terminalClass } from "./step-block.js";
import { GLOSSARY_PAGE } from "./term-links.js";

interface ChapterPageInput {
  chapter: Chapter;
  previous: Chapter | undefined;
  next: Chapter | undefined;
  /** Every terminal of the book, host first (for consistent colours). */
  terminals: readonly string[];
  outputs: Map<string, RecordedOutput>;
  figures: Figure[];
  /** One sentence on where the snapshots were verified. */
  verification: string;
  /** Chapter id → chapter, for links to needs. */
  titles: Map<string, string>;
  figuresFile: string;
  /** The book's glossary: the first use of each term links to it; `used` collects the terms linked. */
  glossary?: { glossary: Glossary; used: GlossaryEntry[] };
}

export function pageFileOf(chapterId: string): string {
  return `${chapterId}.html`;
}

function chapterLink(id: string, titles: Map<string, string>): string {
  return `<a href="${pageFileOf(id)}">${escapeHtml(id.replace("chapter-", "chapter "))}: ${escapeHtml(titles.get(id) ?? "")}</a>`;
}

export function terminalsOf(chapter: Chapter): string[] {
  return [...new Set(chapter.blocks.flatMap((b) => (b.kind === "step" ? [b.terminal] : [])))];
}

/** The chapter source with its front matter blanked out (line numbers stay those of the file). */
function bodyOf(chapter: Chapter): string {
  const lines = chapter.source.split("\n");
  const fm = parseFrontMatter(chapter.source);
  const count = Array.isArray(fm) ? 0 : fm.lineCount;
  return [...Array<string>(count).fill(""), ...lines.slice(count)].join("\n");
}

function tocHtml(headings: Heading[], steps: Step[], id: string): string {
  const items: string[] = [];
  const top = steps.filter((s) => headings.length === 0 || s.line < headings[0]!.line);
  const stepList = (list: Step[]) =>
    list.length ? `<ul class="toc-steps">${list.map((s) => `<li><a href="#step-${escapeHtml(s.id)}">${escapeHtml(s.id)}</a></li>`).join("")}</ul>` : "";
  if (top.length) items.push(`<li><a href="#top">Introduction</a>${stepList(top)}</li>`);
  headings.forEach((h, i) => {
    const end = headings[i + 1]?.line ?? Infinity;
    const inside = steps.filter((s) => s.line > h.line && s.line < end);
    items.push(`<li class="toc-h${h.level}"><a href="#${escapeHtml(h.id)}">${escapeHtml(h.text)}</a>${stepList(inside)}</li>`);
  });
  return `<nav class="toc" id="${id}" aria-label="contents of this chapter"><h2>Contents</h2><ol>${items.join("")}</ol></nav>`;
}

export function chapterPageHtml(p: ChapterPageInput): string {
  const c = p.chapter;
  const steps = c.blocks.filter((b): b is Step => b.kind === "step");
  const byLine = new Map(c.blocks.map((b) => [b.line, b]));
  const stepLine = new Map(steps.map((s) => [s.id, s.line]));
  const used = emptyUsed();
  const placed = new Set<Figure>();
  for (const f of p.figures) {
    if (f.beforeStep !== undefined && !stepLine.has(f.beforeStep)) {
      throw new ChapterSyntaxError([
        {
          file: p.figuresFile,
          line: 1,
          what: `figure ${f.file}: ${c.id} has no step '${f.beforeStep}'`,
          fix: `name one of its steps: ${steps.map((s) => s.id).join(", ")}`,
        },
      ]);
    }
  }
  const { html: body, headings } = renderChapterMarkdown(bodyOf(c), {
    ...(p.glossary ? { terms: p.glossary } : {}),
    fence(info, content, line) {
      const block: Block | undefined = byLine.get(line);
      if (block?.kind === "step") return stepHtml(block, p.terminals, p.outputs.get(block.id), used);
      if (block?.kind === "file") return fileHtml(block);
      if (block?.kind === "check" || block?.kind === "question") return ""; // how practice verifies a step: not part of the page
      return plainCodeHtml(parseInfo(info).lang, content);
    },
    beforeFence(line) {
      const figs = p.figures.filter((f) => f.beforeStep !== undefined && stepLine.get(f.beforeStep) === line);
      for (const f of figs) placed.add(f);
      return figs.map((f) => figureHtml(f, escapeHtml)).join("\n");
    },
    afterHeading(h) {
      const figs = p.figures.filter((f) => f.afterHeading === h.text && !placed.has(f));
      for (const f of figs) placed.add(f);
      return figs.map((f) => figureHtml(f, escapeHtml)).join("\n");
    },
  });
  const lost = p.figures.filter((f) => !placed.has(f));
  if (lost.length > 0) {
    const f = lost[0]!;
    throw new ChapterSyntaxError([
      {
        file: p.figuresFile,
        line: 1,
        what: `figure ${f.file}: ${c.id} has no heading '${f.afterHeading}'`,
        fix: `name one of its headings: ${headings.map((h) => h.text).join(", ")}`,
      },
    ]);
  }
  const terminals = terminalsOf(c);
  const meta = [
    `<p class="meta">${steps.length} step${steps.length === 1 ? "" : "s"} in ${terminals.length === 1 ? "the terminal" : "the terminals"} ${terminals.map((t) => `<span class="${terminalClass(p.terminals, t)}">${escapeHtml(t)}</span>`).join(" ")}</p>`,
    c.needs.length
      ? `<p class="meta">Needs ${c.needs.map((n) => chapterLink(n, p.titles)).join(", ")}: running this chapter runs ${c.needs.length === 1 ? "it" : "them"} first.</p>`
      : `<p class="meta">Needs no earlier chapter.</p>`,
    `<div class="run"><span class="run-label">Run this chapter, step by step, on your machine:</span><pre class="cmd run-cmd"><code>consh-book run ${escapeHtml(c.id)} --step</code></pre>` +
      `<span class="run-label">or type every step yourself, and the book checks what you did:</span><pre class="cmd practice-cmd"><code>consh-book practice ${escapeHtml(c.id)}</code></pre></div>`,
    `<p class="verified">${escapeHtml(p.verification)} <a href="index.html#verified">Where?</a></p>`,
  ].join("\n");
  const toc = tocHtml(headings, steps, "contents");
  const pager = [
    p.previous ? `<a class="prev" rel="prev" href="${pageFileOf(p.previous.id)}">← ${escapeHtml(p.previous.title)}</a>` : `<span></span>`,
    p.next ? `<a class="next" rel="next" href="${pageFileOf(p.next.id)}">${escapeHtml(p.next.title)} →</a>` : `<span></span>`,
  ].join("");
  const main = [
    `<article class="chapter">`,
    `<header id="top"><p class="kicker">Chapter ${c.number}</p><h1>${escapeHtml(c.title)}</h1>\n${meta}</header>`,
    `<div class="toc-inline">${toc}</div>`,
    legendHtml(used),
    body,
    `</article>`,
    `<nav class="pager" aria-label="previous and next chapter">${pager}</nav>`,
  ].join("\n");
  const nav = [
    `<a class="home" href="index.html">${escapeHtml(SITE_NAME)}</a>`,
    p.previous ? `<a href="${pageFileOf(p.previous.id)}" title="${escapeHtml(p.previous.title)}">← ${p.previous.number}</a>` : "",
    `<span class="here">${c.number} / ${escapeHtml(c.title)}</span>`,
    p.next ? `<a href="${pageFileOf(p.next.id)}" title="${escapeHtml(p.next.title)}">${p.next.number} →</a>` : "",
    p.glossary ? `<a href="${GLOSSARY_PAGE}">glossary</a>` : "",
  ].join("");
  return pageHtml({ title: `${c.number}. ${c.title} · ${SITE_NAME}`, main, nav, aside: tocHtml(headings, steps, "contents-side") });
}
