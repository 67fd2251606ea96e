// Reads a chapter's front matter: `title:` and optional `needs: [chapter-05, ...]`.

export interface FrontMatter {
  title: string;
  /** Chapter references as written, with the line each was written on. */
  needs: { ref: string; line: number }[];
  /** Number of lines the front matter takes, including both `---` lines. */
  lineCount: number;
}

export interface FrontMatterProblem {
  line: number;
  what: string;
  fix: string;
}

const FORMAT_FIX = "start the file with:\n    ---\n    title: My chapter\n    needs: [chapter-01]\n    ---";

function unquote(s: string): string {
  const t = s.trim();
  if (t.length >= 2 && ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'")))) {
    return t.slice(1, -1);
  }
  return t;
}

export function parseFrontMatter(source: string): FrontMatter | FrontMatterProblem[] {
  const lines = source.split("\n");
  if (lines[0]?.trimEnd() !== "---") {
    return [{ line: 1, what: "the chapter has no front matter", fix: FORMAT_FIX }];
  }
  const end = lines.findIndex((l, i) => i > 0 && l.trimEnd() === "---");
  if (end < 0) {
    return [{ line: 1, what: "the front matter is not closed by a '---' line", fix: FORMAT_FIX }];
  }
  const problems: FrontMatterProblem[] = [];
  let title: string | undefined;
  const needs: FrontMatter["needs"] = [];
  const seen = new Set<string>();
  for (let i = 1; i < end; i++) {
    const line = lines[i]!;
    const lineNo = i + 1;
    if (line.trim() === "" || line.trimStart().startsWith("#")) continue;
    const m = /^([A-Za-z][\w-]*):(.*)$/.exec(line);
    if (!m) {
      problems.push({ line: lineNo, what: `front matter line '${line}' is not 'key: value'`, fix: FORMAT_FIX });
      continue;
    }
    const key = m[1]!;
    const value = m[2]!.trim();
    if (seen.has(key)) {
      problems.push({ line: lineNo, what: `front matter key '${key}' is given twice`, fix: `keep one '${key}:' line` });
      continue;
    }
    seen.add(key);
    if (key === "title") {
      title = unquote(value);
      if (title === "") problems.push({ line: lineNo, what: "the title is empty", fix: "write title: <what the chapter shows>" });
    } else if (key === "needs") {
      if (!/^\[.*\]$/.test(value)) {
        problems.push({ line: lineNo, what: `needs must be a list like [chapter-05, chapter-06], not '${value}'`, fix: "write needs: [chapter-05, chapter-06]" });
        continue;
      }
      const inner = value.slice(1, -1).trim();
      if (inner === "") continue;
      for (const item of inner.split(",")) {
        const ref = unquote(item);
        if (ref === "") {
          problems.push({ line: lineNo, what: "needs has an empty entry", fix: "remove the extra comma" });
        } else {
          needs.push({ ref, line: lineNo });
        }
      }
    } else {
      problems.push({ line: lineNo, what: `unknown front matter key '${key}'`, fix: "use only title: and needs:" });
    }
  }
  if (title === undefined && !problems.some((p) => p.what.startsWith("the title"))) {
    problems.push({ line: 1, what: "the front matter has no title", fix: "add a line title: <what the chapter shows>" });
  }
  if (problems.length > 0 || title === undefined) return problems;
  return { title, needs, lineCount: end + 1 };
}
