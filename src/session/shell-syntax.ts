// Whether a command a learner typed is complete, as a shell would judge it: an
// open quote, `if` without `fi`, a trailing `|` or `\`, a here-document still
// open ask for another line (a continuation prompt) rather than running it.

import { spawnSync } from "node:child_process";

const INCOMPLETE = /unexpected EOF while looking for matching|syntax error: unexpected end of file|here-document at line \d+ delimited by end-of-file/;

/** A line that ends in an odd number of backslashes continues on the next one. */
function endsInBackslash(text: string): boolean {
  const m = /\\+$/.exec(text);
  return m !== null && m[0].length % 2 === 1;
}

/** Without bash: quotes left open (a rough count; bash decides where it is there). */
function openQuote(text: string): boolean {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
    } else if (c === "\\") {
      i++;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
    } else if (c === "'" || c === '"') {
      quote = c;
    }
  }
  return quote !== undefined;
}

/** Whether `text` (the lines typed so far) needs more lines before a shell would run it. */
export function needsMore(text: string, bash = "bash"): boolean {
  if (endsInBackslash(text)) return true;
  const r = spawnSync(bash, ["--norc", "--noprofile", "-n"], { input: `${text}\n`, encoding: "utf8", timeout: 2000 });
  if (r.error) return openQuote(text);
  return INCOMPLETE.test(r.stderr);
}
