// The parsed book (chapters and glossary), from a cache when they have not changed: parsing
// twelve chapters with a cold JIT costs more than starting Node does. The
// chapter files are read once; the cache key is exactly those bytes (with their
// names) and the consh-book code that parses them, and on a miss those same
// bytes are parsed, so a cached book is always the parse of its key. The book is
// plain data (JSON both ways). A cache that cannot be read or written is ignored.

import { statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cacheRoot, readCacheFile, writeCacheFile } from "../util/cache-file.js";
import { crc32 } from "node:zlib";
import { type ChapterFile, readBookFiles } from "./book-files.js";
import type { Book } from "./model.js";

const FORMAT = 5;
/** Under the 16 MiB that a cache file may have to be read (util/trust.ts readOwnedFile), in characters of JSON. */
const MAX_CACHE_CHARS = 8 << 20;

interface CacheFile {
  format: typeof FORMAT;
  key: string;
  book: Book;
}

export function cacheDir(env: NodeJS.ProcessEnv): string {
  return join(cacheRoot(env), "books");
}

/** Where the parsed book at `bookDir` is cached: a file named by a CRC-32 of the path (the file holds its whole key). */
export function cacheFile(bookDir: string, env: NodeJS.ProcessEnv): string {
  return join(cacheDir(env), `${crc32(bookDir).toString(16).padStart(8, "0")}.json`);
}

/** This build of consh-book (the file of this module), or undefined when it is gone (uninstalled mid-run). */
function build(): string | undefined {
  try {
    const self = fileURLToPath(import.meta.url);
    const st = statSync(self);
    return `${FORMAT}\0${self}\0${st.size}\0${st.mtimeMs}\0`;
  } catch {
    return undefined;
  }
}

/**
 * The key of these chapter files: their names and whole bytes (as Latin-1,
 * which keeps every byte) after the build, compared exactly, so that no chapter
 * can be swapped for another that merely hashes the same. Undefined when a file
 * could not be read (the parser reports it) or the build is unknown.
 */
function keyOf(files: readonly ChapterFile[]): string | undefined {
  const self = build();
  if (self === undefined) return undefined;
  const parts = [self];
  for (const f of files) {
    if (!Buffer.isBuffer(f.bytes)) return undefined;
    parts.push(`${f.base}\0${f.bytes.length}\0`, f.bytes.toString("latin1"));
  }
  return parts.join("");
}

/** The cached book holds the commands a run executes: read only from a trusted cache file (util/cache-file.ts). */
function read(file: string, key: string, bookDir: string): Book | undefined {
  const text = readCacheFile(file);
  if (text === undefined) return undefined;
  try {
    const c = JSON.parse(text) as CacheFile;
    return c.format === FORMAT && c.key === key && c.book?.dir === bookDir && Array.isArray(c.book.chapters) ? c.book : undefined;
  } catch {
    return undefined;
  }
}

/** Loads the book at `dir`, from the cache when its chapters are unchanged. (`seam.afterRead`: for tests, between reading and parsing.) */
export async function loadBookCached(dir: string, env: NodeJS.ProcessEnv, seam: { afterRead?: () => void } = {}): Promise<Book> {
  const { bookDir, files, glossary } = readBookFiles(dir);
  seam.afterRead?.();
  const file = cacheFile(bookDir, env);
  const key = keyOf(glossary ? [...files, glossary] : files);
  const hit = key !== undefined ? read(file, key, bookDir) : undefined;
  if (hit) return hit;
  const { parseBook } = await import("./load-book.js");
  const book = parseBook(bookDir, files, glossary);
  const text = key === undefined ? undefined : JSON.stringify({ format: FORMAT, key, book } satisfies CacheFile);
  // A cache larger than readCacheFile reads would be written at every run and never used.
  if (text !== undefined && text.length <= MAX_CACHE_CHARS) writeCacheFile(file, text);
  return book;
}
