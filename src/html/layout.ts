// The frame every page shares: head (local stylesheet, no scripts), top bar, footer.

import { escapeHtml } from "./escape.js";

interface PageFrame {
  title: string;
  /** Already-escaped HTML of the page's main content. */
  main: string;
  /** Already-escaped HTML of the bar's links (previous / contents / next). */
  nav: string;
  /** Already-escaped HTML of the sidebar (table of contents), if any. */
  aside?: string;
}

export const SITE_NAME = "consh-book";

export function pageHtml(p: PageFrame): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="consh-book html">
<title>${escapeHtml(p.title)}</title>
<link rel="stylesheet" href="style.css">
</head>
<body>
<a class="skip" href="#main">skip to the text</a>
<header class="bar${p.aside ? " wide" : ""}"><nav aria-label="chapters">${p.nav}</nav></header>
<div class="page${p.aside ? " with-aside" : ""}">
${p.aside ? `<aside class="toc-side">${p.aside}</aside>\n` : ""}<main id="main">
${p.main}
</main>
</div>
<footer class="foot"><p>Built by <code>consh-book html</code> from the book's chapters and its recorded snapshots. No scripts, no network: this site works offline.</p></footer>
</body>
</html>
`;
}
