// Turns a fenced block's attributes into a Step or a TangleFile, or says what is wrong.

import { CAPABILITIES, isCapabilityName } from "./capability-names.js";
import type { RawAttribute } from "./attributes.js";
import { DEFAULT_TERMINAL, DEFAULT_TIMEOUT_SECONDS, type Block, type ExpectedExit, type Redaction } from "./model.js";

interface BlockProblem {
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

const NAME_MAX = 255;

/**
 * What is wrong with a file= path, if anything. A path names a regular file under
 * the work dir: relative, no empty, '.' or '..' components, no trailing '/', no
 * control characters, each component at most 255 bytes.
 */
export function filePathProblem(path: string): BlockProblem | undefined {
  const shown = JSON.stringify(path);
  if (path === "") return { what: "file= names no path (it is empty)", fix: "write file=PATH, e.g. file=bin/setup.sh" };
  if (path.startsWith("/") || path.split("/").includes("..")) {
    return { what: `file path ${shown} leaves the run's work dir`, fix: "use a relative path without '..'; it is written under the work dir" };
  }
  if (/[\u0000-\u001f\u007f-\u009f]/.test(path)) {
    return { what: `file path ${shown} has control characters`, fix: "use printable characters only, e.g. file=bin/setup.sh" };
  }
  if (path.endsWith("/")) {
    return { what: `file path ${shown} ends with '/': it names a directory, not a file`, fix: `name the file, e.g. file=${path}setup.sh` };
  }
  const parts = path.split("/");
  if (parts.includes(""))
    return { what: `file path ${shown} has an empty component ('//')`, fix: `write it with single slashes: file=${parts.filter(Boolean).join("/")}` };
  if (path === ".") return { what: `file path "." names the work dir itself, not a file`, fix: "name a file, e.g. file=setup.sh" };
  if (parts.includes(".")) {
    const clean = parts.filter((p) => p !== ".").join("/");
    return { what: `file path ${shown} has a '.' component`, fix: clean ? `write it as file=${clean}` : "name a file, e.g. file=setup.sh" };
  }
  const long = parts.find((p) => Buffer.byteLength(p) > NAME_MAX);
  if (long) return { what: `file path ${shown} has a component longer than ${NAME_MAX} bytes`, fix: "use shorter names" };
  return undefined;
}

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
    if (path !== undefined) {
      const bad = filePathProblem(path);
      if (bad) problems.push(bad);
    }
    if (problems.length > 0 || path === undefined) return problems;
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
      new RegExp(m[2]!, "gm"); // compiled here only to report a bad expression at its line
      redactions.push({ name: m[1]!, source: m[2]!, flags: "gm" });
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
