// `consh-book show chapter-07`: the chapter's steps and tangled files in order.

import { isAbsolute, relative } from "node:path";
import { findChapter } from "../book/plan.js";
import { loadBookCached } from "../book/book-cache.js";
import type { Step } from "../book/model.js";
import { DEFAULT_TIMEOUT_SECONDS } from "../book/model.js";
import { ExitCode } from "../errors.js";
import { visible } from "../util/visible.js";
import type { Io } from "../util/io.js";
import { resolveBookDir } from "../book/book-dir.js";

function attributes(s: Step): string {
  const a: string[] = [];
  if (s.timeoutSeconds !== DEFAULT_TIMEOUT_SECONDS) a.push(`timeout=${s.timeoutSeconds}`);
  if (s.exit !== 0) a.push(`exit=${s.exit}`);
  if (s.background) a.push("background");
  if (s.requires.length) a.push(`requires=${s.requires.join(",")}`);
  for (const r of s.redactions) a.push(`redact=${r.name}`);
  return a.join(" ");
}

/** `file` relative to `cwd` when it lies below it; otherwise absolute (no ../../ climbing). */
function shownPath(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  return rel === "" || rel === ".." || rel.startsWith("../") || isAbsolute(rel) ? file : rel;
}

export async function showCommand(ref: string, flags: { book?: string }, io: Io): Promise<number> {
  const book = await loadBookCached(resolveBookDir(flags.book), io.env);
  const chapter = findChapter(book, ref);
  io.out(`${chapter.id}: ${visible(chapter.title)}\n`);
  io.out(`file:  ${visible(shownPath(io.cwd, chapter.file))}\n`);
  io.out(`needs: ${chapter.needs.join(", ") || "-"}\n\n`);
  let n = 0;
  for (const b of chapter.blocks) {
    if (b.kind === "file") {
      io.out(`   file  ${visible(b.path).padEnd(22)} ${"".padEnd(10)} line ${b.line}${b.executable ? "  (executable)" : ""}\n`);
    } else if (b.kind === "check" || b.kind === "question") {
      io.out(
        `         ${`${b.kind} of ${b.step}`.padEnd(22)} ${"host".padEnd(10)} line ${b.line}${b.kind === "question" ? `  ask="${visible(b.ask)}"` : ""}\n`,
      );
    } else {
      n++;
      io.out(`${`${String(n).padStart(4)}.  ${b.id.padEnd(22)} ${b.terminal.padEnd(10)} line ${String(b.line).padEnd(4)} ${attributes(b)}`.trimEnd()}\n`);
    }
  }
  return ExitCode.pass;
}
