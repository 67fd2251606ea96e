// file= paths that clash (one names as a file what another needs as a directory):
// the same problems as the plain quadratic search, kept below as the reference, on
// seeded random books; and a hostile book of 100,000 file= blocks, whose result is
// checked exactly (the quadratic search needs 5·10^9 comparisons for it).
import { describe, expect, it } from "vitest";
import type { TangleFile } from "../../src/book/model.js";
import { fileConflicts } from "../../src/book/file-conflicts.js";
import type { ParsedChapter } from "../../src/book/parse-chapter.js";
import type { ChapterProblem } from "../../src/errors.js";
import { chapterOf } from "../support/factories.js";

const fileBlock = (path: string, line: number): TangleFile => ({ kind: "file", path, lang: "sh", text: "", executable: false, line, lead: "", intro: "" });
const parsedOf = (number: number, paths: string[]): ParsedChapter => ({
  chapter: chapterOf({ id: `chapter-${number}`, number, file: `/b/chapters/chapter-${number}.md`, blocks: paths.map((p, i) => fileBlock(p, i + 1)) }),
  needRefs: [],
});

/** The search this replaces: for each file, the first file in book order whose path + '/' starts it. */
function reference(parsed: ParsedChapter[]): ChapterProblem[] {
  const files = [...parsed]
    .sort((a, b) => a.chapter.number - b.chapter.number)
    .flatMap((p) => p.chapter.blocks.flatMap((b) => (b.kind === "file" ? [{ path: b.path, file: p.chapter.file, line: b.line }] : [])));
  return files.flatMap((f) => {
    const g = files.find((g) => f.path.startsWith(`${g.path}/`));
    return g
      ? [
          {
            file: f.file,
            line: f.line,
            what: `file=${f.path} needs '${g.path}' to be a directory, but file=${g.path} (${g.file}:${g.line}) writes a file there`,
            fix: "rename one of the two paths",
          },
        ]
      : [];
  });
}

/** mulberry32: a small seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("fileConflicts", () => {
  it("finds what the quadratic search finds, blocker and order included, on 200 seeded random books", () => {
    for (let seed = 1; seed <= 200; seed++) {
      const r = prng(seed);
      const path = () => Array.from({ length: 1 + Math.floor(r() * 3) }, () => "abc"[Math.floor(r() * 3)]).join("/");
      // Chapters out of number order, so book order is not the order given.
      const parsed = [3, 1, 2].map((n) => parsedOf(n, Array.from({ length: Math.floor(r() * 8) }, path)));
      expect(fileConflicts(parsed), `seed ${seed}`).toEqual(reference(parsed));
    }
  });

  it("checks 100,000 file= blocks and names exactly the two clashes among them", () => {
    const paths = Array.from({ length: 100_000 }, (_, i) => `d${i}/sub/f${i}.sh`);
    paths[75_000] = "d7"; // a file where d7/ must be a directory
    paths[99_999] = "d75001/sub"; // and one where d150001/sub/ must be
    const problems = fileConflicts([parsedOf(2, paths.slice(50_000)), parsedOf(1, paths.slice(0, 50_000))]);
    expect(problems.map((p) => `${p.file}:${p.line}: ${p.what}`)).toEqual([
      "/b/chapters/chapter-1.md:8: file=d7/sub/f7.sh needs 'd7' to be a directory, but file=d7 (/b/chapters/chapter-2.md:25001) writes a file there",
      "/b/chapters/chapter-2.md:25002: file=d75001/sub/f75001.sh needs 'd75001/sub' to be a directory, but file=d75001/sub (/b/chapters/chapter-2.md:50000) writes a file there",
    ]);
  });
});
