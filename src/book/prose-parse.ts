// Turns markdown-it's tokens of a chapter into Prose (prose.ts): the chapter
// parser does it once, and the parsed book (with its cache) carries the result.

import MarkdownIt from "markdown-it";
import type { Token } from "markdown-it";
import type { Prose, Span } from "./prose.js";

const md = new MarkdownIt();

/** Inline tokens as spans: emphasis dropped, breaks as spaces, a link's target after its text (unless the text is the target). */
function spansOf(tokens: Token[] | null): Span[] {
  const spans: Span[] = [];
  let plain = "";
  let href = "";
  const add = (text: string, code = false) => {
    const last = spans[spans.length - 1];
    if (!code && last && !last.code) last.text += text;
    else spans.push(code ? { code: true, text } : { text });
    plain += text;
  };
  for (const t of tokens ?? []) {
    switch (t.type) {
      case "code_inline":
        add(t.content, true);
        break;
      case "softbreak":
      case "hardbreak":
        add(" ");
        break;
      case "strong_open":
      case "strong_close":
      case "em_open":
      case "em_close":
        break;
      case "link_open":
        href = String(t.attrGet("href") ?? "");
        break;
      case "link_close":
        if (href && !plain.endsWith(href)) add(` (${href})`);
        href = "";
        break;
      default:
        add(t.content);
    }
  }
  return spans;
}

/** The blocks of `source` (Markdown without front matter) that a terminal shows. */
export function parseProse(source: string): Prose {
  return proseOfTokens(md.parse(source, {}), new Map());
}

/** The blocks of parsed `tokens`; `blockAt` maps a fence's token index to its index in the chapter's blocks. */
export function proseOfTokens(tokens: Token[], blockAt: ReadonlyMap<number, number>): Prose {
  const prose: Prose = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    switch (t.type) {
      case "heading_open":
        prose.push({ kind: "heading", level: Number(t.tag.slice(1)), spans: spansOf(tokens[i + 1]!.children) });
        i += 2;
        break;
      case "paragraph_open":
        prose.push({ kind: "paragraph", spans: spansOf(tokens[i + 1]!.children) });
        i += 2;
        break;
      case "bullet_list_open":
      case "ordered_list_open":
        prose.push({ kind: "list-open", ordered: t.type === "ordered_list_open" });
        break;
      case "bullet_list_close":
      case "ordered_list_close":
        prose.push({ kind: "list-close" });
        break;
      case "list_item_open":
        prose.push({ kind: "item" });
        break;
      case "fence": {
        const block = blockAt.get(i);
        prose.push(block === undefined ? { kind: "code", info: t.info, content: t.content } : { kind: "code", info: t.info, content: t.content, block });
        break;
      }
      case "code_block":
        prose.push({ kind: "code", content: t.content });
        break;
      default:
        break;
    }
  }
  return prose;
}
