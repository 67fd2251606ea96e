import { execFileSync } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadBook } from "../../src/book/load-book.js";
import { cacheDir, cacheFile, loadBookCached } from "../../src/commands/book-cache.js";

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});
function setup() {
  const root = mkdtempSync(join(tmpdir(), "consh-cache-test-"));
  dirs.push(root);
  const book = join(root, "book");
  mkdirSync(join(book, "chapters"), { recursive: true });
  mkdirSync(join(book, "snapshots"));
  const write = (title: string) =>
    writeFileSync(join(book, "chapters", "chapter-01-a.md"), `---\ntitle: ${title}\n---\n\n\`\`\`sh {step=s redact="ID:id=(\\d+)"}\necho id=1\n\`\`\`\n`);
  write("First");
  return { book, env: { XDG_CACHE_HOME: join(root, "cache") }, write };
}

describe("the parsed-book cache", () => {
  it("gives the same book as parsing, RegExps included, from the cache on the second call", async () => {
    const { book, env } = setup();
    const first = await loadBookCached(book, env);
    expect(readdirSync(cacheDir(env))).toHaveLength(1);
    const second = await loadBookCached(book, env);
    expect(second).not.toBe(first);
    expect(second).toEqual(loadBook(book));
    const step = second.chapters[0]!.blocks[0]!;
    expect(step.kind === "step" && step.redactions[0]!.pattern).toEqual(/id=(\d+)/gm);
  });

  it("parses afresh when a chapter changes", async () => {
    const { book, env, write } = setup();
    expect((await loadBookCached(book, env)).chapters[0]!.title).toBe("First");
    write("Second");
    expect((await loadBookCached(book, env)).chapters[0]!.title).toBe("Second");
  });

  it("parses afresh when a cached redaction is not a stored RegExp", async () => {
    const { book, env } = setup();
    await loadBookCached(book, env);
    const file = cacheFile(book, env);
    const cached = JSON.parse(readFileSync(file, "utf8"));
    cached.book.chapters[0].blocks[0].redactions[0].pattern = "id=(\\d+)";
    cached.book.chapters[0].title = "From a damaged cache";
    writeFileSync(file, JSON.stringify(cached));
    const loaded = await loadBookCached(book, env);
    expect(loaded.chapters[0]!.title).toBe("First");
    const step = loaded.chapters[0]!.blocks[0]!;
    expect(step.kind === "step" && step.redactions[0]!.pattern).toEqual(/id=(\d+)/gm);
  });

  it("ignores a cache file it cannot read", async () => {
    const { book, env } = setup();
    await loadBookCached(book, env);
    for (const f of readdirSync(cacheDir(env))) writeFileSync(join(cacheDir(env), f), "{ not json");
    expect((await loadBookCached(book, env)).chapters[0]!.title).toBe("First");
  });

  it("does not cache a book with errors: they are reported every time", async () => {
    const { book, env } = setup();
    writeFileSync(join(book, "chapters", "chapter-02-b.md"), "no front matter\n");
    await expect(loadBookCached(book, env)).rejects.toThrow(/no front matter/);
    await expect(loadBookCached(book, env)).rejects.toThrow(/no front matter/);
  });
});

describe.skipIf(process.getuid?.() !== 0)("the parsed-book cache as root with another user's cache dir", () => {
  it("neither reads nor writes there, and never follows a planted link", async () => {
    const { book, env } = setup();
    const dir = cacheDir(env);
    mkdirSync(dir, { recursive: true });
    execFileSync("chown", ["-R", "1000:1000", env.XDG_CACHE_HOME]);
    const victim = join(env.XDG_CACHE_HOME, "..", "victim");
    writeFileSync(victim, "root's\n");
    // Plant links at the cache's name and at every temp name the old code would have written.
    const file = cacheFile(book, env);
    symlinkSync(victim, file);
    for (let pid = process.pid; pid < process.pid + 3; pid++) symlinkSync(victim, `${file}.${pid}.tmp`);
    expect(await loadBookCached(book, env)).toEqual(loadBook(book));
    expect(readFileSync(victim, "utf8")).toBe("root's\n");
    expect(readdirSync(dir).filter((n) => !lstatSync(join(dir, n)).isSymbolicLink())).toEqual([]);
  });
});
