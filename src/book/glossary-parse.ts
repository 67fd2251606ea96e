// Parses chapters/glossary.md: an optional `# Glossary` title and introduction,
// then one `## term` heading per entry with a short text, and optionally a last
// paragraph `Also: other spelling, another.` Problems are reported at file:line.

import MarkdownIt from "markdown-it";
import type { Token } from "markdown-it";
import type { ChapterProblem } from "../errors.js";
import { anchorOf, namesOf } from "./glossary.js";
import type { Glossary, GlossaryEntry } from "./model.js";
import { proseOfTokens } from "./prose-parse.js";

const md = new MarkdownIt();

const ALSO = /^Also:\s*(.*?)\.?\s*$/s;

interface Draft {
  term: string;
  line: number;
  tokens: Token[];
}

const inlineText = (t: Token | undefined) => (t?.children ?? []).map((c) => (c.type === "softbreak" ? " " : c.content)).join("");

/** Splits the tokens into the introduction and one draft per `##` heading; other headings are problems. */
function drafts(tokens: Token[], add: (line: number, what: string, fix: string) => void): { intro: Token[]; entries: Draft[] } {
  const intro: Token[] = [];
  const entries: Draft[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const line = (t.map?.[0] ?? 0) + 1;
    if (t.type === "heading_open") {
      const text = inlineText(tokens[i + 1]).trim();
      i += 2;
      if (t.tag === "h1" && entries.length === 0 && i === 2) continue; // the title
      if (t.tag !== "h2") {
        add(line, `a level-${t.tag.slice(1)} heading ('${text}') in the glossary`, "give each term a level-2 heading (## term), and nothing else a heading");
        continue;
      }
      if (text === "") add(line, "an empty ## heading", "write the term after ##");
      entries.push({ term: text, line, tokens: [] });
      continue;
    }
    (entries.length ? entries[entries.length - 1]!.tokens : intro).push(t);
  }
  return { intro, entries };
}

/** The Markdown source of `tokens` (from the first to the last line they cover). */
function markdownOf(tokens: Token[], lines: string[]): string {
  const from = tokens.find((t) => t.map)?.map?.[0];
  const to = tokens.findLast((t) => t.map)?.map?.[1];
  return from === undefined || to === undefined ? "" : lines.slice(from, to).join("\n").trim();
}

/** One entry: its text (prose and Markdown) without the `Also:` paragraph, and that paragraph's spellings. */
function entryOf(d: Draft, lines: string[], add: (line: number, what: string, fix: string) => void): GlossaryEntry {
  let also: string[] = [];
  let body = d.tokens;
  const lastOpen = body.findLastIndex((t) => t.type === "paragraph_open");
  const last = lastOpen >= 0 ? ALSO.exec(inlineText(body[lastOpen + 1])) : null;
  if (last && lastOpen + 3 === body.length) {
    also = last[1]!
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    body = body.slice(0, lastOpen);
  }
  if (!body.some((t) => t.type === "paragraph_open")) add(d.line, `the term '${d.term}' has no text`, "write a short paragraph under its heading");
  return { term: d.term, also, anchor: anchorOf(d.term), line: d.line, prose: proseOfTokens(body, new Map()), markdown: markdownOf(body, lines) };
}

/** The glossary in `source` (the text of `file`), or its problems. */
export function parseGlossary(file: string, source: string): Glossary | ChapterProblem[] {
  const problems: ChapterProblem[] = [];
  const add = (line: number, what: string, fix: string) => problems.push({ file, line, what, fix });
  const text = source.replace(/\r\n?/g, "\n");
  const { intro, entries: list } = drafts(md.parse(text, {}), add);
  const lines = text.split("\n");
  const entries = list.map((d) => entryOf(d, lines, add));
  if (entries.length === 0) add(1, "the glossary has no terms", "give each term a level-2 heading (## term) and a short paragraph");
  const seen = new Map<string, GlossaryEntry>();
  const anchors = new Set<string>();
  for (const e of entries) {
    for (const name of namesOf(e)) {
      const key = name.toLowerCase();
      const other = seen.get(key);
      if (other && other !== e)
        add(e.line, `'${name}' is also a name of '${other.term}' (line ${other.line})`, "give every term and spelling to one entry only");
      seen.set(key, e);
    }
    let anchor = e.anchor;
    for (let n = 2; anchors.has(anchor); n++) anchor = `${e.anchor}-${n}`;
    e.anchor = anchor;
    anchors.add(anchor);
  }
  return problems.length > 0 ? problems : { file, intro: proseOfTokens(intro, new Map()), introMarkdown: markdownOf(intro, lines), entries };
}
