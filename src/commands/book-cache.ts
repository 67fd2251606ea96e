// The parsed book, from a cache when the chapters have not changed: parsing
// twelve chapters with a cold JIT costs more than starting Node does.
// The cache key is every chapter file's name and bytes and the consh-book code
// that parsed them, so any change parses afresh; a cache that cannot be read or
// written is ignored.

import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Book } from "../book/model.js";
import { checksum } from "../util/checksum.js";
import { cacheRoot, readCacheFile, writeCacheFile } from "./cache-file.js";

const FORMAT = 3;

interface CacheFile {
  format: typeof FORMAT;
  key: string;
  book: Book;
}

export function cacheDir(env: NodeJS.ProcessEnv): string {
  return join(cacheRoot(env), "books");
}

/** Where the parsed book at `bookDir` is cached (undefined: on a Node without zlib.crc32, nowhere). */
export function cacheFile(bookDir: string, env: NodeJS.ProcessEnv): string | undefined {
  const sum = checksum(Buffer.from(bookDir));
  return sum === undefined ? undefined : join(cacheDir(env), `${sum}.json`);
}

/**
 * The chapters' names and whole contents (as Latin-1, which keeps every byte)
 * and this build of consh-book: the cache is used only when they are exactly
 * what it was made from, so no chapter can be swapped for another that merely
 * hashes the same. Undefined if they cannot be read.
 */
function keyOf(bookDir: string): string | undefined {
  try {
    const self = statSync(fileURLToPath(import.meta.url));
    const parts = [`${FORMAT}\0${fileURLToPath(import.meta.url)}\0${self.size}\0${self.mtimeMs}\0`];
    const dir = join(bookDir, "chapters");
    for (const name of readdirSync(dir)
      .filter((f) => f.endsWith(".md"))
      .sort()) {
      // Never open what is not a regular file (a FIFO would block): the parser reports it.
      if (!statSync(join(dir, name)).isFile()) return undefined;
      const bytes = readFileSync(join(dir, name));
      parts.push(`${name}\0${bytes.length}\0`, bytes.toString("latin1"));
    }
    return parts.join("");
  } catch {
    return undefined; // the parser reports what is wrong
  }
}

/** Step redactions' RegExps are stored as {$regexp: source, flags}. */
const replacer = (_: string, v: unknown) => (v instanceof RegExp ? { $regexp: v.source, flags: v.flags } : v);

/**
 * The stored redactions made RegExps again, walked where they are (a reviver
 * given to JSON.parse would be called for every value of the book: 1-2 ms).
 * Anything else in their place throws: the cache is then not used.
 */
function reviveRegExps(book: Book): Book {
  for (const chapter of book.chapters)
    for (const block of chapter.blocks)
      if (block.kind === "step")
        for (const r of block.redactions) {
          const stored = r.pattern as unknown as { $regexp?: unknown; flags?: unknown };
          if (typeof stored?.$regexp !== "string" || typeof stored.flags !== "string") throw new Error("a redaction is not a stored RegExp");
          r.pattern = new RegExp(stored.$regexp, stored.flags);
        }
  return book;
}

/** The cached book holds the commands a run executes: read only from a trusted cache file (cache-file.ts). */
function read(file: string, key: string): Book | undefined {
  const text = readCacheFile(file);
  if (text === undefined) return undefined;
  try {
    const c = JSON.parse(text) as CacheFile;
    if (c.format !== FORMAT || c.key !== key || !Array.isArray(c.book?.chapters)) return undefined;
    return reviveRegExps(c.book);
  } catch {
    return undefined;
  }
}

/** Loads the book at `bookDir` (resolved), from the cache when its chapters are unchanged. */
export async function loadBookCached(bookDir: string, env: NodeJS.ProcessEnv): Promise<Book> {
  const file = cacheFile(bookDir, env);
  const key = file === undefined ? undefined : keyOf(bookDir);
  const hit = file !== undefined && key !== undefined ? read(file, key) : undefined;
  if (hit && hit.dir === bookDir) return hit;
  const { loadBook } = await import("../book/load-book.js");
  const book = loadBook(bookDir);
  if (file !== undefined && key !== undefined) writeCacheFile(file, JSON.stringify({ format: FORMAT, key, book } satisfies CacheFile, replacer));
  return book;
}
