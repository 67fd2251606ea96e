// The snapshot state of one chapter: compares step outputs, records new or
// changed sections per the update mode, finds obsolete sections, saves the file.

import { readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from "diff";
import { stepsOf, type Chapter, type Step } from "../book/model.js";
import { EnvironmentError, SnapshotFileError } from "../errors.js";
import { defaultComments, parseSnapshot, serializeSnapshot, type Section, type SnapshotFile } from "./format.js";
import { recordLine, takeNote, type RunValues } from "./normalize.js";
import { matchOutput } from "./pattern.js";
import { hasEmptySeen } from "./tokens.js";

/**
 * - `all`: rewrite changed sections (keeping wildcards that still match, with
 *   this run's seen values), fill in seen values still empty, drop obsolete ones;
 * - `new`: write only missing sections, leave the rest (the default outside CI);
 * - `none`: never write; a missing or obsolete section fails (CI).
 */
export type UpdateMode = "all" | "new" | "none";

/** Resolved once per run: CI never writes, --update rewrites, otherwise only new sections. */
export function resolveUpdateMode(options: { update: boolean; ci: boolean }): UpdateMode {
  if (options.ci) return "none";
  return options.update ? "all" : "new";
}

/** `note`: something the person recording should know (given once per run). */
type Verdict =
  | { kind: "passed" }
  | { kind: "written"; note?: string }
  | { kind: "updated"; diff: string; note?: string }
  | { kind: "mismatch"; diff: string }
  | { kind: "missing" };

export class SnapshotState {
  private readonly existing: Map<string, Section>;
  private readonly fresh = new Map<string, Section>();
  private readonly comments: string[];
  private readonly comparable: Set<string>;

  private constructor(
    readonly file: string,
    private readonly chapter: Chapter,
    readonly mode: UpdateMode,
    private readonly values: RunValues,
    parsed: SnapshotFile | undefined,
  ) {
    this.existing = new Map((parsed?.sections ?? []).map((s) => [s.id, s]));
    this.comments = parsed?.comments.length ? parsed.comments : defaultComments(chapter.id, chapter.title);
    this.comparable = new Set(
      stepsOf(chapter)
        .filter((s) => !s.background)
        .map((s) => s.id),
    );
  }

  /** Reads `file` if it exists; a malformed file throws SnapshotFileError. */
  static load(file: string, chapter: Chapter, mode: UpdateMode, values: RunValues): SnapshotState {
    return new SnapshotState(file, chapter, mode, values, readSnapshotFile(file));
  }

  /**
   * Compares one step's normalized output (normalize.ts, redactions applied) and
   * status with its section.
   */
  check(step: Step, actual: string, status: number): Verdict {
    const section = this.existing.get(step.id);
    const record = (text: string): Section => ({ id: step.id, terminal: step.terminal, exit: status, text, line: 0 });
    let noted: string | undefined;
    const rawLine = (l: string) => recordLine(l, this.values, (n) => (noted ??= n));
    const note = () => takeNote(this.values, noted);
    if (!section) {
      if (this.mode === "none") return { kind: "missing" };
      const text = actual === "" ? "" : matchOutput("", actual, this.values.bindings, rawLine).normalized;
      this.fresh.set(step.id, record(text));
      const n = note();
      return n ? { kind: "written", note: n } : { kind: "written" };
    }
    const result = matchOutput(section.text, actual, this.values.bindings, rawLine);
    const headerDiffers = section.terminal !== step.terminal || (step.exit !== "any" && section.exit !== status);
    if (result.matches && !headerDiffers) {
      // A matching section keeps its seen values, except that --update fills in those still empty ([..=]).
      if (this.mode !== "all" || !hasEmptySeen(section.text) || result.recorded === section.text) return { kind: "passed" };
      this.fresh.set(step.id, record(result.recorded));
      return { kind: "updated", diff: this.diff(section, result.recorded, step, status) };
    }
    const diff = this.diff(section, result.normalized, step, status);
    if (this.mode === "all") {
      this.fresh.set(step.id, record(result.recorded));
      const n = note();
      return n ? { kind: "updated", diff, note: n } : { kind: "updated", diff };
    }
    return { kind: "mismatch", diff };
  }

  /**
   * Whether `actual` (normalized) and `status` match the step's section, recording
   * nothing: how practice tells that what a learner typed printed the lesson.
   * A step with no section cannot be matched.
   */
  matches(step: Step, actual: string, status: number): boolean {
    const section = this.existing.get(step.id) ?? this.fresh.get(step.id);
    if (!section) return false;
    return matchOutput(section.text, actual, this.values.bindings).matches && (step.exit === "any" || section.exit === status);
  }

  private diff(section: Section, normalized: string, step: Step, status: number): string {
    const head: string[] = [];
    if (section.terminal !== step.terminal) head.push(`- terminal ${section.terminal}`, `+ terminal ${step.terminal}`);
    if (step.exit !== "any" && section.exit !== status) head.push(`- exit ${section.exit}`, `+ exit ${status}`);
    if (section.text === normalized) return head.join("\n");
    const patch = createTwoFilesPatch(`${this.file}:${section.line}`, "this run", section.text, normalized, undefined, undefined, {
      context: 3,
      headerOptions: FILE_HEADERS_ONLY,
      timeout: 2000,
    });
    const lines = (t: string) => t.split("\n").length - 1;
    const body =
      patch?.trimEnd() ??
      `--- ${this.file}:${section.line}\n+++ this run\n(too different to show as a diff: ${lines(section.text)} lines recorded, ${lines(normalized)} now)`;
    return [...head, body].filter((s) => s !== "").join("\n");
  }

  /** Section ids of steps that no longer exist (background steps have none). */
  obsolete(): string[] {
    return [...this.existing.keys()].filter((id) => !this.comparable.has(id));
  }

  /** The recorded section of a step, if any (for `read`, hints and practice). */
  section(stepId: string): Section | undefined {
    return this.existing.get(stepId) ?? this.fresh.get(stepId);
  }

  /** Writes the file when the mode allows and something changed. Returns whether it wrote. */
  save(): boolean {
    if (this.mode === "none") return false;
    const dropObsolete = this.mode === "all" && this.obsolete().length > 0;
    if (this.fresh.size === 0 && !dropObsolete) return false;
    const sections: Section[] = [];
    for (const step of stepsOf(this.chapter)) {
      const s = this.fresh.get(step.id) ?? this.existing.get(step.id);
      if (s && this.comparable.has(step.id)) sections.push(s);
    }
    if (this.mode === "new") {
      for (const id of this.obsolete()) sections.push(this.existing.get(id)!);
    }
    const content = serializeSnapshot({ comments: this.comments, sections });
    let before: string | undefined;
    try {
      before = readFileSync(this.file, "utf8");
    } catch {
      before = undefined;
    }
    if (content === before) return false;
    try {
      writeFileSync(this.file, content);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new EnvironmentError(`cannot write the snapshot file ${this.file}: ${e.code ?? e.message}`, {
        cause: err,
        hint: `make ${dirname(this.file)} writable for this user (or run with CI=true, which never writes snapshots)`,
      });
    }
    return true;
  }
}

/** The parsed file, or undefined when there is none; a directory or an unreadable file is a SnapshotFileError. */
function readSnapshotFile(file: string): SnapshotFile | undefined {
  let isFile: boolean;
  let isDir = false;
  try {
    const st = statSync(file);
    isFile = st.isFile();
    isDir = st.isDirectory();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new SnapshotFileError(file, 0, `cannot read it: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, "make it readable for this user");
  }
  if (!isFile) {
    throw new SnapshotFileError(
      file,
      0,
      `is ${isDir ? "a directory" : "not a regular file"}, not a snapshot file`,
      `move it out of the way (a run records the snapshot anew where none exists)`,
    );
  }
  let content: string;
  try {
    content = readFileSync(file, "utf8");
  } catch (err) {
    throw new SnapshotFileError(file, 0, `cannot read it: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, "make it readable for this user");
  }
  return parseSnapshot(file, content);
}
