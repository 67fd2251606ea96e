// Reads and writes snapshot files (`snapshots/chapter-NN.snap`): one section per step.
//
//   # comment lines and blank lines before the first section
//   === step ID (terminal NAME, exit N)
//   output line
//   ...
//   <one blank line between sections>
//
// An output line that starts with "=== step " or "\" is written with a "\" in
// front. Output that does not end in a newline gets a last line
// "\ no newline at end of output". Nothing in the file is ever evaluated.

import { SnapshotFileError } from "../errors.js";

export interface Section {
  id: string;
  terminal: string;
  exit: number;
  /** The expected output, a pattern (see pattern.ts). */
  text: string;
  /** Line of the section header in the file (0 for new sections). */
  line: number;
}

export interface SnapshotFile {
  comments: string[];
  sections: Section[];
}

const HEADER = /^=== step ([A-Za-z0-9-]+) \(terminal ([A-Za-z0-9_-]+), exit (\d+)\)$/;
const NO_NEWLINE = "\\ no newline at end of output";

export function parseSnapshot(file: string, content: string): SnapshotFile {
  const lines = content.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const comments: string[] = [];
  const sections: Section[] = [];
  const seen = new Map<string, number>();
  let current: { section: Section; body: string[] } | undefined;
  const close = (last: boolean) => {
    if (!current) return;
    const body = current.body;
    // Sections are separated by one blank line; the last one has none after it.
    if (!last && body.length > 0 && body[body.length - 1] === "") body.pop();
    let newline = true;
    if (body.length > 0 && body[body.length - 1] === NO_NEWLINE) {
      body.pop();
      newline = false;
    }
    const text = body.map((l) => (l.startsWith("\\") ? l.slice(1) : l)).join("\n");
    current.section.text = body.length === 0 ? "" : newline ? `${text}\n` : text;
    sections.push(current.section);
  };
  lines.forEach((line, index) => {
    const lineNo = index + 1;
    if (line.startsWith("=== ")) {
      const m = HEADER.exec(line);
      if (!m) throw new SnapshotFileError(file, lineNo, `'${line}' is not a section header like '=== step ID (terminal host, exit 0)'`);
      const first = seen.get(m[1]!);
      if (first !== undefined) throw new SnapshotFileError(file, lineNo, `step '${m[1]}' has a second section (the first is at line ${first})`);
      seen.set(m[1]!, lineNo);
      close(false);
      current = { section: { id: m[1]!, terminal: m[2]!, exit: Number(m[3]), text: "", line: lineNo }, body: [] };
      return;
    }
    if (current) {
      current.body.push(line);
    } else if (line === "" || line.startsWith("#")) {
      comments.push(line);
    } else {
      throw new SnapshotFileError(file, lineNo, `text '${line.slice(0, 40)}' before the first '=== step' section`);
    }
  });
  close(true);
  return { comments, sections };
}

function sectionLines(section: Section): string[] {
  const out = [`=== step ${section.id} (terminal ${section.terminal}, exit ${section.exit})`];
  if (section.text !== "") {
    const newline = section.text.endsWith("\n");
    const body = (newline ? section.text.slice(0, -1) : section.text).split("\n");
    for (const l of body) out.push(l.startsWith("=== step ") || l.startsWith("\\") ? `\\${l}` : l);
    if (!newline) out.push(NO_NEWLINE);
  }
  return out;
}

export function serializeSnapshot(snapshot: SnapshotFile): string {
  const lines = [...snapshot.comments];
  if (lines.length > 0 && lines[lines.length - 1] !== "") lines.push("");
  snapshot.sections.forEach((s, i) => {
    if (i > 0) lines.push("");
    lines.push(...sectionLines(s));
  });
  return `${lines.join("\n")}\n`;
}

export function defaultComments(chapterId: string, title: string): string[] {
  return [
    `# consh-book snapshot of ${chapterId}: ${title}`,
    "# One section per step: its terminal, its exit status and its output. Before",
    "# comparing, per-run values become [WORK], [RUN], [UID], [GID] ...; here [..]",
    "# matches any text within a line and a line '...' any number of lines.",
    "",
  ];
}
