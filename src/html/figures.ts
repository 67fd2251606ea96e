// The book's figures: chapters/figures/figures.json says which SVG goes where
// (before a step, or after a heading); the site builder places them.

import { statSync } from "node:fs";
import { join } from "node:path";
import { ChapterSyntaxError, type ChapterProblem } from "../errors.js";
import { readBookFile } from "./book-file.js";

export interface Figure {
  chapter: string;
  /** File name in chapters/figures/. */
  file: string;
  alt: string;
  caption: string;
  /** Placed before this step's block ... */
  beforeStep?: string;
  /** ... or right after the heading with this text. */
  afterHeading?: string;
}

export function figuresDirOf(bookDir: string): string {
  return join(bookDir, "chapters", "figures");
}

const FILE = /^[a-z0-9][a-z0-9-]*\.svg$/;

function svgProblem(file: string): string | undefined {
  try {
    return statSync(file).isFile() ? undefined : "is not a regular file";
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? "does not exist" : `cannot be read (${code ?? (err as Error).message})`;
  }
}

/** The figures of a book; none when it has no figures.json. Throws ChapterSyntaxError naming the entry that is wrong. */
export function readFigures(bookDir: string): Figure[] {
  const dir = figuresDirOf(bookDir);
  const manifest = join(dir, "figures.json");
  const read = readBookFile(manifest);
  if (read.state === "missing") return [];
  if (read.state === "bad")
    throw new ChapterSyntaxError([
      { file: manifest, line: 1, what: `${manifest} ${read.problem}`, fix: "make it a JSON file listing the figures, or remove it" },
    ]);
  const text = read.data.toString("utf8");
  const problem = (what: string, fix: string, near?: string): ChapterProblem => {
    const index = near ? text.indexOf(near) : -1;
    return { file: manifest, line: index < 0 ? 1 : text.slice(0, index).split("\n").length, what, fix };
  };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ChapterSyntaxError([
      problem(`not valid JSON: ${(err as Error).message}`, "write a JSON array of {chapter, file, alt, caption, beforeStep | afterHeading}"),
    ]);
  }
  if (!Array.isArray(data)) throw new ChapterSyntaxError([problem("the top level is not an array", "write a JSON array of figure entries")]);
  const problems: ChapterProblem[] = [];
  const figures: Figure[] = [];
  for (const [i, raw] of data.entries()) {
    const f = raw as Partial<Figure>;
    const near = typeof f.file === "string" ? `"${f.file}"` : undefined;
    const strings = ["chapter", "file", "alt", "caption"] as const;
    const missing = strings.filter((k) => typeof f[k] !== "string" || f[k] === "");
    if (missing.length > 0) {
      problems.push(problem(`entry ${i + 1} lacks ${missing.join(", ")}`, "give every figure a chapter, file, alt and caption", near));
      continue;
    }
    if (!FILE.test(f.file!)) {
      problems.push(problem(`entry ${i + 1}: '${f.file}' is not a plain .svg file name`, "use lower-case letters, digits and dashes, ending in .svg", near));
      continue;
    }
    const svg = svgProblem(join(dir, f.file!));
    if (svg) {
      problems.push(problem(`entry ${i + 1}: ${join(dir, f.file!)} ${svg}`, "add the SVG file or remove the entry", near));
      continue;
    }
    if ((f.beforeStep === undefined) === (f.afterHeading === undefined)) {
      problems.push(
        problem(`entry ${i + 1} (${f.file}) needs exactly one of beforeStep and afterHeading`, 'say where it goes, e.g. "beforeStep": "make-layers"', near),
      );
      continue;
    }
    figures.push(f as Figure);
  }
  if (problems.length > 0) throw new ChapterSyntaxError(problems);
  return figures;
}

/** The HTML of one figure (the SVG is copied next to the pages, under figures/). */
export function figureHtml(f: Figure, esc: (s: string) => string): string {
  return `<figure class="picture"><img src="figures/${esc(f.file)}" alt="${esc(f.alt)}"><figcaption>${esc(f.caption)}</figcaption></figure>`;
}
