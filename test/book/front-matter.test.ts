import { describe, expect, it } from "vitest";
import { parseFrontMatter, type FrontMatter, type FrontMatterProblem } from "../../src/book/front-matter.js";

const ok = (src: string): FrontMatter => {
  const r = parseFrontMatter(src);
  if (Array.isArray(r)) throw new Error(`unexpected problems: ${JSON.stringify(r)}`);
  return r;
};
const bad = (src: string): FrontMatterProblem[] => {
  const r = parseFrontMatter(src);
  if (!Array.isArray(r)) throw new Error(`expected problems, got ${JSON.stringify(r)}`);
  return r;
};

describe("front matter (YAML)", () => {
  it("reads comments, quoted titles and a flow list of needs", () => {
    const fm = ok('---\n# what this chapter is\ntitle: "Demo: starting up" # the title\nneeds: [chapter-02, "chapter-05"]\n---\nbody\n');
    expect(fm.title).toBe("Demo: starting up");
    expect(fm.needs).toEqual([
      { ref: "chapter-02", line: 4 },
      { ref: "chapter-05", line: 4 },
    ]);
    expect(fm.lineCount).toBe(5);
  });

  it("reads a block list of needs over several lines, each at its own line", () => {
    const fm = ok("---\ntitle: Demo\nneeds:\n  - chapter-02\n  # a comment between\n  - chapter-05\n---\n");
    expect(fm.needs).toEqual([
      { ref: "chapter-02", line: 4 },
      { ref: "chapter-05", line: 6 },
    ]);
  });

  it("reads single-quoted and folded block titles", () => {
    expect(ok("---\ntitle: 'It''s a container'\n---\n").title).toBe("It's a container");
    expect(ok("---\ntitle: >-\n  A title written\n  over two lines\n---\n").title).toBe("A title written over two lines");
  });

  it("reads a file with CRLF line ends (and a byte-order mark)", () => {
    const fm = ok("\uFEFF---\r\ntitle: Windows\r\nneeds:\r\n  - chapter-01\r\n---\r\nbody\r\n");
    expect(fm).toEqual({ title: "Windows", needs: [{ ref: "chapter-01", line: 4 }], lineCount: 5 });
  });

  it("treats `needs:` with nothing after it as no needs", () => {
    expect(ok("---\ntitle: T\nneeds:\n---\n").needs).toEqual([]);
    expect(ok("---\ntitle: T\nneeds: []\n---\n").needs).toEqual([]);
  });

  it.each([
    ["an unknown key", "---\ntitle: x\n\nauthor: me\n---\n", /unknown front matter key 'author'/, 4],
    ["a title that is a list", "---\ntitle: [a, b]\n---\n", /title must be text/, 2],
    ["needs that is a mapping", "---\ntitle: x\nneeds:\n  chapter: 5\n---\n", /needs must be a list/, 4],
    ["a needs entry that is a list", "---\ntitle: x\nneeds:\n  - chapter-01\n  - [chapter-02]\n---\n", /each entry of needs/, 5],
    ["a key given twice", "---\ntitle: x\nneeds: []\ntitle: y\n---\n", /not valid YAML: Map keys must be unique/, 4],
    ["an unclosed quote", '---\ntitle: x\nneeds: ["chapter-01]\n---\n', /not valid YAML/, 3],
    ["a bad indentation", "---\ntitle: x\n  needs: []\n---\n", /not valid YAML/, 2],
    ["an empty title", "---\ntitle: ''\n---\n", /the title is empty/, 2],
    ["a document that is not a mapping", "---\n- a\n- b\n---\n", /must be 'key: value' lines/, 2],
  ])("reports %s as a located error", (_, src, what, line) => {
    const [p, ...more] = bad(src);
    expect(p?.what).toMatch(what);
    expect(p?.line).toBe(line);
    expect(p?.fix).not.toBe("");
    expect(more.every((m) => m.line >= 1)).toBe(true);
  });

  it("locates errors on CRLF files at the same lines", () => {
    const [p] = bad("---\r\ntitle: x\r\nauthor: me\r\n---\r\n");
    expect(p).toMatchObject({ line: 3, what: "unknown front matter key 'author'" });
  });

  describe("a hostile size (the YAML parser's unique-key check is quadratic): refused before parsing", () => {
    const keys = (n: number, sep: string) => Array.from({ length: n }, (_, i) => `k${i}: 1`).join(sep);

    it("40,000 keys: one problem, at the first line past the limit", () => {
      const problems = bad(`---\ntitle: T\n${keys(40_000, "\n")}\n---\nbody\n`);
      expect(problems).toEqual([
        { line: 102, what: "the front matter is longer than 100 lines (it holds only title: and needs:)", fix: expect.stringMatching(/'---'/) },
      ]);
    });

    it("20,000 keys in one flow mapping on one line: one problem, on that line", () => {
      const problems = bad(`---\ntitle: T\nneeds: {${keys(20_000, ", ")}}\n---\n`);
      expect(problems).toEqual([
        { line: 3, what: "the front matter is longer than 4096 characters (it holds only title: and needs:)", fix: expect.any(String) },
      ]);
    });

    it("a front matter left open, closed by a '---' rule far down the body, is said to be too long", () => {
      const body = Array.from({ length: 300 }, (_, i) => `Paragraph ${i}.\n`).join("\n");
      expect(bad(`---\ntitle: T\n\n${body}\n---\n\nmore\n`)[0]?.fix).toMatch(/was it left open/);
    });

    it("takes 100 lines and 4096 characters", () => {
      const needs = Array.from({ length: 98 }, (_, i) => `  - chapter-${String((i % 12) + 1).padStart(2, "0")}`);
      expect(ok(`---\ntitle: T\nneeds:\n${needs.join("\n")}\n---\n`).needs).toHaveLength(98);
      const title = "x".repeat(4096 - "title: ".length - 1);
      expect(ok(`---\ntitle: ${title}\n---\n`).title).toBe(title);
      expect(bad(`---\ntitle: ${title}x\n---\n`)[0]?.what).toMatch(/longer than 4096 characters/);
    });
  });
});
