// Chapter prose parsed for the terminal (report/prose.ts), from a cache when the
// same text was parsed before: `read` and step mode then need no Markdown parser
// (loading and running markdown-it costs about 10 ms of a command's start-up).
// A cache file holds the text it was parsed from and is used only for that exact
// text and this build of consh-book; it is read and written as cache-file.ts says.

import { statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Prose } from "../report/prose.js";
import { checksum } from "../util/checksum.js";
import { cacheRoot, readCacheFile, writeCacheFile } from "./cache-file.js";

const FORMAT = 1;

interface CacheFile {
  format: typeof FORMAT;
  /** The consh-book build that parsed it (its bundle's path, size and time). */
  build: string;
  source: string;
  prose: Prose;
}

export function proseCacheDir(env: NodeJS.ProcessEnv): string {
  return join(cacheRoot(env), "prose");
}

/** This build of consh-book; undefined when its file is gone (uninstalled mid-run): then nothing is cached. */
function build(): string | undefined {
  try {
    const self = fileURLToPath(import.meta.url);
    const st = statSync(self);
    return `${self}\0${st.size}\0${st.mtimeMs}`;
  } catch {
    return undefined;
  }
}

const isSpans = (x: unknown) => Array.isArray(x) && x.every((s) => typeof s?.text === "string");

/** Whether `x` has the shape of Prose (a file of the right name but another shape is parsed afresh). */
function isProse(x: unknown): x is Prose {
  return (
    Array.isArray(x) &&
    x.every((b) => {
      switch (b?.kind) {
        case "heading":
          return typeof b.level === "number" && isSpans(b.spans);
        case "paragraph":
          return isSpans(b.spans);
        case "list-open":
          return typeof b.ordered === "boolean";
        case "list-close":
        case "item":
          return true;
        case "code":
          return typeof b.content === "string" && (b.info === undefined || typeof b.info === "string");
        default:
          return false;
      }
    })
  );
}

/** `source` (Markdown without front matter) parsed into the blocks a terminal shows. */
export async function proseOf(source: string, env: NodeJS.ProcessEnv): Promise<Prose> {
  const sum = checksum(Buffer.from(source));
  const stamp = build();
  const file = sum === undefined || stamp === undefined ? undefined : join(proseCacheDir(env), `${sum}.json`);
  const text = file === undefined ? undefined : readCacheFile(file);
  if (text !== undefined) {
    try {
      const c = JSON.parse(text) as CacheFile;
      if (c.format === FORMAT && c.build === stamp && c.source === source && isProse(c.prose)) return c.prose;
    } catch {
      // not a cache file of ours: parse afresh
    }
  }
  const { parseProse } = await import("../report/prose-parse.js");
  const prose = parseProse(source);
  if (file !== undefined && stamp !== undefined) writeCacheFile(file, JSON.stringify({ format: FORMAT, build: stamp, source, prose } satisfies CacheFile));
  return prose;
}
