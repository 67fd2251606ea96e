// Chapter Markdown to HTML with markdown-it: raw HTML in the source is escaped,
// headings get ids, links to chapter files point at their pages, and fenced
// blocks are handed to a callback (steps, tangled files, prose code).

import MarkdownIt from "markdown-it";
import type { Token } from "markdown-it";
import type { Glossary, GlossaryEntry } from "../book/model.js";
import { escapeHtml, slugify } from "./escape.js";
import { linkTerms } from "./term-links.js";

export interface Heading {
  level: number;
  text: string;
  id: string;
  /** 1-based line in the chapter file. */
  line: number;
}

interface RenderHooks {
  /** HTML for a fenced block opening at `line` (1-based, in the chapter file). */
  fence(info: string, content: string, line: number): string;
  /** HTML to put right after a heading (e.g. a figure). */
  afterHeading?(heading: Heading): string;
  /** HTML to put right before the fenced block at `line`. */
  beforeFence?(line: number): string;
  /** Link the first use of each of the glossary's terms to its entry; `used` collects those linked. */
  terms?: { glossary: Glossary; used: GlossaryEntry[] };
}

const CHAPTER_LINK = /^(?:\.\/)?(chapter-\d\d)(?:-[a-z0-9-]+)?\.md(#[A-Za-z0-9_-]*)?$/;

function inlineText(t: Token | undefined): string {
  return (t?.children ?? []).map((c) => (c.type === "softbreak" || c.type === "hardbreak" ? " " : c.content)).join("");
}

/**
 * Renders `source` (the whole chapter file with its front matter blanked out,
 * so line numbers stay those of the file). Drops the first level-1 heading
 * (the page shows the title itself) and returns the headings for the contents.
 */
export function renderChapterMarkdown(source: string, hooks: RenderHooks): { html: string; headings: Heading[] } {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
  const tokens = md.parse(source, {});
  const headings: Heading[] = [];
  const ids = new Set<string>(["reading-the-outputs", "contents", "contents-side", "top", "main"]);
  let droppedTitle = false;
  const out: Token[] = [];
  const TokenClass = new md.core.State("", md, {}).Token;
  if (hooks.terms) linkTerms(tokens, hooks.terms.glossary, (type, tag, nesting) => new TokenClass(type, tag, nesting), hooks.terms.used);
  const raw = (html: string): Token => {
    const t = new TokenClass("html_block", "", 0);
    t.content = html;
    return t;
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === "heading_open") {
      const text = inlineText(tokens[i + 1]);
      const level = Number(t.tag.slice(1));
      if (level === 1 && !droppedTitle) {
        droppedTitle = true;
        i += 2;
        continue;
      }
      let id = slugify(text);
      for (let n = 2; ids.has(id); n++) id = `${slugify(text)}-${n}`;
      ids.add(id);
      t.attrSet("id", id);
      const heading = { level, text, id, line: (t.map?.[0] ?? 0) + 1 };
      headings.push(heading);
      out.push(t, tokens[i + 1]!, tokens[i + 2]!);
      i += 2;
      const extra = hooks.afterHeading?.(heading);
      if (extra) out.push(raw(extra));
      continue;
    }
    if (t.type === "fence") {
      const line = (t.map?.[0] ?? 0) + 1;
      const before = hooks.beforeFence?.(line);
      if (before) out.push(raw(before));
      out.push(raw(hooks.fence(t.info, t.content, line)));
      continue;
    }
    if (t.type === "inline") {
      for (const c of t.children ?? []) {
        if (c.type !== "link_open") continue;
        const m = CHAPTER_LINK.exec(String(c.attrGet("href") ?? ""));
        if (m) c.attrSet("href", `${m[1]}.html${m[2] ?? ""}`);
      }
    }
    out.push(t);
  }
  return { html: md.renderer.render(out, md.options, {}), headings };
}

/** A prose code block (no step, no file): shown as code, never run. */
export function plainCodeHtml(lang: string, content: string): string {
  const cls = /^[A-Za-z0-9_-]+$/.test(lang) ? ` class="language-${lang}"` : "";
  return `<pre class="prose-code"><code${cls}>${escapeHtml(content)}</code></pre>\n`;
}
