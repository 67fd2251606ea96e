// Every step of the shipped book can be practised: a learner who types it can be
// checked by its output (a recorded section that pins something down), by its
// check (the state it leaves), or by its question. A background step prints
// nothing that is recorded, so it needs a check. A step verified by a check
// has an author's hint: its goal is a state, which its output does not show.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadBook } from "../../src/book/load-book.js";
import { stepsOf } from "../../src/book/model.js";
import { parseSnapshot } from "../../src/snapshot/format.js";

const ROOT = join(__dirname, "../..");
const book = loadBook(ROOT);

/** Whether a section's pattern pins down some text: not empty, not wildcards and placeholders only. */
function pinsDown(text: string): boolean {
  const rest = text
    .split("\n")
    .filter((l) => l !== "...")
    .map((l) => (l.startsWith("\\") ? l.slice(1) : l.replace(/\[[0-9.]*\.\.[0-9.]*(=[^\]]*)?\]|\[[A-Z][A-Z0-9_]*\]/g, "")))
    .join("")
    .replace(/\s/g, "");
  return rest.length > 0;
}

describe("every step of the book can be practised", () => {
  for (const chapter of book.chapters) {
    const file = join(ROOT, "snapshots", `${chapter.id}.snap`);
    const sections = new Map(parseSnapshot(file, readFileSync(file, "utf8")).sections.map((s) => [s.id, s]));
    it(`${chapter.id}: each step has a check, a question, or recorded output that shows something`, () => {
      const unverifiable = stepsOf(chapter)
        .filter((s) => !s.check && !s.question)
        .filter((s) => s.background || !pinsDown(sections.get(s.id)?.text ?? ""))
        .map((s) => `${s.id} (${chapter.file}:${s.line})`);
      expect(unverifiable).toEqual([]);
    });
    it(`${chapter.id}: each step verified by a check has a hint of the author's (the state it wants is not in its output)`, () => {
      const unhinted = stepsOf(chapter)
        .filter((s) => s.check && s.hints.length === 0)
        .map((s) => `${s.id} (${chapter.file}:${s.line})`);
      expect(unhinted).toEqual([]);
    });
  }

  it("tells a pinned-down pattern from wildcards alone", () => {
    expect(pinsDown("")).toBe(false);
    expect(pinsDown("...\n[..]\n[PID] [..=7]\n")).toBe(false);
    expect(pinsDown("[40..49=41]\n")).toBe(false);
    expect(pinsDown("I am PID 1\n")).toBe(true);
    expect(pinsDown("\\[..]\n")).toBe(true); // a literal line
  });
});
