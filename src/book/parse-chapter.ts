// Parses one chapter file (Markdown via markdown-it) into the typed Chapter model.

import MarkdownIt from "markdown-it";
import type { ChapterProblem } from "../errors.js";
import { AttributeSyntaxError, parseInfo } from "./attributes.js";
import { buildBlock } from "./block.js";
import { parseFrontMatter } from "./front-matter.js";
import type { Block, Chapter } from "./model.js";

const md = new MarkdownIt();

export interface ParsedChapter {
  chapter: Chapter;
  /** needs as written, resolved by the book loader. */
  needRefs: { ref: string; line: number }[];
}

export const CHAPTER_FILE = /^chapter-(\d\d)-([a-z0-9][a-z0-9-]*)\.md$/;

function isClosingFence(line: string | undefined, markup: string): boolean {
  if (line === undefined) return false;
  const t = line.replace(/^[\s>]*/, "").trimEnd();
  const ch = markup[0]!;
  return t.length >= markup.length && [...t].every((c) => c === ch);
}

/** Parses `source` (the text of `file`, named `base`). Returns the chapter or its problems. */
export function parseChapter(file: string, base: string, source: string): ParsedChapter | ChapterProblem[] {
  const problems: ChapterProblem[] = [];
  const add = (line: number, what: string, fix: string) => problems.push({ file, line, what, fix });

  const name = CHAPTER_FILE.exec(base);
  if (!name) {
    add(1, `'${base}' is not a chapter file name`, "name chapter files chapter-NN-slug.md (NN = 01..12, slug in lower case)");
    return problems;
  }
  const number = Number(name[1]);
  const fm = parseFrontMatter(source);
  if (Array.isArray(fm)) {
    for (const p of fm) add(p.line, p.what, p.fix);
    return problems;
  }
  // Blank out the front matter so markdown-it's line numbers stay those of the file.
  const lines = source.split("\n");
  const body = [...Array<string>(fm.lineCount).fill(""), ...lines.slice(fm.lineCount)].join("\n");
  const tokens = md.parse(body, {});

  const blocks: Block[] = [];
  const stepIds = new Map<string, number>();
  let lead = "";
  // Where the prose before the next block starts (0-based line), for `intro`.
  let proseFrom = fm.lineCount;
  for (let t = 0; t < tokens.length; t++) {
    const tok = tokens[t]!;
    if (tok.type === "heading_open") lead = "";
    if (tok.type === "paragraph_open") lead = tokens[t + 1]?.content ?? "";
    if (tok.type !== "fence" || !tok.map) continue;
    const line = tok.map[0] + 1;
    const lastLine = tok.map[1] - 1;
    if (lastLine <= tok.map[0] || !isClosingFence(lines[lastLine], tok.markup)) {
      add(line, `the code fence opened here is never closed`, `close it with a line of ${tok.markup}`);
      continue;
    }
    let info;
    try {
      info = parseInfo(tok.info);
    } catch (err) {
      if (err instanceof AttributeSyntaxError) {
        add(line, err.message, err.fix);
        continue;
      }
      throw err;
    }
    if (info.attributes === undefined) continue; // prose block, never runs
    const text = tok.content.endsWith("\n") || tok.content === "" ? tok.content : `${tok.content}\n`;
    const intro = lines.slice(proseFrom, tok.map[0]).join("\n").trim();
    proseFrom = tok.map[1];
    const built = buildBlock(info.attributes, { lang: info.lang, text, line, lead, intro });
    if (Array.isArray(built)) {
      for (const p of built) add(line, p.what, p.fix);
      continue;
    }
    if (built.kind === "step") {
      const first = stepIds.get(built.id);
      if (first !== undefined) {
        add(line, `step id '${built.id}' is already used at line ${first}`, "give every step of a chapter its own id");
        continue;
      }
      stepIds.set(built.id, line);
    }
    blocks.push(built);
  }
  if (problems.length > 0) return problems;
  return {
    chapter: {
      id: `chapter-${name[1]}`,
      number,
      slug: name[2]!,
      title: fm.title,
      needs: [],
      file,
      blocks,
      source,
      bodyLine: fm.lineCount,
    },
    needRefs: fm.needs,
  };
}
