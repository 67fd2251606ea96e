// Turns a fenced block's attributes into a Step or a TangleFile, or says what is wrong.

import { CAPABILITIES, isCapabilityName } from "../host/capability-names.js";
import type { RawAttribute } from "./attributes.js";
import { DEFAULT_TERMINAL, DEFAULT_TIMEOUT_SECONDS, type Block, type ExpectedExit, type Redaction } from "./model.js";

export interface BlockProblem {
  what: string;
  fix: string;
}

interface FenceFacts {
  lang: string;
  text: string;
  line: number;
  lead: string;
  intro: string;
}

const STEP_ID = /^[A-Za-z0-9-]+$/;
const TERMINAL = /^[A-Za-z0-9_-]+$/;
const REDACT = /^([A-Z][A-Z0-9_]*):(.+)$/s;
const STEP_ONLY = ["terminal", "timeout", "exit", "background", "requires", "redact"];
const KNOWN = new Set(["step", "file", ...STEP_ONLY]);
const REPEATABLE = new Set(["redact"]);

/** Returns the block, or the problems found (each to be reported at the fence's line). */
export function buildBlock(attributes: RawAttribute[], fence: FenceFacts): Block | BlockProblem[] {
  const problems: BlockProblem[] = [];
  const seen = new Map<string, RawAttribute[]>();
  for (const a of attributes) {
    if (!KNOWN.has(a.key)) {
      problems.push({
        what: `unknown attribute '${a.key}'`,
        fix: `use only ${[...KNOWN].join(", ")} (see README, "Chapter format")`,
      });
      continue;
    }
    const list = seen.get(a.key) ?? [];
    list.push(a);
    seen.set(a.key, list);
    if (list.length === 2 && !REPEATABLE.has(a.key)) {
      problems.push({ what: `attribute '${a.key}' is given twice`, fix: `keep one '${a.key}'` });
    }
  }
  const one = (key: string) => seen.get(key)?.[0];
  const needValue = (a: RawAttribute | undefined): string | undefined => {
    if (a && a.value === undefined) {
      problems.push({ what: `attribute '${a.key}' needs a value`, fix: `write ${a.key}=VALUE` });
      return undefined;
    }
    return a?.value;
  };

  const stepAttr = one("step");
  const fileAttr = one("file");
  if (stepAttr && fileAttr) {
    problems.push({
      what: "a block cannot be both a step (step=) and a tangled file (file=)",
      fix: "split it into a file= block that defines the script and a step= block that runs it",
    });
    return problems;
  }
  if (!stepAttr && !fileAttr) {
    problems.push({
      what: "a block with attributes must name a step (step=ID) or a file (file=PATH)",
      fix: "add step=ID to run it, file=PATH to tangle it, or drop the braces to make it prose",
    });
    return problems;
  }

  if (fileAttr) {
    const path = needValue(fileAttr);
    for (const key of STEP_ONLY) {
      if (seen.has(key)) problems.push({ what: `'${key}' has no meaning on a file= block`, fix: `remove '${key}'` });
    }
    if (path !== undefined && (path.startsWith("/") || path.split("/").includes(".."))) {
      problems.push({
        what: `file path '${path}' leaves the run's work dir`,
        fix: "use a relative path without '..'; it is written under the work dir",
      });
    }
    if (problems.length > 0 || path === undefined) return problems;
    return { kind: "file", path, lang: fence.lang, text: fence.text, executable: fence.text.startsWith("#!"), line: fence.line, lead: fence.lead, intro: fence.intro };
  }

  const id = needValue(stepAttr);
  if (id !== undefined && !STEP_ID.test(id)) {
    problems.push({ what: `step id '${id}' has characters other than letters, digits and '-'`, fix: "rename the step, e.g. step=start-container" });
  }
  const terminal = needValue(one("terminal")) ?? DEFAULT_TERMINAL;
  if (!TERMINAL.test(terminal)) {
    problems.push({ what: `terminal name '${terminal}' is not a simple name`, fix: "use letters, digits, '-' or '_'" });
  }
  let timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
  const timeoutRaw = needValue(one("timeout"));
  if (timeoutRaw !== undefined) {
    const n = Number(timeoutRaw);
    if (!/^\d+(\.\d+)?$/.test(timeoutRaw) || n <= 0 || n > 3600) {
      problems.push({ what: `timeout '${timeoutRaw}' is not a number of seconds between 0 and 3600`, fix: "write e.g. timeout=20" });
    } else {
      timeoutSeconds = n;
    }
  }
  let exit: ExpectedExit = 0;
  const exitRaw = needValue(one("exit"));
  if (exitRaw !== undefined) {
    if (exitRaw === "any") exit = "any";
    else if (/^\d+$/.test(exitRaw) && Number(exitRaw) <= 255) exit = Number(exitRaw);
    else problems.push({ what: `exit '${exitRaw}' is neither a status 0-255 nor 'any'`, fix: "write e.g. exit=1 or exit=any" });
  }
  const bg = one("background");
  if (bg && bg.value !== undefined) {
    problems.push({ what: "'background' is a flag and takes no value", fix: "write just background" });
  }
  if (bg && exitRaw !== undefined) {
    problems.push({ what: "'exit' has no meaning on a background step (it is not waited for)", fix: "remove exit= or background" });
  }
  const requires: string[] = [];
  const reqRaw = needValue(one("requires"));
  if (reqRaw !== undefined) {
    for (const cap of reqRaw.split(",")) {
      if (!isCapabilityName(cap)) {
        problems.push({ what: `unknown capability '${cap}' in requires=`, fix: `use one of: ${Object.keys(CAPABILITIES).join(", ")}` });
      } else {
        requires.push(cap);
      }
    }
  }
  const redactions: Redaction[] = [];
  for (const r of seen.get("redact") ?? []) {
    const value = needValue(r);
    if (value === undefined) continue;
    const m = REDACT.exec(value);
    if (!m) {
      problems.push({ what: `redact '${value}' is not NAME:REGEX`, fix: 'write e.g. redact="PID:[0-9]+" (NAME in capitals)' });
      continue;
    }
    try {
      redactions.push({ name: m[1]!, pattern: new RegExp(m[2]!, "gm") });
    } catch (err) {
      problems.push({ what: `redact '${value}' has a bad regular expression: ${(err as Error).message}`, fix: "fix the expression (JavaScript syntax)" });
    }
  }
  if (problems.length > 0 || id === undefined) return problems;
  return {
    kind: "step",
    id,
    lang: fence.lang,
    terminal,
    timeoutSeconds,
    exit,
    background: bg !== undefined,
    requires,
    redactions,
    text: fence.text,
    line: fence.line,
    lead: fence.lead,
    intro: fence.intro,
  };
}
