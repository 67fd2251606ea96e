// Reads a chapter's front matter, a YAML mapping between two `---` lines:
// `title:` (text) and optional `needs:` (a list of chapter references).
// Parsed by the yaml package; every problem carries the file line it is on.

import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node } from "yaml";

export interface FrontMatter {
  title: string;
  /** Chapter references as written, with the line each was written on. */
  needs: { ref: string; line: number }[];
  /** Number of lines the front matter takes, including both `---` lines: the body starts at this (0-based) line. */
  lineCount: number;
}

export interface FrontMatterProblem {
  line: number;
  what: string;
  fix: string;
}

const FORMAT_FIX = "start the file with:\n    ---\n    title: My chapter\n    needs: [chapter-01]\n    ---";
const KEYS = "title: (text) and needs: (a list of chapters)";

const isDelimiter = (line: string | undefined) => line !== undefined && line.replace(/\r$/, "").trimEnd() === "---";

/**
 * Front matter holds two keys: anything longer is refused before the YAML parser
 * sees it (its unique-key check takes time quadratic in the number of keys).
 */
const MAX_LINES = 100;
const MAX_CHARS = 4096;

/** The problem with front matter lines that are too many or too long, at the file line where the limit is passed. */
function sizeProblem(yamlLines: readonly string[]): FrontMatterProblem | undefined {
  let chars = 0;
  for (let i = 0; i < yamlLines.length; i++) {
    chars += yamlLines[i]!.length + 1;
    if (i < MAX_LINES && chars <= MAX_CHARS) continue;
    return {
      line: i + 2, // the YAML starts on the file's second line
      what: `the front matter is longer than ${i >= MAX_LINES ? `${MAX_LINES} lines` : `${MAX_CHARS} characters`} (it holds only title: and needs:)`,
      fix: "keep to title: and needs:, and close the front matter with a '---' line right after them (was it left open?)",
    };
  }
  return undefined;
}

export function parseFrontMatter(source: string): FrontMatter | FrontMatterProblem[] {
  const lines = source.replace(/^\uFEFF/, "").split("\n");
  if (!isDelimiter(lines[0])) {
    return [{ line: 1, what: "the chapter has no front matter", fix: FORMAT_FIX }];
  }
  const end = lines.findIndex((l, i) => i > 0 && isDelimiter(l));
  if (end < 0) {
    return [{ line: 1, what: "the front matter is not closed by a '---' line", fix: FORMAT_FIX }];
  }
  const tooLong = sizeProblem(lines.slice(1, end));
  if (tooLong) return [tooLong];
  const lineCounter = new LineCounter();
  const doc = parseDocument(lines.slice(1, end).join("\n"), { lineCounter, uniqueKeys: true, prettyErrors: false });
  // The YAML text starts on the file's second line.
  const lineAt = (offset: number | undefined) => (offset === undefined ? 1 : lineCounter.linePos(offset).line + 1);
  const lineOf = (node: Node | null | undefined) => lineAt(node?.range?.[0]);
  if (doc.errors.length > 0) {
    return doc.errors.map((e) => ({
      line: lineAt(e.pos[0]),
      what: `the front matter is not valid YAML: ${e.message.split("\n")[0]}`,
      fix: FORMAT_FIX,
    }));
  }
  const problems: FrontMatterProblem[] = [];
  const add = (line: number, what: string, fix: string) => problems.push({ line, what, fix });
  const contents = doc.contents;
  if (contents !== null && !isMap(contents)) {
    add(lineOf(contents), "the front matter must be 'key: value' lines", FORMAT_FIX);
    return problems;
  }
  let title: string | undefined;
  const needs: FrontMatter["needs"] = [];
  for (const pair of contents?.items ?? []) {
    const keyNode = pair.key as Node | null;
    const key = isScalar(keyNode) ? String(keyNode.value) : undefined;
    const keyLine = lineOf(keyNode);
    const value = pair.value as Node | null;
    if (key === "title") {
      if (!isScalar(value) || (typeof value.value !== "string" && typeof value.value !== "number")) {
        add(value ? lineOf(value) : keyLine, "title must be text", 'write title: "What the chapter shows"');
        continue;
      }
      title = String(value.value).trim();
      if (title === "") add(keyLine, "the title is empty", "write title: <what the chapter shows>");
    } else if (key === "needs") {
      if (value === null || (isScalar(value) && value.value === null)) continue; // `needs:` with nothing: none
      if (!isSeq(value)) {
        add(lineOf(value), "needs must be a list of chapters", "write needs: [chapter-05, chapter-06] (or one '- chapter-05' line per chapter)");
        continue;
      }
      for (const item of value.items as (Node | null)[]) {
        if (!isScalar(item) || (typeof item.value !== "string" && typeof item.value !== "number") || String(item.value).trim() === "") {
          add(item ? lineOf(item) : lineOf(value), "each entry of needs must be a chapter like chapter-05", "write needs: [chapter-05, chapter-06]");
          continue;
        }
        needs.push({ ref: String(item.value).trim(), line: lineOf(item) });
      }
    } else {
      add(keyLine, `unknown front matter key '${key ?? String(keyNode)}'`, `use only ${KEYS}`);
    }
  }
  if (title === undefined && !problems.some((p) => p.what.startsWith("title") || p.what.startsWith("the title"))) {
    add(1, "the front matter has no title", "add a line title: <what the chapter shows>");
  }
  if (problems.length > 0 || title === undefined) return problems;
  return { title, needs, lineCount: end + 1 };
}
