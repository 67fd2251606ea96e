// `consh-book html [--out DIR]`: the book as a static site (index, one page per
// chapter with its recorded outputs, figures), viewable offline.

import { relative, resolve } from "node:path";
import { loadBook } from "../book/load-book.js";
import { ExitCode } from "../errors.js";
import { buildSite } from "../html/site.js";
import { writeSite } from "../html/write-site.js";
import type { Io } from "../util/io.js";
import { resolveBookDir } from "../book/book-dir.js";

const DEFAULT_OUT = "consh-book-site";

export function htmlCommand(flags: { out?: string; book?: string }, io: Io): number {
  const book = loadBook(resolveBookDir(flags.book));
  const files = buildSite(book);
  const dir = writeSite(resolve(io.cwd, flags.out ?? DEFAULT_OUT), files);
  const pages = files.filter((f) => f.path.endsWith(".html")).length;
  const rel = relative(io.cwd, dir);
  const shown = rel === "" ? "." : rel.startsWith("..") ? dir : rel;
  io.out(`wrote ${pages} pages and ${files.length - pages} other files to ${shown}/\nopen ${shown}/index.html in a browser (no network needed)\n`);
  return ExitCode.pass;
}
