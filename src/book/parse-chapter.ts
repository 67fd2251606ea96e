// Parses one chapter file (Markdown via markdown-it) into the typed Chapter model.

import MarkdownIt from "markdown-it";
import type { ChapterProblem } from "../errors.js";
import { AttributeSyntaxError, parseInfo, type ParsedInfo } from "./attributes.js";
import { buildBlock } from "./block.js";
import { parseFrontMatter } from "./front-matter.js";
import type { Block, Chapter } from "./model.js";
import { proseOfTokens } from "./prose-parse.js";

const md = new MarkdownIt();

export interface ParsedChapter {
  chapter: Chapter;
  /** needs as written, resolved by the book loader. */
  needRefs: { ref: string; line: number }[];
}

const CHAPTER_FILE = /^chapter-(\d\d)-([a-z0-9][a-z0-9-]*)\.md$/;

/** Chapter numbers a book may use: two digits, 01..99 (the shipped book uses 01..12). */
const FIRST_CHAPTER = 1;
const LAST_CHAPTER = 99;

/** A line that looks like the opening fence of a step or tangle block: ```sh {step=...}. */
const FENCE_LIKE = /^ {0,3}(`{3,}|~{3,})[^`{]*\{[^}]*\b(step|file)=/;

/**
 * Lines inside a step or file block that look like the start of another one:
 * the block's fence was not closed (or was opened with a longer or different
 * fence), so the next step became part of this one's text.
 */
function swallowedFences(text: string, firstLine: number): { line: number; text: string; markup: string }[] {
  const found: { line: number; text: string; markup: string }[] = [];
  text.split("\n").forEach((l, i) => {
    const m = FENCE_LIKE.exec(l);
    if (m) found.push({ line: firstLine + i, text: l.trim(), markup: m[1]! });
  });
  return found;
}

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
    add(1, `'${base}' is not a chapter file name`, "name chapter files chapter-NN-slug.md (NN = 01..99, slug in lower case)");
    return problems;
  }
  const number = Number(name[1]);
  if (number < FIRST_CHAPTER || number > LAST_CHAPTER) {
    add(1, `chapter number ${name[1]} is out of range`, `number chapters from 01 to 99 (chapter-01-${name[2]}.md, ...)`);
    return problems;
  }
  if (source.startsWith("\ufeff")) {
    add(1, "the file starts with a byte order mark (BOM)", `save it as UTF-8 without a BOM (e.g. sed -i '1s/^\\xEF\\xBB\\xBF//' ${file})`);
    return problems;
  }
  // Windows line ends work as an author expects: the chapter is read with Unix ones.
  source = source.replace(/\r\n/g, "\n");
  const cr = source.indexOf("\r");
  if (cr >= 0) {
    const line = source.slice(0, cr).split("\n").length;
    const crlf = source[cr + 1] === "\n";
    add(
      line,
      crlf ? "the file has Windows line ends (CRLF)" : "the line holds a carriage return (\\r)",
      crlf
        ? `convert it to Unix line ends (e.g. sed -i 's/\\r$//' ${file}, or dos2unix)`
        : "remove the carriage return; write \\r in a command as printf '\\r'",
    );
    return problems;
  }
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
  /** Token index of each step or file= fence → its index in `blocks`. */
  const blockAt = new Map<number, number>();
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
    let info: ParsedInfo;
    try {
      info = parseInfo(tok.info);
    } catch (err) {
      if (err instanceof AttributeSyntaxError) {
        add(line, err.message, err.fix);
        continue;
      }
      throw err;
    }
    if (info.attributes === undefined) {
      // A prose block may show the step syntax as an example, inside a longer or
      // different fence. The same fence as its own cannot be an example: the block
      // was left open and the step after it would silently never run.
      for (const s of swallowedFences(tok.content, line + 1).filter((f) => f.markup === tok.markup)) {
        add(
          s.line,
          `'${s.text}' looks like the start of a step but is inside the prose block opened at line ${line}, so it would never run`,
          `close the block before it with a line of ${tok.markup}; to show the syntax as an example, open the block with ${tok.markup[0]!.repeat(tok.markup.length + 1)}`,
        );
      }
      continue; // prose block, never runs
    }
    const text = tok.content.endsWith("\n") || tok.content === "" ? tok.content : `${tok.content}\n`;
    const intro = lines.slice(proseFrom, tok.map[0]).join("\n").trim();
    proseFrom = tok.map[1];
    const swallowed = swallowedFences(tok.content, line + 1);
    for (const s of swallowed) {
      add(
        s.line,
        `'${s.text}' looks like the start of a step but is inside the block opened at line ${line} with ${tok.markup}, so it would run as part of that block`,
        `close the block before it with a line of ${tok.markup}${tok.markup.length > 3 || tok.markup[0] !== "`" ? " (or open it with ``` like the others)" : ""}`,
      );
    }
    if (swallowed.length > 0) continue;
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
    blockAt.set(t, blocks.length);
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
      prose: proseOfTokens(tokens, blockAt),
      source,
      bodyLine: fm.lineCount,
    },
    needRefs: fm.needs,
  };
}
