import { execFileSync } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { loadBook } from "../../src/book/load-book.js";
import { cacheDir, cacheFile, loadBookCached } from "../../src/book/book-cache.js";

/** Sets the 32 bits at `at` so that the CRC-32 of `bytes` becomes `want` (CRC is affine: solved over GF(2)). */
function fixCrc(bytes: Buffer, at: number, want: number): void {
  bytes.writeUInt32LE(0, at);
  const base = crc32(bytes);
  // What flipping each of the 32 bits does to the CRC, then Gaussian elimination.
  const rows = Array.from({ length: 32 }, (_, i) => {
    bytes[at + (i >> 3)]! ^= 1 << (i & 7);
    const effect = (crc32(bytes) ^ base) >>> 0;
    bytes[at + (i >> 3)]! ^= 1 << (i & 7);
    return { effect, bits: 2 ** i };
  });
  let target = (want ^ base) >>> 0;
  let chosen = 0;
  for (let bit = 31; bit >= 0; bit--) {
    const mask = 2 ** bit;
    const pivot = rows.findIndex((r) => (r.effect & mask) !== 0);
    if (pivot < 0) continue;
    const p = rows.splice(pivot, 1)[0]!;
    for (const r of rows) if (r.effect & mask) Object.assign(r, { effect: (r.effect ^ p.effect) >>> 0, bits: r.bits ^ p.bits });
    if (target & mask) {
      target = (target ^ p.effect) >>> 0;
      chosen = (chosen ^ p.bits) >>> 0;
    }
  }
  bytes.writeUInt32LE(chosen, at);
}

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
    expect(step.kind === "step" && step.redactions[0]).toEqual({ name: "ID", source: "id=(\\d+)", flags: "gm" });
  });

  it("parses afresh when a chapter changes", async () => {
    const { book, env, write } = setup();
    expect((await loadBookCached(book, env)).chapters[0]!.title).toBe("First");
    write("Second");
    expect((await loadBookCached(book, env)).chapters[0]!.title).toBe("Second");
  });

  it("parses afresh when the cache was made by another format", async () => {
    const { book, env } = setup();
    await loadBookCached(book, env);
    const file = cacheFile(book, env);
    const cached = JSON.parse(readFileSync(file, "utf8"));
    cached.format = 3;
    cached.book.chapters[0].title = "From an old cache";
    writeFileSync(file, JSON.stringify(cached));
    expect((await loadBookCached(book, env)).chapters[0]!.title).toBe("First");
  });

  it("caches the parse of exactly the bytes it read, even when a chapter is swapped right after the read", async () => {
    const { book, env, write } = setup();
    // The chapter is replaced between reading it and parsing it (the seam forces the interleaving).
    const loaded = await loadBookCached(book, env, { afterRead: () => write("Swapped") });
    expect(loaded.chapters[0]!.title).toBe("First");
    const cached = JSON.parse(readFileSync(cacheFile(book, env), "utf8"));
    expect(cached.book.chapters[0].title).toBe("First");
    expect(cached.key).toContain("title: First");
    expect(cached.key).not.toContain("Swapped");
    // The swapped chapter is what the next load reads, and it is parsed afresh.
    expect((await loadBookCached(book, env)).chapters[0]!.title).toBe("Swapped");
  });

  it("parses afresh when a chapter is swapped for one of the same length and CRC-32", async () => {
    const { book, env } = setup();
    const file = join(book, "chapters", "chapter-01-a.md");
    const original = readFileSync(file);
    expect((await loadBookCached(book, env)).chapters[0]!.title).toBe("First");
    // "First" becomes "Evil!", and 4 bytes in the prose are chosen to give the old CRC back.
    const forged = Buffer.concat([original.subarray(0, original.indexOf("\n```")), Buffer.from("\nxxxx"), original.subarray(original.indexOf("\n```"))]);
    const padded = Buffer.concat([original.subarray(0, original.indexOf("\n```")), Buffer.from("\nyyyy"), original.subarray(original.indexOf("\n```"))]);
    forged.write("Evil!", forged.indexOf("First"));
    fixCrc(forged, forged.indexOf("xxxx"), crc32(padded));
    writeFileSync(file, padded);
    expect((await loadBookCached(book, env)).chapters[0]!.title).toBe("First"); // cached for the padded text
    writeFileSync(file, forged);
    expect(forged.length).toBe(padded.length);
    expect(crc32(forged)).toBe(crc32(padded));
    expect((await loadBookCached(book, env)).chapters[0]!.title).toBe("Evil!");
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
