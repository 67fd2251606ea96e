// `consh-book glossary [TERM]`: one entry of the book's glossary, or all of it
// (through the pager when longer than the screen); a term not found gets "did you mean".

import { loadBookCached } from "../book/book-cache.js";
import { resolveBookDir } from "../book/book-dir.js";
import { suggestTerm } from "../book/glossary.js";
import { ExitCode, UsageError } from "../errors.js";
import { renderGlossary } from "../prose/glossary.js";
import { makeColors, useColor } from "../util/colors.js";
import { textWidth, type Io } from "../util/io.js";

export async function glossaryCommand(term: string | undefined, flags: { book?: string }, io: Io): Promise<number> {
  const book = await loadBookCached(resolveBookDir(flags.book), io.env);
  const glossary = book.glossary;
  if (!glossary)
    throw new UsageError(`the book in ${book.dir} has no glossary`, "a glossary is chapters/glossary.md: one '## term' heading and a short paragraph per term");
  const colors = makeColors(useColor({ isTTY: io.stdoutIsTTY }, io.env));
  const text = renderGlossary(book, textWidth(io), colors, term);
  if (text === undefined) {
    const guess = suggestTerm(glossary, term ?? "");
    throw new UsageError(
      `'${term}' is not in the glossary`,
      `${guess ? `did you mean '${guess.term}'? ` : ""}consh-book glossary with no term lists them all (${glossary.entries.length} terms)`,
    );
  }
  const rows = io.rows() ?? 0;
  if (term === undefined && io.stdoutIsTTY && rows > 0 && text.split("\n").length > rows - 1) {
    const { page } = await import("../prose/pager.js"); // loaded only when a pager is needed
    if (await page(text, io.env)) return ExitCode.pass;
  }
  io.out(text);
  return ExitCode.pass;
}
