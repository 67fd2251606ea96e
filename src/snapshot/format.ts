// Reads and writes snapshot files (`snapshots/chapter-NN.snap`): one section per step.
//
//   # comment lines and blank lines before the first section
//   === step ID (terminal NAME, exit N)
//   output line
//   ...
//   <one blank line between sections>
//
// A section's body is a pattern (pattern.ts), kept as written: `[..]` is any
// text within a line, `[LO..HI]` a number in a band, either with `=SEEN` (the
// recording host's value, never compared: tokens.ts), a line `...` any number
// of lines, a line starting with "\" is literal text (the rest, compared
// exactly). When recording, an output line that starts with "\" or "=== ",
// equals "...", or contains one of those wildcards or a
// bound placeholder such as "[UID]" is written as "\" + the line, so what is
// recorded reads back as exactly what was printed. Output that does not end in
// a newline gets a last line "\ no newline at end of output". The file is
// UTF-8 with "\n" line ends and no byte-order mark. Nothing in it is ever evaluated.

import { SnapshotFileError } from "../errors.js";
import { emptyBand } from "./tokens.js";

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
  if (content.startsWith("\uFEFF")) {
    throw new SnapshotFileError(
      file,
      1,
      "the file starts with a byte-order mark (BOM); snapshot files are UTF-8 without one",
      "save it without the BOM (e.g. sed -i '1s/^\\xEF\\xBB\\xBF//' FILE)",
    );
  }
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
    const text = body.join("\n");
    current.section.text = body.length === 0 ? "" : newline ? `${text}\n` : text;
    sections.push(current.section);
  };
  // An output line may end in a carriage return (a step printed one); a header,
  // comment or blank line outside a section never does, unless the file's line ends are CRLF.
  const crlf = (lineNo: number) =>
    new SnapshotFileError(
      file,
      lineNo,
      "the file has Windows (CRLF) line ends; snapshot files end lines with \\n only",
      "convert it (dos2unix FILE); if git converted it, set core.autocrlf=false and check it out again",
    );
  lines.forEach((line, index) => {
    const lineNo = index + 1;
    if (line.endsWith("\r") && (line.startsWith("=== ") || !current)) throw crlf(lineNo);
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
      const band = line.startsWith("\\") ? undefined : emptyBand(line);
      if (band)
        throw new SnapshotFileError(
          file,
          lineNo,
          `the band ${band} can match no number: its low end is above its high end`,
          "write the lower number first, e.g. [40..49]",
        );
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
    // A pattern line never starts with "=== " (the recorder escapes it); if one does, it is kept as literal text.
    for (const l of body) out.push(l.startsWith("=== ") ? `\\${l}` : l);
    if (!newline) out.push(NO_NEWLINE);
  }
  return out;
}

export function serializeSnapshot(snapshot: SnapshotFile): string {
  // No push(...spread): a section may have hundreds of thousands of lines.
  const lines = snapshot.comments.slice();
  if (lines.length > 0 && lines[lines.length - 1] !== "") lines.push("");
  snapshot.sections.forEach((s, i) => {
    if (i > 0) lines.push("");
    for (const l of sectionLines(s)) lines.push(l);
  });
  return `${lines.join("\n")}\n`;
}

export function defaultComments(chapterId: string, title: string): string[] {
  return [
    `# consh-book snapshot of ${chapterId}: ${title}`,
    "# One section per step: its terminal, its exit status and its output. Before",
    "# comparing, per-run values become [WORK], [RUN], [UID], [GID] ...; here [..]",
    "# matches any text within a line, [LO..HI] a number from LO to HI, a line",
    "# '...' any number of lines, and a line starting with '\\' is literal text.",
    "# [..=SEEN] and [LO..HI=SEEN] also keep what the recording host printed there",
    "# (shown by read and the HTML edition, never compared).",
    "",
  ];
}
