// The glossary for a terminal: one entry by any of its names, or all of them,
// wrapped and with control characters escaped; nothing for an unknown term.
import { describe, expect, it } from "vitest";
import { parseGlossary } from "../../src/book/glossary-parse.js";
import type { Book, Glossary } from "../../src/book/model.js";
import { renderGlossary } from "../../src/prose/glossary.js";
import { makeColors } from "../../src/util/colors.js";

const g = parseGlossary(
  "/b/chapters/glossary.md",
  "# Glossary\n\nThe words.\n\n## whiteout\n\nA character device with device number 0,0 that hides a name of a lower layer in the merged view of an overlay.\n\nAlso: whiteouts.\n\n## copy-up\n\nCopies \u001b[2J a file up.\n",
) as Glossary;
const book: Book = { dir: "/b", chapters: [], glossary: g };
const plain = makeColors(false);

describe("renderGlossary", () => {
  it("draws one entry, found by another spelling, wrapped to the width, with its other spellings", () => {
    const text = renderGlossary(book, 40, plain, "Whiteouts")!;
    expect(text).toBe(
      "whiteout\nA character device with device number\n0,0 that hides a name of a lower layer\nin the merged view of an overlay.\nAlso: whiteouts.\n",
    );
    expect(text.split("\n").every((l) => l.length <= 40)).toBe(true);
  });

  it("draws the whole glossary without a term, escaping control characters", () => {
    const text = renderGlossary(book, 80, plain)!;
    expect(text).toMatch(/^GLOSSARY\n\nThe words\.\n\nwhiteout\n/);
    expect(text).toContain("copy-up\nCopies \\x1b[2J a file up.\n");
  });

  it("gives nothing for a term not in it, or a book without a glossary", () => {
    expect(renderGlossary(book, 80, plain, "namespace")).toBeUndefined();
    expect(renderGlossary({ dir: "/b", chapters: [] }, 80, plain)).toBeUndefined();
  });
});
