// Turns a step's raw output into its comparable form: per-run values and the
// step's declared redactions become named placeholders.

import type { Redaction } from "../book/model.js";
import type { Bindings } from "./pattern.js";

export interface RunValues {
  /** Distinctive strings that differ per run, replaced wherever they appear: value → NAME. */
  replace: ReadonlyMap<string, string>;
  /**
   * Short values that may also appear by chance (uid, gid): not replaced in the
   * output; a snapshot's [UID] matches them, and newly recorded lines get them
   * as whole words when they are not 0.
   */
  bindings: Bindings;
}

export function makeRunValues(replace: Record<string, string>, bindings: Record<string, string>): RunValues {
  const r = new Map<string, string>();
  // Longest first, so /tmp/x/work wins over /tmp/x.
  for (const [name, value] of Object.entries(replace).sort((a, b) => b[1].length - a[1].length)) {
    if (value.length >= 4) r.set(value, name);
  }
  return { replace: r, bindings: new Map(Object.entries(bindings)) };
}

function replaceAll(text: string, value: string, by: string): string {
  return text.split(value).join(by);
}

/** Raw output → output with [NAME] for per-run values and redactions. */
export function normalizeOutput(raw: string, values: RunValues, redactions: readonly Redaction[]): string {
  let out = raw.replace(/\r\n/g, "\n");
  for (const [value, name] of values.replace) out = replaceAll(out, value, `[${name}]`);
  for (const r of redactions) {
    out = out.replace(r.pattern, (match, ...groups) => {
      const first = groups[0];
      if (typeof first === "string") return match.replace(first, `[${r.name}]`);
      return `[${r.name}]`;
    });
  }
  return out;
}

/** For lines being recorded: uid and gid (when not 0) as whole words become [UID] / [GID]. */
export function recordLine(line: string, values: RunValues): string {
  let out = line;
  const uid = values.bindings.get("UID");
  const gid = values.bindings.get("GID");
  const word = (v: string) => new RegExp(`(?<![\\w./-])${v}(?![\\w./-])`, "g");
  if (gid && gid !== "0" && gid !== uid) out = out.replace(word(gid), "[GID]");
  if (uid && uid !== "0") out = out.replace(word(uid), /gid|group/i.test(out) && uid === gid ? "[GID]" : "[UID]");
  return out;
}
