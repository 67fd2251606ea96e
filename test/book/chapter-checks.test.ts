// Chapter checks that must fail list/show (file:line) rather than a run: file= paths,
// chapter numbers, fence-like lines swallowed by a block, files that are not files.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { filePathProblem } from "../../src/book/block.js";
import { loadBook } from "../../src/book/load-book.js";
import { readChapterFile } from "../../src/book/book-files.js";
import { parseChapter } from "../../src/book/parse-chapter.js";
import { ChapterSyntaxError, type ChapterProblem } from "../../src/errors.js";

const FILE = "/book/chapters/chapter-03-demo.md";
const chapter = (body: string) => `---\ntitle: Demo\n---\n${body}`;

function problems(source: string, base = "chapter-03-demo.md"): ChapterProblem[] {
  const r = parseChapter(FILE, base, source);
  if (!Array.isArray(r)) throw new Error("expected problems, got a chapter");
  return r;
}

describe("file= paths", () => {
  it.each([
    ['""', /names no path/],
    [".", /names the work dir itself/],
    ["./", /ends with '\/'/],
    ["bin/", /ends with '\/'/],
    ["a//b", /empty component/],
    ["a/./b", /'\.' component.*/],
    ["../x", /leaves the run's work dir/],
    ["/etc/x", /leaves the run's work dir/],
    ['"a\\u0001b"'.replace("\\u0001", "\u0001"), /control characters/],
    [`${"n".repeat(256)}`, /longer than 255 bytes/],
  ])("file=%s is a located error at the fence's line", (path, what) => {
    const p = problems(chapter(`\ntext\n\n\`\`\`sh {file=${path}}\necho\n\`\`\`\n`));
    expect(p).toHaveLength(1);
    expect(p[0]!.line).toBe(7);
    expect(p[0]!.what).toMatch(what);
    expect(p[0]!.fix).not.toBe("");
  });

  it("suggests the clean spelling", () => {
    expect(filePathProblem("a//b")?.fix).toBe("write it with single slashes: file=a/b");
    expect(filePathProblem("./a/b")?.fix).toBe("write it as file=a/b");
    expect(filePathProblem("bin/x.sh")).toBeUndefined();
    expect(filePathProblem("x")).toBeUndefined();
  });
});

describe("chapter numbers", () => {
  it("00 is an error, 01 and 99 are chapters", () => {
    const p = problems(chapter("\ntext\n"), "chapter-00-zero.md");
    expect(p[0]).toMatchObject({ line: 1, what: "chapter number 00 is out of range" });
    expect(p[0]!.fix).toMatch(/01 to 99/);
    for (const base of ["chapter-01-a.md", "chapter-99-z.md"]) {
      const r = parseChapter(FILE, base, chapter("\ntext\n"));
      expect(Array.isArray(r)).toBe(false);
    }
    expect(problems(chapter(""), "chapter-100-x.md")[0]!.what).toMatch(/not a chapter file name/);
  });
});

describe("a fence-like line inside a step", () => {
  it("reports an unclosed step that swallows the next one, at the swallowed line", () => {
    const src = chapter(["", "```sh {step=one}", "echo one", "", "```sh {step=two}", "echo two", "```", ""].join("\n"));
    const p = problems(src);
    expect(p).toHaveLength(1);
    expect(p[0]!.line).toBe(8);
    expect(p[0]!.what).toMatch(/'```sh \{step=two\}' looks like the start of a step but is inside the block opened at line 5/);
    expect(p[0]!.fix).toMatch(/close the block before it with a line of ```/);
  });

  it("reports a step swallowed by a longer or different fence", () => {
    const four = problems(chapter(["", "````sh {step=one}", "echo one", "```", "", "```sh {step=two}", "echo two", "```", "````", ""].join("\n")));
    expect(four.map((x) => x.line)).toEqual([9]);
    expect(four[0]!.fix).toMatch(/````/);
    const tilde = problems(chapter(["", "~~~sh {step=one}", "echo one", "```sh {file=x.sh}", "echo two", "```", "~~~", ""].join("\n")));
    expect(tilde.map((x) => x.line)).toEqual([7]);
  });

  it("reports a step swallowed by an unclosed prose block (it would never run)", () => {
    const p = problems(chapter(["", "```", "some text", "", "```sh {step=lost}", "echo lost", "```", ""].join("\n")));
    expect(p.map((x) => x.line)).toEqual([8]);
    expect(p[0]!.what).toMatch(/inside the prose block opened at line 5, so it would never run/);
    expect(p[0]!.fix).toMatch(/open the block with ````/);
  });

  it("leaves prose blocks that show the syntax alone", () => {
    const r = parseChapter(FILE, "chapter-03-demo.md", chapter(["", "````markdown", "```sh {step=example}", "ls", "```", "````", ""].join("\n")));
    expect(Array.isArray(r)).toBe(false);
  });
});

describe("chapter files that are not regular files", () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const setup = () => {
    dir = mkdtempSync(join(tmpdir(), "consh-test-book-"));
    mkdirSync(join(dir, "chapters"));
    writeFileSync(join(dir, "chapters", "chapter-01-fine.md"), chapter("\ntext\n"));
    return join(dir, "chapters");
  };
  const loadProblems = (): ChapterProblem[] => {
    try {
      loadBook(dir);
    } catch (err) {
      expect(err).toBeInstanceOf(ChapterSyntaxError);
      return (err as ChapterSyntaxError).problems;
    }
    throw new Error("expected a chapter error");
  };

  it.each([
    ["a directory", (c: string) => mkdirSync(join(c, "chapter-02-dir.md")), /is a directory, not a regular file/],
    ["a dangling symlink", (c: string) => symlinkSync(join(c, "nowhere.md"), join(c, "chapter-02-dangling.md")), /symbolic link to nothing/],
    ["a symlink loop", (c: string) => symlinkSync(join(c, "chapter-02-loop.md"), join(c, "chapter-02-loop.md")), /loop of symbolic links/],
    ["a FIFO (without hanging)", (c: string) => execFileSync("mkfifo", [join(c, "chapter-02-fifo.md")]), /named pipe \(FIFO\)/],
  ])("%s is a located chapter error", (_what, make, message) => {
    const c = setup();
    make(c);
    const p = loadProblems();
    expect(p).toHaveLength(1);
    expect(p[0]!.file).toMatch(/chapter-02-[a-z]+\.md$/);
    expect(p[0]!.line).toBe(1);
    expect(p[0]!.what).toMatch(message);
    expect(p[0]!.fix).not.toBe("");
  });

  it("reads a symlink to a regular file", () => {
    const c = setup();
    writeFileSync(join(dir, "real.md"), chapter("\nhello\n"));
    symlinkSync(join(dir, "real.md"), join(c, "chapter-02-linked.md"));
    expect(loadBook(dir).chapters.map((x) => x.id)).toEqual(["chapter-01", "chapter-02"]);
    expect(String(readChapterFile(join(c, "chapter-02-linked.md")))).toMatch(/hello/);
  });
});

describe("line ends and byte order marks", () => {
  it("reads a chapter with CRLF line ends as an author expects: its steps get Unix line ends", () => {
    const r = parseChapter(FILE, "chapter-03-demo.md", chapter("\ntext\r\n```sh {step=a}\r\necho hi\r\n```\r\n"));
    expect(Array.isArray(r)).toBe(false);
    const steps = (r as Exclude<typeof r, ChapterProblem[]>).chapter.blocks;
    expect(steps).toMatchObject([{ kind: "step", id: "a", text: "echo hi\n" }]);
  });

  it("says a chapter starts with a BOM", () => {
    const p = problems(`\ufeff${chapter("\ntext\n")}`);
    expect(p[0]).toMatchObject({ line: 1, what: "the file starts with a byte order mark (BOM)" });
  });

  it("says where a lone carriage return is", () => {
    expect(problems(chapter("\n```sh {step=a}\nprintf 'x\ry'\n```\n"))[0]).toMatchObject({ line: 6, what: "the line holds a carriage return (\\r)" });
  });
});

describe("file= blocks that cannot all be written", () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reports a path another block needs as a directory, across chapters", () => {
    dir = mkdtempSync(join(tmpdir(), "consh-test-book-"));
    mkdirSync(join(dir, "chapters"));
    writeFileSync(join(dir, "chapters", "chapter-01-a.md"), chapter("\n```sh {file=bin}\necho\n```\n"));
    writeFileSync(join(dir, "chapters", "chapter-02-b.md"), chapter("\ntext\n\n```sh {file=bin/x.sh}\necho\n```\n"));
    let problems: ChapterProblem[] = [];
    try {
      loadBook(dir);
    } catch (err) {
      problems = (err as ChapterSyntaxError).problems;
    }
    expect(problems).toHaveLength(1);
    expect(problems[0]!.file).toMatch(/chapter-02-b\.md$/);
    expect(problems[0]!.line).toBe(7);
    expect(problems[0]!.what).toMatch(/file=bin\/x\.sh needs 'bin' to be a directory, but file=bin \(.*chapter-01-a\.md:5\) writes a file there/);
  });
});
