// The glossary: parsing chapters/glossary.md (entries, other spellings, problems at
// file:line), looking terms up, finding them in running text; the book loads it
// beside the chapters and caches it; the shipped glossary has the book's terms.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadBookCached } from "../../src/book/book-cache.js";
import { findTerm, suggestTerm, termMatcher } from "../../src/book/glossary.js";
import { parseGlossary } from "../../src/book/glossary-parse.js";
import { loadBook } from "../../src/book/load-book.js";
import type { Glossary } from "../../src/book/model.js";
import { ChapterSyntaxError } from "../../src/errors.js";

const ROOT = new URL("../../", import.meta.url).pathname;

const SAMPLE = `# Glossary

Words of the book.

## whiteout

Hides a deleted *lower* file.

Also: whiteouts.

## namespace

A wrapper.

- one kind
- another kind

## user namespace

Its own IDs.

## copy-up

Copies a file up. Also: not a spelling line, this sentence stays.

Also: copy up, copied up.
`;

function glossary(source = SAMPLE): Glossary {
  const g = parseGlossary("/b/chapters/glossary.md", source);
  if (Array.isArray(g)) throw new Error(g.map((p) => `${p.line}: ${p.what}`).join("; "));
  return g;
}

const problems = (source: string) => {
  const g = parseGlossary("/b/chapters/glossary.md", source);
  return Array.isArray(g) ? g.map((p) => `${p.file}:${p.line}: ${p.what}`) : [];
};

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

describe("parseGlossary", () => {
  it("reads one entry per ## heading with its text, its Also: spellings, anchor and line", () => {
    const g = glossary();
    expect(g.entries.map((e) => [e.term, e.also, e.anchor, e.line])).toEqual([
      ["whiteout", ["whiteouts"], "whiteout", 5],
      ["namespace", [], "namespace", 11],
      ["user namespace", [], "user-namespace", 18],
      ["copy-up", ["copy up", "copied up"], "copy-up", 22],
    ]);
    expect(g.entries[1]!.prose.map((b) => b.kind)).toEqual(["paragraph", "list-open", "item", "paragraph", "item", "paragraph", "list-close"]);
    expect(g.entries[0]!.markdown).toBe("Hides a deleted *lower* file.");
    expect(g.entries[3]!.markdown).toBe("Copies a file up. Also: not a spelling line, this sentence stays.");
    expect(g.introMarkdown).toBe("Words of the book.");
    expect(JSON.parse(JSON.stringify(g))).toEqual(g); // plain data, as the book cache keeps it
  });

  it("reports problems at file:line: other headings, an entry without text, a name given twice, no terms", () => {
    expect(problems("## a\n\ntext\n\n### deeper\n\nmore\n")).toEqual(["/b/chapters/glossary.md:5: a level-3 heading ('deeper') in the glossary"]);
    expect(problems("## a\n\nAlso: b.\n")).toEqual(["/b/chapters/glossary.md:1: the term 'a' has no text"]);
    expect(problems("## a\n\ntext\n\n## b\n\ntext\n\nAlso: A.\n")).toEqual(["/b/chapters/glossary.md:5: 'A' is also a name of 'a' (line 1)"]);
    expect(problems("# Glossary\n\nnothing yet\n")).toEqual(["/b/chapters/glossary.md:1: the glossary has no terms"]);
    expect(problems("text\n\n# Late title\n\n## a\n\ntext\n")).toEqual(["/b/chapters/glossary.md:3: a level-1 heading ('Late title') in the glossary"]);
  });
});

describe("looking terms up", () => {
  it("finds an entry by its term or another spelling, in any case and spacing", () => {
    const g = glossary();
    expect(findTerm(g, "Copied  Up")?.term).toBe("copy-up");
    expect(findTerm(g, "USER NAMESPACE")?.term).toBe("user namespace");
    expect(findTerm(g, "cgroup")).toBeUndefined();
  });

  it("suggests the entry a typo meant", () => {
    const g = glossary();
    expect(suggestTerm(g, "whiteot")?.term).toBe("whiteout");
    expect(suggestTerm(g, "user namspace")?.term).toBe("user namespace");
    expect(suggestTerm(g, "cgroup")).toBeUndefined();
  });

  it("finds terms in text: whole words, plurals, the longest first, never inside another word", () => {
    const m = termMatcher(glossary());
    const found = (text: string) => {
      const out: string[] = [];
      for (let u = m.inText(text, 0); u; u = m.inText(text, u.index + u.length)) out.push(`${u.entry.term}=${text.slice(u.index, u.index + u.length)}`);
      return out;
    };
    expect(found("A user namespace owns namespaces; whiteouts hide.")).toEqual(["user namespace=user namespace", "namespace=namespaces", "whiteout=whiteouts"]);
    expect(found("subnamespace, namespace-ish and Copy-Up")).toEqual(["copy-up=Copy-Up"]);
    expect(m.exact("copy-up")?.term).toBe("copy-up");
    expect(m.exact("copy-up -x")).toBeUndefined();
  });
});

describe("the glossary in a book", () => {
  function bookDir(glossaryText: string): string {
    const dir = mkdtempSync(join(tmpdir(), "consh-gloss-book-"));
    dirs.push(dir);
    mkdirSync(join(dir, "chapters"));
    writeFileSync(join(dir, "chapters", "chapter-01-a.md"), "---\ntitle: A\n---\n\ntext\n");
    writeFileSync(join(dir, "chapters", "glossary.md"), glossaryText);
    return dir;
  }

  it("is read beside the chapters, is not a chapter, and a change to it is not hidden by the cache", async () => {
    const dir = bookDir(SAMPLE);
    const env = { XDG_CACHE_HOME: join(dir, "cache") };
    const first = await loadBookCached(dir, env);
    expect(first.chapters.map((c) => c.id)).toEqual(["chapter-01"]);
    expect(first.glossary?.entries).toHaveLength(4);
    expect(await loadBookCached(dir, env)).toEqual(first); // from the cache
    writeFileSync(join(dir, "chapters", "glossary.md"), SAMPLE.replace("## whiteout", "## whiteout layer"));
    expect((await loadBookCached(dir, env)).glossary?.entries[0]?.term).toBe("whiteout layer");
  });

  it("makes the book fail to load, at its file and line, when it is malformed", () => {
    const dir = bookDir("## a\n\n### b\n");
    expect(() => loadBook(dir)).toThrow(ChapterSyntaxError);
    expect(() => loadBook(dir)).toThrow(/glossary\.md:3: a level-3 heading/);
  });

  it("the shipped glossary explains the terms a learner meets in the book", () => {
    const g = loadBook(ROOT).glossary!;
    const terms = [
      "whiteout",
      "copy-up",
      "upper dir",
      "lower dir",
      "work dir",
      "overlay",
      "mount propagation",
      "shared mount",
      "private mount",
      "slave mount",
      "pivot_root",
      "namespace",
      "user namespace",
      "uid map",
      "gid map",
      "overflow uid",
      "65534",
      "capability",
      "capability set",
      "capability mask",
      "cgroup",
      "cgroup delegation",
      "controller",
      "subtree_control",
      "cpu.max",
      "quota",
      "period",
      "veth",
      "netns",
      "bind mount",
      "PID 1",
      "busybox applet",
      "static linking",
    ];
    expect(terms.filter((t) => !findTerm(g, t))).toEqual([]);
    // every kind of namespace chapter 3 lists, and the time namespace it explains
    for (const kind of ["PID", "mount", "UTS", "network", "IPC", "cgroup", "user", "time"]) expect(findTerm(g, `${kind} namespace`), kind).toBeDefined();
    for (const e of g.entries) expect(e.markdown.length, e.term).toBeGreaterThan(60);
  });
});
