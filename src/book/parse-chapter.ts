// Parses one chapter file (Markdown via markdown-it) into the typed Chapter model.

import MarkdownIt from "markdown-it";
import type { ChapterProblem } from "../errors.js";
import { AttributeSyntaxError, parseInfo, type ParsedInfo } from "./attributes.js";
import { buildBlock } from "./block.js";
import { parseFrontMatter } from "./front-matter.js";
import type { Token } from "markdown-it";
import type { Block, Chapter, Step } from "./model.js";
import { proseOfTokens } from "./prose-parse.js";

const md = new MarkdownIt();

export interface ParsedChapter {
  chapter: Chapter;
  /** needs as written, resolved by the book loader. */
  needRefs: { ref: string; line: number }[];
}

const CHAPTER_FILE = /^chapter-(\d\d)-([a-z0-9][a-z0-9-]*)\.md$/;

/** A line that looks like the opening fence of a step or tangle block: ```sh {step=...}. */
const FENCE_LIKE = /^ {0,3}(`{3,}|~{3,})[^`{]*\{[^}]*\b(step|file|check|question)=/;

type Add = (line: number, what: string, fix: string) => void;

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

/** The chapter's number and slug from its file name, or undefined (the problem is added). */
function nameOf(base: string, add: Add): { number: number; nn: string; slug: string } | undefined {
  const name = CHAPTER_FILE.exec(base);
  if (!name) {
    add(1, `'${base}' is not a chapter file name`, "name chapter files chapter-NN-slug.md (NN = 01..99, slug in lower case)");
    return undefined;
  }
  if (name[1] === "00") {
    add(1, "chapter number 00 is out of range", `number chapters from 01 to 99 (chapter-01-${name[2]}.md, ...)`);
    return undefined;
  }
  return { number: Number(name[1]), nn: name[1]!, slug: name[2]! };
}

/** The source with Unix line ends, or undefined when it has a BOM or a stray carriage return (the problem is added). */
function normalizedSource(file: string, source: string, add: Add): string | undefined {
  if (source.startsWith("\ufeff")) {
    add(1, "the file starts with a byte order mark (BOM)", `save it as UTF-8 without a BOM (e.g. sed -i '1s/^\\xEF\\xBB\\xBF//' ${file})`);
    return undefined;
  }
  // Windows line ends work as an author expects: the chapter is read with Unix ones.
  const unix = source.replace(/\r\n/g, "\n");
  const cr = unix.indexOf("\r");
  if (cr < 0) return unix;
  const crlf = unix[cr + 1] === "\n";
  add(
    unix.slice(0, cr).split("\n").length,
    crlf ? "the file has Windows line ends (CRLF)" : "the line holds a carriage return (\\r)",
    crlf ? `convert it to Unix line ends (e.g. sed -i 's/\\r$//' ${file}, or dos2unix)` : "remove the carriage return; write \\r in a command as printf '\\r'",
  );
  return undefined;
}

/** The attributes of a fence, undefined for a prose block; problems (an unclosed fence, a swallowed step) are added. */
function fenceAttributes(tok: Token, lines: readonly string[], add: Add): ParsedInfo | undefined {
  const line = tok.map![0] + 1;
  const lastLine = tok.map![1] - 1;
  if (lastLine <= tok.map![0] || !isClosingFence(lines[lastLine], tok.markup)) {
    add(line, "the code fence opened here is never closed", `close it with a line of ${tok.markup}`);
    return undefined;
  }
  let info: ParsedInfo;
  try {
    info = parseInfo(tok.info);
  } catch (err) {
    if (!(err instanceof AttributeSyntaxError)) throw err;
    add(line, err.message, err.fix);
    return undefined;
  }
  const swallowed = swallowedFences(tok.content, line + 1);
  if (info.attributes === undefined) {
    // A prose block may show the step syntax as an example, inside a longer or
    // different fence. The same fence as its own cannot be an example: the block
    // was left open and the step after it would silently never run.
    for (const s of swallowed.filter((f) => f.markup === tok.markup)) {
      add(
        s.line,
        `'${s.text}' looks like the start of a step but is inside the prose block opened at line ${line}, so it would never run`,
        `close the block before it with a line of ${tok.markup}; to show the syntax as an example, open the block with ${tok.markup[0]!.repeat(tok.markup.length + 1)}`,
      );
    }
    return undefined;
  }
  for (const s of swallowed) {
    add(
      s.line,
      `'${s.text}' looks like the start of a step but is inside the block opened at line ${line} with ${tok.markup}, so it would run as part of that block`,
      `close the block before it with a line of ${tok.markup}${tok.markup.length > 3 || tok.markup[0] !== "`" ? " (or open it with ``` like the others)" : ""}`,
    );
  }
  return swallowed.length > 0 ? undefined : info;
}

/** Gives each step its check and question; each must follow its step, one of each per step. */
function linkPractice(blocks: readonly Block[], add: Add): void {
  const steps = new Map<string, Step>();
  for (const b of blocks) {
    if (b.kind === "step") steps.set(b.id, b);
    if (b.kind !== "check" && b.kind !== "question") continue;
    const step = steps.get(b.step);
    if (!step) {
      add(b.line, `${b.kind}=${b.step} names no step above it in this chapter`, `put the ${b.kind} block after the step it is about, and name that step's id`);
    } else if (step[b.kind]) {
      add(b.line, `step '${b.step}' already has a ${b.kind} (line ${step[b.kind]!.line})`, `give a step one ${b.kind} at most: merge the two`);
    } else if (b.kind === "check") {
      step.check = b;
    } else {
      step.question = b;
    }
  }
}

/** The chapter's blocks in document order, and where each step or file= fence is among the tokens. */
function blocksOf(tokens: Token[], lines: readonly string[], fmLines: number, add: Add): { blocks: Block[]; blockAt: Map<number, number> } {
  const blocks: Block[] = [];
  const blockAt = new Map<number, number>();
  const stepIds = new Map<string, number>();
  let lead = "";
  // Where the prose before the next block starts (0-based line), for `intro`.
  let proseFrom = fmLines;
  for (let t = 0; t < tokens.length; t++) {
    const tok = tokens[t]!;
    if (tok.type === "heading_open") lead = "";
    if (tok.type === "paragraph_open") lead = tokens[t + 1]?.content ?? "";
    if (tok.type !== "fence" || !tok.map) continue;
    const info = fenceAttributes(tok, lines, add);
    if (info?.attributes === undefined) continue;
    const line = tok.map[0] + 1;
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
    blockAt.set(t, blocks.length);
    blocks.push(built);
  }
  linkPractice(blocks, add);
  return { blocks, blockAt };
}

/** Parses `source` (the text of `file`, named `base`). Returns the chapter or its problems. */
export function parseChapter(file: string, base: string, source: string): ParsedChapter | ChapterProblem[] {
  const problems: ChapterProblem[] = [];
  const add: Add = (line, what, fix) => problems.push({ file, line, what, fix });
  const name = nameOf(base, add);
  const text = name && normalizedSource(file, source, add);
  if (!name || text === undefined) return problems;
  const fm = parseFrontMatter(text);
  if (Array.isArray(fm)) {
    for (const p of fm) add(p.line, p.what, p.fix);
    return problems;
  }
  // Blank out the front matter so markdown-it's line numbers stay those of the file.
  const lines = text.split("\n");
  const body = [...Array<string>(fm.lineCount).fill(""), ...lines.slice(fm.lineCount)].join("\n");
  const tokens = md.parse(body, {});
  const { blocks, blockAt } = blocksOf(tokens, lines, fm.lineCount, add);
  if (problems.length > 0) return problems;
  return {
    chapter: {
      id: `chapter-${name.nn}`,
      number: name.number,
      slug: name.slug,
      title: fm.title,
      needs: [],
      file,
      blocks,
      prose: proseOfTokens(tokens, blockAt),
      source: text,
      bodyLine: fm.lineCount,
    },
    needRefs: fm.needs,
  };
}
