// Turns chapters into one plain POSIX shell script that runs them as consh-book
// does: the prose as comments, tangled files as heredocs, host steps inline,
// other terminals' steps fed to their own shells (export-runtime.ts), and a
// teardown on every exit (export-teardown.ts).

import { DEFAULT_TERMINAL, type Chapter, type Step, type TangleFile } from "../book/model.js";
import type { Prose } from "../book/prose.js";
import { type CapabilityName, isCapabilityName, missingCapability } from "../book/capability-names.js";
import { UsageError } from "../errors.js";
import { renderProse } from "../prose/render.js";
import { wrap } from "../prose/wrap.js";
import { makeColors } from "../util/colors.js";
import { shellQuote } from "../util/quote.js";
import { hasControl, visible } from "../util/visible.js";
import type { PlannedChapter } from "../book/plan.js";
import { STEPS, WORLD } from "./export-runtime.js";
import { TEARDOWN } from "./export-teardown.js";

/** The shell test for each capability, as consh-book probes it, so a requires= step runs only where it may. */
const CAPABILITY_TEST: Record<CapabilityName, string> = {
  root: '[ "$CONSH_UID" -eq 0 ]',
  unprivileged: '[ "$CONSH_UID" -ne 0 ]',
  "cgroup2-cpu": 'grep -qw cpu "$CONSH_CGROUP2/cgroup.controllers" 2> /dev/null',
  "cgroup1-cpu": '[ -n "$CONSH_CGROUP1_CPU" ] && ! consh_has cgroup2-cpu',
  "lsns-tree": "lsns --help 2> /dev/null | grep -q -- --tree",
  "overlay-userns":
    'd=$(mktemp -d) && (cd "$d" && mkdir l u w m && unshare --user --map-root-user --mount mount -t overlay overlay -o lowerdir=l,upperdir=u,workdir=w m) 2> /dev/null; r=$?; rm -rf "$d"; [ "$r" -eq 0 ]',
};

/** The file descriptors a terminal is written (N) and read (N+1) through: three terminals besides the host. */
const TERMINAL_FDS = [3, 5, 7];

const WIDTH = 78;

/** Comment lines, wrapped to the script's width. */
function comment(text: string): string[] {
  return wrap(visible(text), WIDTH, "# ", "# ");
}

/** Prose as comment lines: headings, wrapped paragraphs, lists as lists (numbered ones numbered), code set apart. */
function proseComment(prose: Prose): string[] {
  if (prose.length === 0) return [];
  const text = renderProse(prose, { width: WIDTH - 2, colors: makeColors(false) }).replace(/\n+$/, "");
  if (text === "") return [];
  return ["", ...text.split("\n").map((l) => (l === "" ? "#" : `# ${l}`))];
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

/** A file= block: written under the work dir, wherever the host shell has gone, with the mode the runner gives it. */
function fileLines(f: TangleFile, shown: boolean): string[] {
  const body = bodyLines(f.text, shown);
  const delim = heredocDelimiter("CONSH_EOF", body);
  const path = `"$CONSH_WORK"/${shellQuote(f.path)}`;
  const dir = f.path.includes("/") ? [`mkdir -p "$CONSH_WORK"/${shellQuote(f.path.slice(0, f.path.lastIndexOf("/")))}`] : [];
  return [
    `# --- file ${visible(f.path)}${f.executable ? " (executable)" : ""}`,
    ...dir,
    `cat > ${path} <<'${delim}'`,
    ...body,
    delim,
    `chmod ${f.executable ? "755" : "644"} ${path}`,
  ];
}

function stepNotes(s: Step): string {
  const notes = [
    s.terminal !== DEFAULT_TERMINAL ? `terminal ${s.terminal}` : "",
    s.exit !== 0 ? (s.exit === "any" ? "may fail" : `expected to fail with status ${s.exit}`) : "",
    s.background ? "runs in the background" : "",
    s.requires.length ? `only where the host has: ${s.requires.join(", ")}` : "",
  ].filter(Boolean);
  return notes.length ? ` (${notes.join("; ")})` : "";
}

/** The status a step must end with: a number, or `-` for any (and for a background step, which returns at once). */
const expected = (s: Step) => (s.background || s.exit === "any" ? "-" : String(s.exit));

/** A step of the host terminal: inline, between consh_begin and consh_end. */
function hostStepLines(s: Step, shown: boolean): string[] {
  const body = bodyLines(s.text, shown);
  if (!s.background) return [`consh_begin ${shellQuote(s.id)}`, ...body, `consh_end $? ${expected(s)}`];
  return [`consh_begin ${shellQuote(s.id)}`, "{", ...body, "} < /dev/null > /dev/null 2>&1 &", "consh_end $? -"];
}

/** A step of another terminal: its text fed to that terminal's shell by consh_step. */
function otherStepLines(s: Step, shown: boolean): string[] {
  let body = bodyLines(s.text, shown);
  if (s.background) body = ["{", ...body, "} < /dev/null > /dev/null 2>&1 &"];
  const delim = heredocDelimiter("CONSH_STEP", body);
  return [`consh_step ${shellQuote(s.terminal)} ${shellQuote(s.id)} ${expected(s)} <<'${delim}'`, ...body, delim];
}

/** A step, with its capability test where it requires= some. */
function stepLines(s: Step, shown: boolean): string[] {
  const run = s.terminal === DEFAULT_TERMINAL ? hostStepLines(s, shown) : otherStepLines(s, shown);
  const caps = s.requires.filter(isCapabilityName);
  const lines = [`# --- step ${visible(s.id)}${stepNotes(s)}`];
  if (caps.length === 0) return [...lines, ...run];
  return [...lines, `if ${caps.map((c) => `consh_has ${c}`).join(" && ")}; then`, ...run, `else consh_skip ${shellQuote(s.id)} ${caps.join(" ")}; fi`];
}

/** consh_has and consh_lacks: the capability tests and what a host without one lacks. */
function capabilityFunctions(): string[] {
  const names = Object.keys(CAPABILITY_TEST) as CapabilityName[];
  return [
    "",
    "# consh_has CAPABILITY: whether this host has what a requires= step needs (as consh-book probes it).",
    "consh_has() {",
    "  case $1 in",
    ...names.map((c) => `    ${c}) ${CAPABILITY_TEST[c]} ;;`),
    "    *) false ;;",
    "  esac",
    "}",
    "# consh_skip STEP-ID CAPABILITY...: a step this host cannot run, and what the host lacks.",
    "consh_skip() {",
    "  consh_id=$1",
    "  shift",
    "  for consh_c; do",
    '    consh_has "$consh_c" && continue',
    "    case $consh_c in",
    ...names.map((c) => `      ${c}) consh_why=${shellQuote(missingCapability(c))} ;;`),
    "    esac",
    '    printf -- \'-- step %s skipped: %s\\n\' "$consh_id" "$consh_why"',
    "    break",
    "  done",
    "  consh_skipped=$((consh_skipped + 1))",
    "}",
  ];
}

/** The terminals besides the host, in order of first use, each with its file descriptor. */
function terminalFds(chapters: Chapter[]): Map<string, number> {
  const fds = new Map<string, number>();
  for (const c of chapters)
    for (const b of c.blocks) {
      if (b.kind !== "step" || b.terminal === DEFAULT_TERMINAL || fds.has(b.terminal)) continue;
      const fd = TERMINAL_FDS[fds.size];
      if (fd === undefined) {
        throw new UsageError(
          `${c.file}:${b.line}: step ${b.id} uses a ${TERMINAL_FDS.length + 1}th terminal besides host (${[...fds.keys(), b.terminal].join(", ")}); an exported script can feed ${TERMINAL_FDS.length}`,
          "run the chapter with consh-book run instead, or use fewer terminals",
        );
      }
      fds.set(b.terminal, fd);
    }
  return fds;
}

/** The chapter: its prose as comments, and its file= blocks and steps in order (check= and question= blocks are for practice). */
function chapterLines(chapter: Chapter, fds: Map<string, number>, started: Set<string>, shown: boolean): string[] {
  const title = `${chapter.id}: ${visible(chapter.title)}`;
  const lines = ["", `# ${"=".repeat(WIDTH - 2)}`, `# ${title}`, `# ${"=".repeat(WIDTH - 2)}`, `echo ${shellQuote(`== ${title}`)}`];
  let prose: Prose = [];
  for (const p of chapter.prose) {
    const block = p.kind === "code" && p.block !== undefined ? chapter.blocks[p.block] : undefined;
    if (!block) {
      prose.push(p);
      continue;
    }
    lines.push(...proseComment(prose));
    prose = [];
    if (block.kind === "file") lines.push(...fileLines(block, shown));
    if (block.kind !== "step") continue;
    if (block.terminal !== DEFAULT_TERMINAL && !started.has(block.terminal)) {
      started.add(block.terminal);
      lines.push(`consh_start ${shellQuote(block.terminal)} ${fds.get(block.terminal)}`);
    }
    lines.push(...stepLines(block, shown));
  }
  lines.push(...proseComment(prose));
  return lines;
}

interface ExportOptions {
  /**
   * The script is shown on a terminal: control characters in steps and files are
   * escaped (`\x1b`) so they cannot drive the terminal. Otherwise they are kept
   * exact (comments are always escaped).
   */
  forTerminal?: boolean;
}

/** What the script runs: the requested chapters, and the ones they need first. */
function headLines(plan: PlannedChapter[], fds: Map<string, number>, escaped: boolean): string[] {
  const requested = plan.filter((p) => !p.needed).map((p) => p.chapter);
  const needs = plan.filter((p) => p.needed).map((p) => p.chapter.id);
  const only = requested.length === 1 ? requested[0] : undefined;
  const what = only ? `${only.id}: ${visible(only.title)}` : `chapters ${requested.map((c) => c.id).join(", ")}`;
  const others = [...fds.keys()];
  return [
    "#!/bin/sh",
    `# ${what}`,
    ...(escaped ? ["# (control characters in steps and files are shown as \\xHH here; redirect the export to a file for the exact script)"] : []),
    `# exported by consh-book${needs.length ? `, with the chapters ${only ? "it needs" : "they need"} first: ${needs.join(", ")}` : ""}.`,
    "#",
    ...comment(
      `Run it with sh, as root or as an ordinary user with sudo that asks for no password. It runs every step in order, as consh-book run ${requested.map((c) => c.id).join(" ")} does: the host terminal's steps right here${others.length ? `, the steps of the ${others.join(" and ")} terminal${others.length > 1 ? "s in shells of their own" : " in a shell of its own"}, fed through named pipes` : ""}. It does not compare outputs with the book's snapshots, nor stop a step at its timeout (Ctrl-C does), but a step that ends with another status than the book expects stops it. However it ends, it removes what it made.`,
    ),
  ];
}

/** One script for the chapters of `plan` (needs first, in run order, as planRun gives them). */
export function exportScript(plan: PlannedChapter[], options: ExportOptions = {}): string {
  const chapters = plan.map((p) => p.chapter);
  const shown = options.forTerminal === true;
  const escaped = shown && chapters.some((c) => c.blocks.some((b) => hasControl(b.text)));
  const fds = terminalFds(chapters);
  const lines: string[] = [
    ...headLines(plan, fds, escaped),
    "",
    WORLD.replace(/\n$/, ""),
    ...capabilityFunctions(),
    STEPS.replace(/\n$/, ""),
    TEARDOWN.replace(/\n$/, ""),
  ];
  const started = new Set<string>();
  for (const chapter of chapters) lines.push(...chapterLines(chapter, fds, started, shown));
  lines.push("", 'echo "consh: done: steps that ran as the book expects: $consh_ran; skipped on this host: $consh_skipped"');
  return `${lines.join("\n")}\n`;
}
