// One parser per attribute of a step's fence (timeout=, exit=, requires=,
// redact=, hint=): each gives the value, or adds what is wrong to `problems`.

import { CAPABILITIES, isCapabilityName } from "./capability-names.js";
import type { BlockProblem } from "./file-path.js";
import { DEFAULT_TIMEOUT_SECONDS, type ExpectedExit, type Redaction } from "./model.js";

const REDACT = /^([A-Z][A-Z0-9_]*):(.+)$/s;

export function parseTimeout(raw: string | undefined, problems: BlockProblem[]): number {
  if (raw === undefined) return DEFAULT_TIMEOUT_SECONDS;
  const n = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || n <= 0 || n > 3600) {
    problems.push({ what: `timeout '${raw}' is not a number of seconds between 0 and 3600`, fix: "write e.g. timeout=20" });
    return DEFAULT_TIMEOUT_SECONDS;
  }
  return n;
}

export function parseExit(raw: string | undefined, problems: BlockProblem[]): ExpectedExit {
  if (raw === undefined) return 0;
  if (raw === "any") return "any";
  if (/^\d+$/.test(raw) && Number(raw) <= 255) return Number(raw);
  problems.push({ what: `exit '${raw}' is neither a status 0-255 nor 'any'`, fix: "write e.g. exit=1 or exit=any" });
  return 0;
}

export function parseRequires(raw: string | undefined, problems: BlockProblem[]): string[] {
  const requires: string[] = [];
  for (const cap of raw === undefined ? [] : raw.split(",")) {
    if (isCapabilityName(cap)) requires.push(cap);
    else problems.push({ what: `unknown capability '${cap}' in requires=`, fix: `use one of: ${Object.keys(CAPABILITIES).join(", ")}` });
  }
  return requires;
}

export function parseRedaction(value: string, problems: BlockProblem[]): Redaction | undefined {
  const m = REDACT.exec(value);
  if (!m) {
    problems.push({ what: `redact '${value}' is not NAME:REGEX`, fix: 'write e.g. redact="PID:[0-9]+" (NAME in capitals)' });
    return undefined;
  }
  try {
    new RegExp(m[2]!, "gm"); // compiled here only to report a bad expression at its line
  } catch (err) {
    problems.push({ what: `redact '${value}' has a bad regular expression: ${(err as Error).message}`, fix: "fix the expression (JavaScript syntax)" });
    return undefined;
  }
  return { name: m[1]!, source: m[2]!, flags: "gm" };
}

export function parseHint(value: string, problems: BlockProblem[]): string | undefined {
  if (value.trim() === "") {
    problems.push({ what: "hint= is empty", fix: 'write the hint, e.g. hint="unshare has an option for each namespace"' });
    return undefined;
  }
  return value.trim();
}
