// The index page: what the book is, the verification record, and the twelve
// chapters with their steps, terminals and needs.

import { DEFAULT_TERMINAL, type Book } from "../book/model.js";
import { stepsOf } from "../book/model.js";
import { escapeHtml } from "./escape.js";
import { pageHtml, SITE_NAME } from "./layout.js";
import { pageFileOf, terminalsOf } from "./chapter-page.js";
import { terminalClass } from "./step-block.js";
import { GLOSSARY_PAGE } from "./term-links.js";

interface IndexInput {
  book: Book;
  terminals: readonly string[];
  /** The verification record as HTML (see verification.ts). */
  verificationHtml: string;
  titles: Map<string, string>;
}

export function indexPageHtml(p: IndexInput): string {
  const items = p.book.chapters.map((c) => {
    const steps = stepsOf(c).length;
    const terms = terminalsOf(c)
      .map((t) => `<span class="${terminalClass(p.terminals, t)}">${escapeHtml(t)}</span>`)
      .join(" ");
    const needs = c.needs.length
      ? `needs ${c.needs.map((n) => `<a href="${pageFileOf(n)}" title="${escapeHtml(p.titles.get(n) ?? "")}">${escapeHtml(n.replace("chapter-", ""))}</a>`).join(", ")}`
      : "needs nothing earlier";
    return `<li class="chapter-item"><span class="num">${c.number}</span><div><a class="title" href="${pageFileOf(c.id)}">${escapeHtml(c.title)}</a><p class="meta">${steps} step${steps === 1 ? "" : "s"} · ${terms || "no terminals"} · ${needs}</p></div></li>`;
  });
  const first = p.book.chapters[0];
  const main = [
    `<header id="top"><p class="kicker">${escapeHtml(SITE_NAME)}</p><h1>Build a Linux container from the shell</h1></header>`,
    `<p class="lead">${p.book.chapters.length} chapters that build a container by hand: an OverlayFS root with busybox, namespaces, a cgroup, <code>unshare</code> and <code>pivot_root</code>, a CPU limit, a network cable, and a container inside the container. Every output on these pages was printed by a real run of the step above it, and the same runs check it again on every change.</p>`,
    `<p>Each step says which terminal it runs in: the <span class="${terminalClass(p.terminals, DEFAULT_TERMINAL)}">host</span> terminal is an ordinary shell on the machine; others become shells inside a container. To run a chapter yourself, install consh-book and type the line shown at the top of its page${first ? `, e.g. <code>consh-book run ${escapeHtml(first.id)} --step</code>` : ""}.</p>`,
    ...(p.book.glossary
      ? [
          `<p>The words the book uses for the parts of a container (whiteout, propagation, delegation, capability, ...) are explained in the <a href="${GLOSSARY_PAGE}">glossary</a>.</p>`,
        ]
      : []),
    `<h2 id="chapters">Chapters</h2>`,
    `<ol class="chapters">${items.join("")}</ol>`,
    p.verificationHtml,
  ].join("\n");
  const nav = `<a class="home" href="index.html">${escapeHtml(SITE_NAME)}</a>${first ? `<a href="${pageFileOf(first.id)}">start reading →</a>` : ""}${p.book.glossary ? `<a href="${GLOSSARY_PAGE}">glossary</a>` : ""}`;
  return pageHtml({ title: `${SITE_NAME}: build a Linux container from the shell`, main, nav });
}
