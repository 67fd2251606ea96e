// The recorded output of each step, as the site shows it: lines read from a
// snapshot file, each marked literal (written with a leading `\`) or pattern.

import { SnapshotFileError } from "../errors.js";
import { parseSnapshot } from "../snapshot/format.js";
import { readBookFile } from "./book-file.js";

export interface OutputLine {
  text: string;
  /** Written with a leading `\` in the snapshot: shown as is, never a wildcard or placeholder. */
  literal: boolean;
}

export interface RecordedOutput {
  id: string;
  terminal: string;
  exit: number;
  lines: OutputLine[];
  /** The output did not end with a newline. */
  noFinalNewline: boolean;
}

const HEADER = /^=== step /;
const NO_NEWLINE = "\\ no newline at end of output";

/** Step id → recorded output; empty when the chapter has no snapshot file yet. Throws SnapshotFileError on a malformed file. */
export function readRecordedOutputs(file: string): Map<string, RecordedOutput> {
  const result = new Map<string, RecordedOutput>();
  const read = readBookFile(file);
  if (read.state === "missing") return result;
  if (read.state === "bad")
    throw new SnapshotFileError(file, 0, read.problem, `replace ${file} with the chapter's snapshot file, or delete it and run the chapter to record it anew`);
  const content = read.data.toString("utf8");
  // The snapshot module checks the file (and reports where it is wrong);
  // the raw lines tell which output lines were written escaped.
  const { sections } = parseSnapshot(file, content);
  const raw = content.split("\n");
  if (raw[raw.length - 1] === "") raw.pop();
  for (const s of sections) {
    const body: string[] = [];
    for (let i = s.line; i < raw.length && !HEADER.test(raw[i]!); i++) body.push(raw[i]!);
    const last = s === sections[sections.length - 1];
    if (!last && body.length > 0 && body[body.length - 1] === "") body.pop();
    let noFinalNewline = false;
    if (body.length > 0 && body[body.length - 1] === NO_NEWLINE) {
      body.pop();
      noFinalNewline = true;
    }
    const lines = body.map((l) => (l.startsWith("\\") ? { text: l.slice(1), literal: true } : { text: l, literal: false }));
    result.set(s.id, { id: s.id, terminal: s.terminal, exit: s.exit, lines, noFinalNewline });
  }
  return result;
}
