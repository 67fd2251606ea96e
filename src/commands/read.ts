// `consh-book read chapter-03`: the chapter for the terminal, with each step's
// recorded output under it, through a pager when it is longer than the screen.

import { readFileSync, statSync } from "node:fs";
import { findChapter } from "../book/plan.js";
import { loadBookCached } from "../book/book-cache.js";
import { ConshError, ExitCode } from "../errors.js";
import { type Colors, makeColors, useColor } from "../util/colors.js";
import { CAPABILITIES, isCapabilityName } from "../book/capability-names.js";
import { blockLabel } from "../prose/label.js";
import { type CodeBlock, renderProse } from "../prose/render.js";
import { visible } from "../util/visible.js";
import { snapshotFileOf } from "../snapshot/snapshot-file.js";
import { parseSnapshot, type Section } from "../snapshot/format.js";
import { seenNote, shownLine, type ShownLine } from "../snapshot/shown.js";
import { textWidth, type Io } from "../util/io.js";
import { resolveBookDir } from "../book/book-dir.js";

/** true if the chapter's snapshot exists; one that is not a regular file (a directory, a FIFO) is an error (exit 4), never read. */
function snapshotExists(file: string): boolean {
  try {
    if (statSync(file).isFile()) return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw new ConshError(`${file}: cannot read it: ${(err as Error).message}`, ExitCode.snapshotFile, { hint: "make it readable for this user" });
  }
  throw new ConshError(`${file}: not a regular file, so not a snapshot file`, ExitCode.snapshotFile, {
    hint: "move it out of the way (a run records the snapshot anew where none exists)",
  });
}

/**
 * For a step that requires= capabilities: a line saying where it runs ("runs only
 * where the runner runs as root: requires=root"), so that a pair such as
 * who-am-i and who-am-i-root does not read as two steps that both run.
 */
function onlyWhere(requires: string[], c: Colors): string {
  const caps = requires.filter(isCapabilityName);
  if (caps.length === 0) return "";
  return `${c.yellow(`  ⚑ runs only where ${caps.map((x) => CAPABILITIES[x]).join(" and ")}: requires=${caps.join(",")}`)}\n`;
}

/** The text of the chapter as `read` shows it. */
async function renderChapter(bookDir: string, ref: string, width: number, color: boolean, env: NodeJS.ProcessEnv): Promise<string> {
  const book = await loadBookCached(bookDir, env);
  const chapter = findChapter(book, ref);
  const c = makeColors(color);
  const snapFile = snapshotFileOf(book, chapter);
  const sections = new Map<string, Section>();
  if (snapshotExists(snapFile)) for (const s of parseSnapshot(snapFile, readFileSync(snapFile, "utf8")).sections) sections.set(s.id, s);
  const afterFence = (code: CodeBlock): string | undefined => {
    const step = code.block === undefined ? undefined : chapter.blocks[code.block];
    if (step?.kind !== "step") return undefined;
    const only = onlyWhere(step.requires, c);
    if (step.background) return only + c.dim("  (runs in the background; its output is not recorded)");
    const s = sections.get(step.id);
    if (!s) return only + c.dim("  (no recorded output yet)");
    // Literal lines without their backslash; seen values in place of their wildcards, in yellow, and named once below.
    const shown = s.text === "" ? [] : s.text.replace(/\n$/, "").split("\n").map(shownLine);
    const lineText = (l: ShownLine) => {
      let out = "";
      let at = 0;
      for (const m of l.seen) {
        out += c.green(visible(l.text.slice(at, m.start))) + c.yellow(visible(l.text.slice(m.start, m.end)));
        at = m.end;
      }
      return out + c.green(visible(l.text.slice(at)));
    };
    const note = seenNote(shown);
    return (
      only +
      [
        c.dim(visible(`  ┌ output (terminal ${s.terminal}, exit ${s.exit})`)),
        ...(shown.length === 0 ? [`  ${c.dim("┆")} ${c.dim("(no output)")}`] : shown.map((l) => `  ${c.dim("┆")} ${lineText(l)}`)),
        ...(note ? [c.dim(`  └ ${visible(note)}`)] : []),
      ].join("\n")
    );
  };
  const head = `${c.bold(`${chapter.id}: ${visible(chapter.title)}`)}\n${chapter.needs.length ? c.dim(`needs ${chapter.needs.join(", ")}\n`) : ""}`;
  return `${head}\n${renderProse(chapter.prose, { width, colors: c, afterFence, fenceLabel: (code) => blockLabel(chapter, code) })}`;
}
export async function readCommand(ref: string, flags: { book?: string }, io: Io): Promise<number> {
  const width = textWidth(io);
  const color = useColor({ isTTY: io.stdoutIsTTY }, io.env);
  const text = await renderChapter(resolveBookDir(flags.book), ref, width, color, io.env);
  const rows = io.rows() ?? 0;
  if (io.stdoutIsTTY && rows > 0 && text.split("\n").length > rows - 1) {
    const { page } = await import("../prose/pager.js"); // loaded only when a pager is needed
    if (await page(text, io.env)) return ExitCode.pass;
  }
  io.out(text);
  return ExitCode.pass;
}
