// Turns a step's raw output into its comparable form (per-run values and the
// step's redactions become named placeholders), and output lines into pattern
// lines when they are recorded.
//
// The rule for placeholders: the output is rewritten only where the text can be
// nothing but this run's own value. A per-run value (the work dir [WORK], the
// run id [RUN], the run's network [NET], [IP_HOST], [IP_CT]) is unique to this
// run, so it is replaced wherever it stands whole (a work dir /x/work is not
// replaced inside /x/work2; an address 10.1.2.1 not inside 10.1.2.14); the run
// id is made to be embedded in names (consh-[RUN], cb[RUN]h) and is replaced
// everywhere. A host fact (the invoking user's [UID] and [GID], where cgroup2
// is mounted [CGROUP2]) may equally be someone else's number or the
// container's own view (on a pure cgroup v2 host /sys/fs/cgroup is both the
// host's and the container's path), so it is never rewritten in the output: a
// snapshot's placeholder matches it (a binding), and a recorded line gets the
// placeholder only where it cannot mean anything else:
// - [UID] and [GID] for whole numbers, when the id is not 0 and uid ≠ gid;
//   when uid = gid the number is recorded as printed (a snapshot cannot tell
//   which one a step printed) and the run notes once that snapshots should be
//   recorded by a user whose uid and gid differ;
// - [CGROUP2] for the path as a whole path, unless it is /sys/fs/cgroup.

import type { Redaction } from "../book/model.js";
import { ANY_LINES, LITERAL, type Bindings } from "./pattern.js";
import { hasWildcard } from "./tokens.js";

interface Replacement {
  name: string;
  value: string;
  /** Finds the value where it stands whole. */
  re: RegExp;
}

export interface RunValues {
  /** Values unique to this run, replaced in the output: value → NAME, longest first. */
  replace: ReadonlyMap<string, string>;
  /** How each is found where it stands whole, in the same order. */
  finders: readonly Replacement[];
  /** Host facts a snapshot's placeholders match (UID → "1000"); never replaced in the output. */
  bindings: Bindings;
  /** Notes for the person recording, each given once per run (see takeNote). */
  readonly noted: Set<string>;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const WORD = "A-Za-z0-9_";
/** Before and after a path: not a path character, not a dot or dash that continues a name. */
const PATH = (v: string) => new RegExp(`(?<![${WORD}./-])${escapeRegExp(v)}(?![${WORD}]|[.-][${WORD}])`, "g");
/** An address (or the network's first three octets, followed by `.N`). */
const ADDRESS = (v: string) => new RegExp(`(?<![0-9.])${escapeRegExp(v)}(?![0-9]|\\.[0-9])`, "g");
const NETWORK = (v: string) => new RegExp(`(?<![0-9.])${escapeRegExp(v)}(?![0-9])`, "g");
const ANYWHERE = (v: string) => new RegExp(escapeRegExp(v), "g");
/** A number as a whole word: not part of a longer number, a name, a path or a version. */
const NUMBER = (v: string) => new RegExp(`(?<![${WORD}./-])${escapeRegExp(v)}(?![${WORD}./-])`, "g");

function finderFor(name: string, value: string): RegExp {
  if (name === "RUN") return ANYWHERE(value);
  if (name === "NET") return NETWORK(value);
  if (name.startsWith("IP_")) return ADDRESS(value);
  return PATH(value);
}

/**
 * `replace`: per-run values (WORK, RUN, NET, IP_*), replaced in the output.
 * `bindings`: host facts (UID, GID, CGROUP2), matched by placeholders only.
 */
export function makeRunValues(replace: Record<string, string>, bindings: Record<string, string>): RunValues {
  const r: Replacement[] = [];
  // Longest first, so the work dir wins over the run id inside it, an address over its network.
  for (const [name, value] of Object.entries(replace).sort((a, b) => b[1].length - a[1].length)) {
    if (value.length >= 4) r.push({ name, value, re: finderFor(name, value) });
  }
  return { replace: new Map(r.map((x) => [x.value, x.name])), finders: r, bindings: new Map(Object.entries(bindings)), noted: new Set() };
}

/** Runs the step's redactions (in order) on normalized text; see redact.ts for the bounded version. */
export function applyRedactions(text: string, redactions: readonly Redaction[]): string {
  let out = text;
  for (const r of redactions) {
    out = out.replace(new RegExp(r.source, r.flags), (match, ...groups) => {
      const first = groups[0];
      if (typeof first === "string") return match.replace(first, `[${r.name}]`);
      return `[${r.name}]`;
    });
  }
  return out;
}

/** Raw output → output with [NAME] for per-run values (redactions not applied). */
export function replaceRunValues(raw: string, values: RunValues): string {
  let out = raw.replace(/\r\n/g, "\n");
  for (const { name, re } of values.finders) out = out.replace(re, `[${name}]`);
  return out;
}

/** Raw output → output with [NAME] for per-run values and redactions. */
export function normalizeOutput(raw: string, values: RunValues, redactions: readonly Redaction[]): string {
  return applyRedactions(replaceRunValues(raw, values), redactions);
}

/** A note for the person recording, the first time it applies in this run; then undefined. */
export function takeNote(values: RunValues, note: string | undefined): string | undefined {
  if (note === undefined || values.noted.has(note)) return undefined;
  values.noted.add(note);
  return note;
}

export const SAME_UID_GID_NOTE =
  "uid and gid are the same number, so recorded ids stay literal numbers (a snapshot cannot tell [UID] from [GID]); record snapshots as a user whose uid and gid differ";

/** Whether an output line would be read as pattern syntax (so it is recorded as literal text). */
export function needsLiteral(line: string, bindings: Bindings): boolean {
  if (line.startsWith(LITERAL) || line.startsWith("=== ") || line === ANY_LINES || hasWildcard(line)) return true;
  for (const name of bindings.keys()) if (line.includes(`[${name}]`)) return true;
  return false;
}

/**
 * An output line (normalized) → the pattern line that records it: literal text
 * escaped, host facts as placeholders where unambiguous (see the top of this file).
 * `note` receives SAME_UID_GID_NOTE when a uid = gid number was kept literal.
 */
export function recordLine(line: string, values: RunValues, note?: (text: string) => void): string {
  if (needsLiteral(line, values.bindings)) return `${LITERAL}${line}`;
  let out = line;
  const uid = values.bindings.get("UID");
  const gid = values.bindings.get("GID");
  const cgroup2 = values.bindings.get("CGROUP2");
  if (cgroup2 && cgroup2 !== "/sys/fs/cgroup" && cgroup2.length >= 4) out = out.replace(PATH(cgroup2), "[CGROUP2]");
  if (uid !== undefined && uid === gid) {
    if (uid !== "0" && NUMBER(uid).test(out)) note?.(SAME_UID_GID_NOTE);
    return out;
  }
  if (uid && uid !== "0") out = out.replace(NUMBER(uid), "[UID]");
  if (gid && gid !== "0") out = out.replace(NUMBER(gid), "[GID]");
  return out;
}
