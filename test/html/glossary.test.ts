// The HTML edition's glossary: glossary.html with every entry, linked from the
// index and every chapter page; a chapter links the first use of each term (a
// word or a whole code span in its running text, never a heading, a link or a
// step) to its entry, and the glossary links back to those places.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadBook } from "../../src/book/load-book.js";
import { buildSite, type SiteFile } from "../../src/html/site.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function site(chapters: Record<string, string>, glossary?: string): SiteFile[] {
  const dir = mkdtempSync(join(tmpdir(), "consh-html-gloss-"));
  dirs.push(dir);
  mkdirSync(join(dir, "chapters"));
  mkdirSync(join(dir, "snapshots"));
  for (const [n, t] of Object.entries(chapters)) writeFileSync(join(dir, "chapters", n), t);
  if (glossary !== undefined) writeFileSync(join(dir, "chapters", "glossary.md"), glossary);
  return buildSite(loadBook(dir));
}

const page = (files: SiteFile[], path: string) => String(files.find((f) => f.path === path)?.content);

const GLOSSARY =
  "# Glossary\n\n## whiteout\n\nHides a <b>deleted</b> file.\n\nAlso: whiteouts.\n\n## pivot_root\n\nSwaps the root.\n\n## mount\n\nAttaches a filesystem.\n";
const CH1 = [
  "---\ntitle: One\n---\n",
  "# One\n",
  "## Whiteout first\n",
  "A [whiteout link](https://example.org) and then whiteouts, twice: a whiteout.\n",
  "```sh {step=s}\necho whiteout pivot_root\n```\n",
  "Then `pivot_root` and `pivot_root new old`; a remount is something else.\n",
].join("\n");
const CH2 = "---\ntitle: Two\n---\n\nNo terms here but a Whiteout.\n";

describe("glossary.html", () => {
  it("lists every entry with its text (escaped), its other spellings and where chapters first use it", () => {
    const files = site({ "chapter-01-one.md": CH1, "chapter-02-two.md": CH2 }, GLOSSARY);
    const g = page(files, "glossary.html");
    expect(g).toContain('<section class="gloss-entry" id="whiteout">\n<h2>whiteout</h2>\n<p>Hides a &lt;b&gt;deleted&lt;/b&gt; file.</p>');
    expect(g).toContain("Also: whiteouts.");
    expect(g).toContain('First used in <a href="chapter-01.html#term-whiteout">chapter 1</a>, <a href="chapter-02.html#term-whiteout">chapter 2</a>.');
    expect(g).toContain('First used in <a href="chapter-01.html#term-pivot-root">chapter 1</a>.');
    expect(g).not.toMatch(/id="mount">[\s\S]*?First used in[\s\S]*?<\/section>/); // "remount" is not "mount"
  });

  it("is linked from the index and every chapter page", () => {
    const files = site({ "chapter-01-one.md": CH1, "chapter-02-two.md": CH2 }, GLOSSARY);
    for (const p of ["index.html", "chapter-01.html", "chapter-02.html"]) expect(page(files, p), p).toContain('<a href="glossary.html">glossary</a>');
  });

  it("links only the first use of each term in a chapter's text: not in a heading, a link or a step", () => {
    const ch1 = page(site({ "chapter-01-one.md": CH1 }, GLOSSARY), "chapter-01.html");
    const links = ch1.match(/<a [^>]*class="gloss"[^>]*>.*?<\/a>/g) ?? [];
    expect(links).toEqual([
      '<a href="glossary.html#whiteout" class="gloss" id="term-whiteout" title="glossary: whiteout">whiteouts</a>',
      '<a href="glossary.html#pivot-root" class="gloss" id="term-pivot-root" title="glossary: pivot_root"><code>pivot_root</code></a>',
    ]);
    expect(ch1).toContain("Whiteout first</h2>");
    expect(ch1).toContain('<a href="https://example.org">whiteout link</a>');
  });

  it("is not made for a book without a glossary, and no page links to one", () => {
    const files = site({ "chapter-01-one.md": CH1 });
    expect(files.some((f) => f.path === "glossary.html")).toBe(false);
    expect(page(files, "chapter-01.html")).not.toContain("glossary.html");
  });

  it("the shipped book: chapter 2 links whiteout and copy-up, chapter 6 pivot_root and mount propagation", () => {
    const files = buildSite(loadBook(ROOT));
    expect(page(files, "chapter-02.html")).toMatch(/<a href="glossary.html#whiteout" class="gloss" id="term-whiteout"[^>]*>whiteout<\/a>/);
    expect(page(files, "chapter-02.html")).toMatch(/href="glossary.html#copy-up"/);
    expect(page(files, "chapter-06.html")).toMatch(/href="glossary.html#pivot-root"/);
    expect(page(files, "chapter-06.html")).toMatch(/href="glossary.html#mount-propagation"/);
    expect(page(files, "glossary.html")).toContain('<section class="gloss-entry" id="whiteout">');
  });
});
