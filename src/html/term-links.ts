// Links glossary terms in a chapter page to their entry on glossary.html: the
// first use of each term in the chapter's running text (not in headings, links
// or steps), a whole word or a whole code span. Each link has an id, so the
// glossary can point back at it.

import type { Token } from "markdown-it";
import { termMatcher } from "../book/glossary.js";
import type { Glossary, GlossaryEntry } from "../book/model.js";

export const GLOSSARY_PAGE = "glossary.html";

/** The id of a term's first use on a chapter page. */
export const useIdOf = (entry: GlossaryEntry) => `term-${entry.anchor}`;

type MakeToken = (type: string, tag: string, nesting: -1 | 0 | 1) => Token;

function linkOpen(make: MakeToken, entry: GlossaryEntry): Token {
  const t = make("link_open", "a", 1);
  t.attrSet("href", `${GLOSSARY_PAGE}#${entry.anchor}`);
  t.attrSet("class", "gloss");
  t.attrSet("id", useIdOf(entry));
  t.attrSet("title", `glossary: ${entry.term}`);
  return t;
}

function text(make: MakeToken, content: string): Token {
  const t = make("text", "", 0);
  t.content = content;
  return t;
}

/**
 * Rewrites the inline tokens of `tokens` in place; `used` collects the entries
 * linked, in order (each at most once per page).
 */
export function linkTerms(tokens: Token[], glossary: Glossary, make: MakeToken, used: GlossaryEntry[]): void {
  const match = termMatcher(glossary);
  let inHeading = false;
  for (const t of tokens) {
    if (t.type === "heading_open") inHeading = true;
    if (t.type === "heading_close") inHeading = false;
    if (t.type !== "inline" || inHeading || !t.children) continue;
    const out: Token[] = [];
    let inLink = 0;
    for (const c of t.children) {
      if (c.type === "link_open") inLink++;
      if (c.type === "link_close") inLink--;
      const exact = c.type === "code_inline" && inLink === 0 ? match.exact(c.content) : undefined;
      if (exact && !used.includes(exact)) {
        used.push(exact);
        out.push(linkOpen(make, exact), c, make("link_close", "a", -1));
        continue;
      }
      if (c.type !== "text" || inLink > 0) {
        out.push(c);
        continue;
      }
      let rest = c.content;
      let from = 0;
      for (let m = match.inText(rest, from); m; m = match.inText(rest, from)) {
        if (used.includes(m.entry)) {
          from = m.index + m.length;
          continue;
        }
        used.push(m.entry);
        out.push(text(make, rest.slice(0, m.index)), linkOpen(make, m.entry), text(make, rest.slice(m.index, m.index + m.length)), make("link_close", "a", -1));
        rest = rest.slice(m.index + m.length);
        from = 0;
      }
      out.push(text(make, rest));
    }
    t.children = out;
  }
}
