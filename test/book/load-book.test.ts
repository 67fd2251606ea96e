import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { chapterNumberOf, findChapter, loadBook, planRun } from "../../src/book/load-book.js";
import { ChapterSyntaxError, UsageError } from "../../src/errors.js";

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function book(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "consh-test-book-"));
  dirs.push(dir);
  mkdirSync(join(dir, "chapters"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, "chapters", name), text);
  return dir;
}

const ch = (title: string, needs?: string) => `---\ntitle: ${title}\n${needs ? `needs: [${needs}]\n` : ""}---\n\ntext\n`;

describe("loadBook", () => {
  it("loads chapters in number order and resolves needs to ids", () => {
    const b = loadBook(book({ "chapter-02-b.md": ch("B", "1"), "chapter-01-a.md": ch("A"), "chapter-03-c.md": ch("C", "chapter-02, 01") }));
    expect(b.chapters.map((c) => c.id)).toEqual(["chapter-01", "chapter-02", "chapter-03"]);
    expect(b.chapters[2]?.needs).toEqual(["chapter-02", "chapter-01"]);
  });

  it("reports an unknown chapter in needs at its line", () => {
    const dir = book({ "chapter-01-a.md": ch("A", "chapter-09") });
    try {
      loadBook(dir);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ChapterSyntaxError);
      const p = (err as ChapterSyntaxError).problems[0];
      expect(p?.line).toBe(3);
      expect(p?.what).toMatch(/needs names 'chapter-09', which is not a chapter/);
      expect((err as ChapterSyntaxError).exitCode).toBe(2);
    }
  });

  it("reports a cycle in needs", () => {
    const dir = book({ "chapter-01-a.md": ch("A", "chapter-02"), "chapter-02-b.md": ch("B", "chapter-01") });
    expect(() => loadBook(dir)).toThrowError(/needs form a cycle: chapter-01 → chapter-02 → chapter-01/);
  });

  it("reports problems of several files at once", () => {
    const dir = book({ "chapter-01-a.md": "no front matter", "chapter-02-b.md": "---\ntitle: B\n---\n```sh {step=x nope}\n```\n" });
    expect(() => loadBook(dir)).toThrowError(/2 chapter errors/);
  });

  it("says clearly when the book or its chapters dir is missing", () => {
    expect(() => loadBook("/nonexistent/book")).toThrowError(UsageError);
    const dir = mkdtempSync(join(tmpdir(), "consh-test-book-"));
    dirs.push(dir);
    expect(() => loadBook(dir)).toThrowError(/has no chapters\/ directory/);
  });
});

describe("chapter references and run plans", () => {
  it("accepts chapter-07, 07, 7 and the file stem", () => {
    expect(["chapter-07", "07", "7", "chapter-07-demo"].map(chapterNumberOf)).toEqual([7, 7, 7, 7]);
    expect(chapterNumberOf("seven")).toBeUndefined();
  });

  it("runs needs first, once, and marks them as needed", () => {
    const b = loadBook(
      book({ "chapter-01-a.md": ch("A"), "chapter-02-b.md": ch("B", "1"), "chapter-03-c.md": ch("C", "2, 1"), "chapter-04-d.md": ch("D", "3") }),
    );
    const plan = planRun(b, [findChapter(b, "4"), findChapter(b, "2")]);
    expect(plan.map((p) => `${p.chapter.id}${p.needed ? "*" : ""}`)).toEqual(["chapter-01*", "chapter-02", "chapter-03*", "chapter-04"]);
  });

  it("names the known chapters when a reference is unknown", () => {
    const b = loadBook(book({ "chapter-01-a.md": ch("A") }));
    expect(() => findChapter(b, "12")).toThrowError(/no chapter '12'/);
  });

  it("suggests the chapter a mistyped reference meant: by id, number or slug, the number in it breaking ties", () => {
    const b = loadBook(
      book({ "chapter-01-overlays.md": ch("Overlays"), "chapter-03-namespaces.md": ch("Namespaces"), "chapter-07-starting.md": ch("Starting") }),
    );
    const hint = (ref: string) => {
      try {
        findChapter(b, ref);
      } catch (err) {
        expect(err).toBeInstanceOf(UsageError);
        return (err as UsageError).hint ?? "";
      }
      throw new Error(`${ref} was found`);
    };
    expect(hint("chapter-7x")).toMatch(/^did you mean chapter-07 \(Starting\)\? chapters are: chapter-01, chapter-03, chapter-07/);
    expect(hint("chaptr-03")).toMatch(/^did you mean chapter-03 /);
    expect(hint("namspaces")).toMatch(/^did you mean chapter-03 /);
    expect(hint("overlay")).toMatch(/^did you mean chapter-01 /);
    // a well-formed number of no chapter, or a word far from every name: no guess
    expect(hint("chapter-02")).toMatch(/^chapters are: /);
    expect(hint("pivot")).toMatch(/^chapters are: /);
  });
});
