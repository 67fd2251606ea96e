// The snapshot state of one chapter: compares step outputs, records new or
// changed sections per the update mode, finds obsolete sections, saves the file.

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createTwoFilesPatch } from "diff";
import { stepsOf, type Chapter, type Step } from "../book/model.js";
import { defaultComments, parseSnapshot, serializeSnapshot, type Section, type SnapshotFile } from "./format.js";
import { normalizeOutput, recordLine, type RunValues } from "./normalize.js";
import { matchOutput } from "./pattern.js";

/**
 * - `all`: rewrite changed sections (keeping wildcards that still match), drop obsolete ones;
 * - `new`: write only missing sections, leave the rest (the default outside CI);
 * - `none`: never write; a missing or obsolete section fails (CI).
 */
export type UpdateMode = "all" | "new" | "none";

/** Resolved once per run: CI never writes, --update rewrites, otherwise only new sections. */
export function resolveUpdateMode(options: { update: boolean; ci: boolean }): UpdateMode {
  if (options.ci) return "none";
  return options.update ? "all" : "new";
}

export type Verdict =
  | { kind: "passed" }
  | { kind: "written" }
  | { kind: "updated"; diff: string }
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
    this.comparable = new Set(stepsOf(chapter).filter((s) => !s.background).map((s) => s.id));
  }

  /** Reads `file` if it exists; a malformed file throws SnapshotFileError. */
  static load(file: string, chapter: Chapter, mode: UpdateMode, values: RunValues): SnapshotState {
    const parsed = existsSync(file) ? parseSnapshot(file, readFileSync(file, "utf8")) : undefined;
    return new SnapshotState(file, chapter, mode, values, parsed);
  }

  /** Compares one step's raw output and status with its section. */
  check(step: Step, rawOutput: string, status: number): Verdict {
    const actual = normalizeOutput(rawOutput, this.values, step.redactions);
    const section = this.existing.get(step.id);
    const record = (text: string): Section => ({ id: step.id, terminal: step.terminal, exit: status, text, line: 0 });
    if (!section) {
      if (this.mode === "none") return { kind: "missing" };
      const text = actual === "" ? "" : matchOutput("", actual, this.values.bindings, (l) => recordLine(l, this.values)).normalized;
      this.fresh.set(step.id, record(text));
      return { kind: "written" };
    }
    const result = matchOutput(section.text, actual, this.values.bindings, (l) => recordLine(l, this.values));
    const headerDiffers = section.terminal !== step.terminal || (step.exit !== "any" && section.exit !== status);
    if (result.matches && !headerDiffers) return { kind: "passed" };
    const diff = this.diff(section, result.normalized, step, status);
    if (this.mode === "all") {
      this.fresh.set(step.id, record(result.normalized));
      return { kind: "updated", diff };
    }
    return { kind: "mismatch", diff };
  }

  private diff(section: Section, normalized: string, step: Step, status: number): string {
    const head: string[] = [];
    if (section.terminal !== step.terminal) head.push(`- terminal ${section.terminal}`, `+ terminal ${step.terminal}`);
    if (step.exit !== "any" && section.exit !== status) head.push(`- exit ${section.exit}`, `+ exit ${status}`);
    if (section.text === normalized) return head.join("\n");
    const patch = createTwoFilesPatch(`${this.file}:${section.line}`, "this run", section.text, normalized, undefined, undefined, { context: 3 });
    const body = patch
      .split("\n")
      .filter((l) => !l.startsWith("====="))
      .join("\n")
      .trimEnd();
    return [...head, body].filter((s) => s !== "").join("\n");
  }

  /** Section ids of steps that no longer exist (background steps have none). */
  obsolete(): string[] {
    return [...this.existing.keys()].filter((id) => !this.comparable.has(id));
  }

  /** The recorded section of a step, if any (for `read` and hints). */
  section(stepId: string): Section | undefined {
    return this.existing.get(stepId);
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
    const before = existsSync(this.file) ? readFileSync(this.file, "utf8") : undefined;
    if (content === before) return false;
    writeFileSync(this.file, content);
    return true;
  }
}
