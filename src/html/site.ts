// Builds the whole static site in memory: index, one page per chapter, the
// glossary, the stylesheet and the figures. Nothing is written here (see write-site.ts).

import { join } from "node:path";
import type { Book, Chapter, GlossaryEntry } from "../book/model.js";
import { ChapterSyntaxError } from "../errors.js";
import { snapshotFileOf } from "../snapshot/snapshot-file.js";
import { readBookFile } from "./book-file.js";
import { chapterPageHtml, pageFileOf, terminalsOf } from "./chapter-page.js";
import { figuresDirOf, readFigures } from "./figures.js";
import { glossaryPageHtml } from "./glossary-page.js";
import { indexPageHtml } from "./index-page.js";
import { readRecordedOutputs } from "./recorded-output.js";
import { STYLE_CSS } from "./style.js";
import { GLOSSARY_PAGE } from "./term-links.js";
import { readVerification, verificationHtml, verificationLine } from "./verification.js";

export interface SiteFile {
  /** Relative path inside the output directory. */
  path: string;
  content: string | Buffer;
}

export function buildSite(book: Book): SiteFile[] {
  const figures = readFigures(book.dir);
  const figuresFile = join(figuresDirOf(book.dir), "figures.json");
  const verification = readVerification(book.dir);
  const titles = new Map(book.chapters.map((c) => [c.id, c.title]));
  const all = book.chapters.flatMap(terminalsOf);
  const terminals = [...new Set(["host", ...all])];
  const known = new Set(book.chapters.map((c) => c.id));
  const stray = figures.find((f) => !known.has(f.chapter));
  if (stray) {
    throw new ChapterSyntaxError([
      {
        file: figuresFile,
        line: 1,
        what: `figure ${stray.file} names '${stray.chapter}', which is not a chapter of this book`,
        fix: `use one of: ${[...known].join(", ")}`,
      },
    ]);
  }
  const files: SiteFile[] = [
    { path: "index.html", content: indexPageHtml({ book, terminals, verificationHtml: verificationHtml(verification), titles }) },
    { path: "style.css", content: STYLE_CSS },
  ];
  const glossary = book.glossary;
  const uses = new Map<string, Chapter[]>();
  book.chapters.forEach((chapter, i) => {
    const used: GlossaryEntry[] = [];
    files.push({
      path: pageFileOf(chapter.id),
      content: chapterPageHtml({
        chapter,
        previous: book.chapters[i - 1],
        next: book.chapters[i + 1],
        terminals,
        outputs: readRecordedOutputs(snapshotFileOf(book, chapter)),
        figures: figures.filter((f) => f.chapter === chapter.id),
        verification: verificationLine(verification),
        titles,
        figuresFile,
        ...(glossary ? { glossary: { glossary, used } } : {}),
      }),
    });
    for (const e of used) uses.set(e.anchor, [...(uses.get(e.anchor) ?? []), chapter]);
  });
  if (glossary) files.push({ path: GLOSSARY_PAGE, content: glossaryPageHtml(book, glossary, uses) });
  for (const file of new Set(figures.map((f) => f.file))) {
    const svg = join(figuresDirOf(book.dir), file);
    const read = readBookFile(svg);
    if (read.state !== "ok") {
      const what = read.state === "missing" ? "does not exist" : read.problem;
      throw new ChapterSyntaxError([{ file: figuresFile, line: 1, what: `figure ${svg} ${what}`, fix: "add the SVG file or remove its entry" }]);
    }
    files.push({ path: `figures/${file}`, content: read.data });
  }
  return files;
}
