// Turns a fenced block's attributes into a block of the chapter (a step, a
// tangled file, a step's check or question), or says what is wrong: one
// function per kind of block, one parser per attribute (step-attributes.ts).

import type { RawAttribute } from "./attributes.js";
import { type BlockProblem, filePathProblem } from "./file-path.js";
import { DEFAULT_TERMINAL, type Block, type Step, type StepCheck, type StepQuestion, type TangleFile } from "./model.js";
import { parseExit, parseHint, parseRedaction, parseRequires, parseTimeout } from "./step-attributes.js";

export { filePathProblem };

interface FenceFacts {
  lang: string;
  text: string;
  line: number;
  lead: string;
  intro: string;
}

const ID = /^[A-Za-z0-9-]+$/;
const TERMINAL = /^[A-Za-z0-9_-]+$/;

/** The attributes each kind of block takes, its own key first. */
const KINDS = {
  step: ["step", "terminal", "timeout", "exit", "background", "requires", "redact", "hint"],
  file: ["file"],
  check: ["check"],
  question: ["question", "ask"],
} as const;
type Kind = keyof typeof KINDS;
const KNOWN = new Set<string>(["step", "file", ...Object.values(KINDS).flat()]);
const NOUN: Record<Kind, string> = { step: "a step", file: "a tangled file", check: "a step's check", question: "a step's question" };
const REPEATABLE = new Set(["redact", "hint"]);

/** The attributes of one fence by key, with what is wrong with them so far. */
class Attributes {
  readonly problems: BlockProblem[] = [];
  private readonly byKey = new Map<string, RawAttribute[]>();

  constructor(list: readonly RawAttribute[]) {
    for (const a of list) {
      if (!KNOWN.has(a.key)) {
        this.problems.push({ what: `unknown attribute '${a.key}'`, fix: `use only ${[...KNOWN].join(", ")} (see docs/chapter-format.md)` });
        continue;
      }
      const same = [...(this.byKey.get(a.key) ?? []), a];
      this.byKey.set(a.key, same);
      if (same.length === 2 && !REPEATABLE.has(a.key)) this.problems.push({ what: `attribute '${a.key}' is given twice`, fix: `keep one '${a.key}'` });
    }
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  /** Whether a bare flag such as `background` was given a value. */
  flagWithValue(key: string): boolean {
    return (this.byKey.get(key) ?? []).some((a) => a.value !== undefined);
  }

  keys(): string[] {
    return [...this.byKey.keys()];
  }

  /** The value of `key` (its first occurrence); a bare flag where a value is needed is a problem. */
  value(key: string): string | undefined {
    return this.valueOf(this.byKey.get(key)?.[0]);
  }

  /** Every value of a repeatable `key`. */
  values(key: string): string[] {
    return (this.byKey.get(key) ?? []).flatMap((a) => this.valueOf(a) ?? []);
  }

  private valueOf(a: RawAttribute | undefined): string | undefined {
    if (a && a.value === undefined) {
      this.problems.push({ what: `attribute '${a.key}' needs a value`, fix: `write ${a.key}=VALUE` });
      return undefined;
    }
    return a?.value;
  }
}

/** Which kind of block the attributes make, or the problem. */
function kindOf(attrs: Attributes): Kind | BlockProblem {
  const kinds = (Object.keys(KINDS) as Kind[]).filter((k) => attrs.has(k));
  if (kinds.length === 0) {
    return {
      what: "a block with attributes must name a step (step=ID), a file (file=PATH), or a step's check (check=ID) or question (question=ID)",
      fix: "add step=ID to run it, file=PATH to tangle it, or drop the braces to make it prose",
    };
  }
  if (kinds.length > 1) {
    const fix =
      kinds.includes("step") && kinds.includes("file")
        ? "split it into a file= block that defines the script and a step= block that runs it"
        : `keep one of ${kinds.map((k) => `${k}=`).join(", ")}: each is a block of its own`;
    return { what: `a block cannot be both ${kinds.map((k) => `${NOUN[k]} (${k}=)`).join(" and ")}`, fix };
  }
  const kind = kinds[0]!;
  const foreign = attrs.keys().filter((k) => !(KINDS[kind] as readonly string[]).includes(k));
  if (foreign.length > 0) return { what: `'${foreign[0]}' has no meaning on a ${kind}= block`, fix: `remove '${foreign[0]}'` };
  return kind;
}

function idOf(attrs: Attributes, key: Kind): string | undefined {
  const id = attrs.value(key);
  if (id !== undefined && !ID.test(id)) {
    attrs.problems.push({ what: `step id '${id}' has characters other than letters, digits and '-'`, fix: "use a step's id, e.g. step=start-container" });
  }
  return id;
}

function buildFile(attrs: Attributes, fence: FenceFacts): TangleFile | undefined {
  const path = attrs.value("file");
  const bad = path === undefined ? undefined : filePathProblem(path);
  if (bad) attrs.problems.push(bad);
  if (path === undefined) return undefined;
  return {
    kind: "file",
    path,
    lang: fence.lang,
    text: fence.text,
    executable: fence.text.startsWith("#!"),
    line: fence.line,
    lead: fence.lead,
    intro: fence.intro,
  };
}

function buildStep(attrs: Attributes, fence: FenceFacts): Step | undefined {
  const { problems } = attrs;
  const id = idOf(attrs, "step");
  const terminal = attrs.value("terminal") ?? DEFAULT_TERMINAL;
  if (!TERMINAL.test(terminal)) problems.push({ what: `terminal name '${terminal}' is not a simple name`, fix: "use letters, digits, '-' or '_'" });
  const timeoutSeconds = parseTimeout(attrs.value("timeout"), problems);
  const exit = parseExit(attrs.value("exit"), problems);
  const background = attrs.has("background");
  if (attrs.flagWithValue("background")) problems.push({ what: "'background' is a flag and takes no value", fix: "write just background" });
  if (background && attrs.has("exit")) {
    problems.push({ what: "'exit' has no meaning on a background step (it is not waited for)", fix: "remove exit= or background" });
  }
  const requires = parseRequires(attrs.value("requires"), problems);
  const redactions = attrs.values("redact").flatMap((v) => parseRedaction(v, problems) ?? []);
  const hints = attrs.values("hint").flatMap((v) => parseHint(v, problems) ?? []);
  if (id === undefined) return undefined;
  const { lang, text, line, lead, intro } = fence;
  return { kind: "step", id, lang, terminal, timeoutSeconds, exit, background, requires, redactions, text, line, lead, intro, hints };
}

function buildCheck(attrs: Attributes, fence: FenceFacts): StepCheck | undefined {
  const step = idOf(attrs, "check");
  if (fence.text.trim() === "")
    attrs.problems.push({ what: `check=${step ?? ""} has no script`, fix: "write the shell commands that inspect the state; exit 0 when it is right" });
  return step === undefined ? undefined : { kind: "check", step, text: fence.text, line: fence.line };
}

function buildQuestion(attrs: Attributes, fence: FenceFacts): StepQuestion | undefined {
  const step = idOf(attrs, "question");
  const ask = attrs.value("ask");
  if (!attrs.has("ask")) attrs.problems.push({ what: `question=${step ?? ""} asks nothing`, fix: 'add ask="THE QUESTION?"' });
  else if (ask !== undefined && ask.trim() === "")
    attrs.problems.push({ what: "ask= is empty", fix: 'write the question, e.g. ask="What is its PID on the host?"' });
  if (fence.text.trim() === "")
    attrs.problems.push({ what: `question=${step ?? ""} has no script`, fix: "write the shell commands that print the right answer" });
  return step === undefined || ask === undefined ? undefined : { kind: "question", step, ask: ask.trim(), text: fence.text, line: fence.line };
}

const BUILD: Record<Kind, (attrs: Attributes, fence: FenceFacts) => Block | undefined> = {
  step: buildStep,
  file: buildFile,
  check: buildCheck,
  question: buildQuestion,
};

/** Returns the block, or the problems found (each to be reported at the fence's line). */
export function buildBlock(attributes: RawAttribute[], fence: FenceFacts): Block | BlockProblem[] {
  const attrs = new Attributes(attributes);
  const kind = kindOf(attrs);
  if (typeof kind !== "string") return [...attrs.problems, kind];
  const block = BUILD[kind](attrs, fence);
  return attrs.problems.length > 0 || block === undefined ? attrs.problems : block;
}
