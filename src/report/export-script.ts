// Turns chapters into one plain POSIX shell script a learner can read and run
// by hand: the prose as comments, tangled files as heredocs, steps in order,
// and the steps of other terminals in clearly marked sections.

import { DEFAULT_TERMINAL, type Chapter, type Step, type TangleFile } from "../book/model.js";
import { shellQuote } from "../util/quote.js";
import type { CapabilityName } from "../book/capability-names.js";
import { wrap } from "./wrap.js";
import { hasControl, visible } from "./visible.js";

/** The shell test for each capability, so a requires= step runs only where it may. */
const CAPABILITY_TEST: Record<CapabilityName, string> = {
  root: '[ "$(id -u)" -eq 0 ]',
  unprivileged: '[ "$(id -u)" -ne 0 ]',
  "cgroup2-cpu": 'grep -qw cpu "$CONSH_CGROUP2/cgroup.controllers" 2>/dev/null',
  "cgroup1-cpu": '[ -n "$CONSH_CGROUP1_CPU" ] && ! grep -qw cpu "$CONSH_CGROUP2/cgroup.controllers" 2>/dev/null',
  "lsns-tree": "lsns --help 2>/dev/null | grep -q -- --tree",
  "overlay-userns":
    'd=$(mktemp -d) && (cd "$d" && mkdir l u w m && unshare --user --map-root-user --mount mount -t overlay overlay -o lowerdir=l,upperdir=u,workdir=w m) 2>/dev/null; r=$?; rm -rf "$d"; [ "$r" -eq 0 ]',
};

const PRELUDE = `# The variables consh-book's runner sets for every terminal. Set them in
# every terminal you use (or source this part of the file there).
CONSH_RUN=\${CONSH_RUN:-x$(od -An -N3 -tx1 /dev/urandom | tr -d ' \\n' | cut -c1-5)}
CONSH_WORK=\${CONSH_WORK:-$(mktemp -d "\${TMPDIR:-/tmp}/consh-book-export.XXXXXX")}
CONSH_NAME=consh-$CONSH_RUN
CONSH_VETH_HOST=cb\${CONSH_RUN}h
CONSH_VETH_CT=cb\${CONSH_RUN}c
CONSH_NET=\${CONSH_NET:-10.200.$(( $(od -An -N1 -tu1 /dev/urandom) ))}
CONSH_IP_HOST=$CONSH_NET.1
CONSH_IP_CT=$CONSH_NET.2
CONSH_CGROUP2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
CONSH_CGROUP1_CPU=$(awk '$3 == "cgroup" && $4 ~ /(^|,)cpu(,|$)/ { print $2; exit }' /proc/self/mounts)
CONSH_UID=$(id -u)
CONSH_GID=$(id -g)
export CONSH_RUN CONSH_WORK CONSH_NAME CONSH_VETH_HOST CONSH_VETH_CT CONSH_NET CONSH_IP_HOST CONSH_IP_CT CONSH_CGROUP2 CONSH_CGROUP1_CPU CONSH_UID CONSH_GID
cd "$CONSH_WORK" || exit 1
echo "working in $CONSH_WORK"
`;

function comment(text: string): string[] {
  const out: string[] = [];
  for (const para of text.split(/\n\s*\n/)) {
    const heading = /^#+\s+(.*)$/.exec(para.trim());
    const flat = heading
      ? `== ${heading[1]} ==`
      : para
          .replace(/^```.*$/gm, "")
          .replace(/\s+/g, " ")
          .trim();
    if (flat === "") continue;
    if (out.length > 0) out.push("#");
    out.push(...wrap(visible(flat), 78, "# ", "# "));
  }
  return out;
}

/**
 * A heredoc delimiter that is none of `body`'s lines: `base`, then `base_`, `base__`, ...
 * It is checked against the exact lines that go into the heredoc, since a line equal
 * to the delimiter would end it there and run the rest as commands.
 */
export function heredocDelimiter(base: string, body: string[]): string {
  const lines = new Set(body);
  let d = base;
  while (lines.has(d)) d += "_";
  return d;
}

/** Bodies (steps, files) as lines; control characters escaped only when `shown` (printed to a terminal). */
function bodyLines(text: string, shown: boolean): string[] {
  return (shown ? visible(text) : text).replace(/\n$/, "").split("\n");
}

function fileLines(f: TangleFile, shown: boolean): string[] {
  const body = bodyLines(f.text, shown);
  const delim = heredocDelimiter("CONSH_EOF", body);
  const path = shellQuote(f.path);
  const out = [`mkdir -p "$(dirname ${path})"`, `cat > ${path} <<'${delim}'`, ...body, delim];
  if (f.executable) out.push(`chmod +x ${path}`);
  return out;
}

function stepLines(s: Step, shown: boolean): string[] {
  const notes = [
    s.exit !== 0 ? (s.exit === "any" ? "may fail" : `expected to fail with status ${s.exit}`) : "",
    s.background ? "runs in the background" : "",
    s.requires.length ? `only where the host has: ${s.requires.join(", ")}` : "",
  ].filter(Boolean);
  const out = [`# --- step ${s.id}${notes.length ? ` (${notes.join("; ")})` : ""}`];
  let body = bodyLines(s.text, shown);
  if (s.background) body = ["{", ...body, "} </dev/null >/dev/null 2>&1 &"];
  if (s.requires.length) {
    const test = s.requires.map((c) => CAPABILITY_TEST[c as CapabilityName]).join(" && ");
    body = [`if ${test}; then`, ...body.map((l) => `  ${l}`), "fi"];
  }
  return [...out, ...body];
}

interface ExportOptions {
  /**
   * The script is shown on a terminal: control characters in steps and files are
   * escaped (`\x1b`) so they cannot drive the terminal. Otherwise they are kept
   * exact (comments are always escaped).
   */
  forTerminal?: boolean;
}

/** One script for `chapters` (needs first, in run order). */
export function exportScript(chapters: Chapter[], requested: Chapter, options: ExportOptions = {}): string {
  const shown = options.forTerminal === true;
  const escaped = shown && chapters.some((c) => c.blocks.some((b) => hasControl(b.text)));
  const terminals = [...new Set(chapters.flatMap((c) => c.blocks.filter((b): b is Step => b.kind === "step").map((s) => s.terminal)))];
  const others = terminals.filter((t) => t !== DEFAULT_TERMINAL);
  const lines: string[] = [
    "#!/bin/sh",
    `# ${requested.id}: ${visible(requested.title)}`,
    ...(escaped ? ["# (control characters in steps and files are shown as \\xHH here; redirect the export to a file for the exact script)"] : []),
    `# exported by consh-book${
      chapters.length > 1
        ? `, with the chapters it needs first: ${chapters
            .filter((c) => c !== requested)
            .map((c) => c.id)
            .join(", ")}`
        : ""
    }.`,
    "#",
    ...comment(
      others.length === 0
        ? "Every step runs in one terminal, so `sh` can run this file as it is. Commands that change the host use sudo."
        : `The steps use several terminals: host, ${others.join(", ")}. Running this file with sh runs the host terminal's steps only; each section for another terminal is marked and kept out of the way in a heredoc: type (or paste) those steps into a terminal of their own, in the order they come. Start every terminal in the work directory with the variables below.`,
    ),
    "",
    ...PRELUDE.replace(/\n$/, "").split("\n"),
  ];
  for (const chapter of chapters) {
    lines.push("", `# ${"=".repeat(76)}`, `# ${chapter.id}: ${visible(chapter.title)}`, `# ${"=".repeat(76)}`);
    for (const block of chapter.blocks) {
      lines.push("", ...comment(block.intro));
      if (block.kind === "file") {
        lines.push(`# --- file ${visible(block.path)}`, ...fileLines(block, shown));
        continue;
      }
      if (block.terminal === DEFAULT_TERMINAL) {
        lines.push(...stepLines(block, shown));
        continue;
      }
      const inside = stepLines(block, shown);
      const delim = heredocDelimiter(`IN_THE_${block.terminal.toUpperCase().replace(/-/g, "_")}_TERMINAL`, inside);
      lines.push(`# >>> In the "${block.terminal}" terminal, not this one:`, `: <<'${delim}'`, ...inside, delim, `# <<< back to the host terminal`);
    }
  }
  lines.push("", `echo "done; the work directory $CONSH_WORK is yours to look at (rm -rf it when you are done)"`);
  return `${lines.join("\n")}\n`;
}
