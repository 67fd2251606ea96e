// On a Node without zlib.crc32 (before 20.15) there is no checksum, and so no
// cache is trusted: the book cache steps aside and the book is parsed each time.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";

vi.mock("node:zlib", async (original) => ({ ...(await original<typeof import("node:zlib")>()), crc32: undefined }));

describe("without zlib.crc32", () => {
  it("gives no checksum, and the book cache writes nothing and still works", async () => {
    const { checksum } = await import("../../src/util/checksum.js");
    expect(checksum(Buffer.from("123456789"))).toBeUndefined();
    const { cacheFile, loadBookCached } = await import("../../src/book/book-cache.js");
    const dir = mkdtempSync(join(tmpdir(), "consh-no-crc-"));
    try {
      const env = { XDG_CACHE_HOME: dir };
      expect(cacheFile("/some/book", env)).toBeUndefined();
      const book = await loadBookCached(join(__dirname, "../fixtures/basic"), env);
      expect(book.chapters.length).toBeGreaterThan(0);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
