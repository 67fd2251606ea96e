// On a Node without zlib.crc32 (before 20.15) there is no checksum, and so no
// cache is trusted: the code caches, the book cache and the prose cache all step aside.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";

vi.mock("node:zlib", async (original) => ({ ...(await original<typeof import("node:zlib")>()), crc32: undefined }));

describe("without zlib.crc32", () => {
  it("gives no checksum, and the book and prose caches write nothing and still work", async () => {
    const { checksum } = await import("../../src/util/checksum.js");
    expect(checksum(Buffer.from("123456789"))).toBeUndefined();
    const { cacheFile } = await import("../../src/commands/book-cache.js");
    const { proseOf } = await import("../../src/commands/prose-cache.js");
    const dir = mkdtempSync(join(tmpdir(), "consh-no-crc-"));
    try {
      const env = { XDG_CACHE_HOME: dir };
      expect(cacheFile("/some/book", env)).toBeUndefined();
      expect(await proseOf("Some *prose*.\n", env)).toEqual([{ kind: "paragraph", spans: [{ text: "Some prose." }] }]);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
