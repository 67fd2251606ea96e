// The typed model of a book: chapters, their executable steps and tangled files.
// Plain data throughout: the parsed book is cached as JSON and read back as is.

import type { Prose } from "./prose.js";

/** Expected exit status of a step: a number, or any status at all. */
export type ExpectedExit = number | "any";

/**
 * A step-declared redaction: every match of the regular expression (`source`,
 * `flags`) becomes `[NAME]`. Plain data, so the parsed book is plain JSON; the
 * expression is compiled where it is applied (snapshot/normalize.ts).
 */
export interface Redaction {
  name: string;
  source: string;
  flags: string;
}

/** An executable step: a fenced block with `step=ID`. */
export interface Step {
  kind: "step";
  id: string;
  /** Language of the fence (`sh`, `bash`, ...); informative. */
  lang: string;
  terminal: string;
  timeoutSeconds: number;
  exit: ExpectedExit;
  background: boolean;
  requires: string[];
  redactions: Redaction[];
  /** The command text, exactly as written, ending with a newline. */
  text: string;
  /** 1-based line of the opening fence in the chapter file. */
  line: number;
  /** The prose paragraph just before the block (for hints). */
  lead: string;
  /** The Markdown between the previous block and this one (for export). */
  intro: string;
  /** The author's hints for a learner who types the step (`hint=`), gentlest first. */
  hints: string[];
  /** The check of the state the step leaves (a `check=ID` block), if any. */
  check?: StepCheck;
  /** The question about live state the step is verified by (a `question=ID` block), if any. */
  question?: StepQuestion;
}

/**
 * A `check=STEP` block: a script run by a hidden host shell after the step (and
 * after each command a learner types for it). Exit 0: the state is as the step
 * leaves it; otherwise what it printed says what is wrong. Its leading `#`
 * comment lines say, for a learner, what the step must achieve.
 */
export interface StepCheck {
  kind: "check";
  step: string;
  text: string;
  line: number;
}

/**
 * A `question=STEP ask="..."` block: the question a learner answers about live
 * state after the step; the block's script prints the right answer (run by the
 * hidden host shell when the answer is checked).
 */
export interface StepQuestion {
  kind: "question";
  step: string;
  ask: string;
  text: string;
  line: number;
}

/** A tangle block: a fenced block with `file=PATH`; written, never run. */
export interface TangleFile {
  kind: "file";
  path: string;
  lang: string;
  text: string;
  executable: boolean;
  line: number;
  lead: string;
  intro: string;
}

export type Block = Step | TangleFile | StepCheck | StepQuestion;

export interface Chapter {
  /** Canonical id, `chapter-NN`. */
  id: string;
  number: number;
  slug: string;
  title: string;
  needs: string[];
  /** Absolute path of the Markdown file. */
  file: string;
  /** Steps and tangle blocks in document order. */
  blocks: Block[];
  /** The chapter's body as a terminal shows it, its step and file= blocks pointing into `blocks`. */
  prose: Prose;
  /** The Markdown source, for `read` and `export`. */
  source: string;
  /** The 0-based line where the body starts (after the front matter). */
  bodyLine: number;
}

/** One entry of the glossary: a `## term` heading and a short text. */
export interface GlossaryEntry {
  term: string;
  /** Other spellings a chapter may use (the entry's `Also:` line), for lookup and links. */
  also: string[];
  /** The fragment id of the entry (lower-case letters, digits, dashes; unique). */
  anchor: string;
  /** 1-based line of the heading in the glossary file. */
  line: number;
  /** The entry's text as a terminal shows it (without the `Also:` line). */
  prose: Prose;
  /** The entry's Markdown (without the `Also:` line), for the HTML edition. */
  markdown: string;
}

/** chapters/glossary.md: the terms a learner meets in the book. */
export interface Glossary {
  /** Absolute path of the file. */
  file: string;
  /** What comes before the first entry (after the `# Glossary` title), for a terminal and as Markdown. */
  intro: Prose;
  introMarkdown: string;
  entries: GlossaryEntry[];
}

export interface Book {
  /** Directory holding `chapters/` and `snapshots/`. */
  dir: string;
  chapters: Chapter[];
  /** chapters/glossary.md, when the book has one. */
  glossary?: Glossary;
}

export const DEFAULT_TIMEOUT_SECONDS = 30;
export const DEFAULT_TERMINAL = "host";

export function stepsOf(chapter: Chapter): Step[] {
  return chapter.blocks.filter((b): b is Step => b.kind === "step");
}
