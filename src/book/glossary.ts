// Looking terms up in the glossary (the book model's plain data): by a term or
// one of its other spellings, a "did you mean" for a typo, and where a text
// first uses a term (for links). No Markdown library: the parser is glossary-parse.ts.

import { closest } from "../util/edit-distance.js";
import type { Glossary, GlossaryEntry } from "./model.js";

/** The words an entry is known by: its term and its other spellings. */
export function namesOf(entry: GlossaryEntry): string[] {
  return [entry.term, ...entry.also];
}

/** A fragment id for a term: lower-case letters, digits and dashes. */
export function anchorOf(term: string): string {
  return (
    term
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "term"
  );
}

const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, " ");

/** The entry `word` names (its term or another spelling, any case), if any. */
export function findTerm(glossary: Glossary, word: string): GlossaryEntry | undefined {
  const w = norm(word);
  return glossary.entries.find((e) => namesOf(e).some((n) => norm(n) === w));
}

/** The entry a mistyped `word` most likely meant. */
export function suggestTerm(glossary: Glossary, word: string): GlossaryEntry | undefined {
  return closest(
    word,
    glossary.entries.map((e) => ({ value: e, names: namesOf(e) })),
  );
}

/** Where a term is used in a text: the first match from `from` on. */
interface TermUse {
  entry: GlossaryEntry;
  index: number;
  length: number;
}

const WORD = /[A-Za-z0-9_]/;

/** The spellings a text may use: each name, and its plural. */
function spellings(name: string): string[] {
  const plural = /y$/.test(name) && !/[aeiou]y$/.test(name) ? `${name.slice(0, -1)}ies` : /(s|x|sh|ch)$/.test(name) ? `${name}es` : `${name}s`;
  return [plural, name];
}

/**
 * Finds glossary terms in running text: whole words only, any case, a plural
 * too; the longest match wins where terms overlap ("user namespace" before
 * "namespace"). `exact` matches a code span's whole content instead.
 */
export function termMatcher(glossary: Glossary): { inText(text: string, from: number): TermUse | undefined; exact(code: string): GlossaryEntry | undefined } {
  const forms = glossary.entries
    .flatMap((entry) => namesOf(entry).flatMap((n) => spellings(n).map((s) => ({ entry, form: s.toLowerCase() }))))
    .sort((a, b) => b.form.length - a.form.length);
  return {
    inText(text, from) {
      const lower = text.toLowerCase();
      let best: TermUse | undefined;
      for (const { entry, form } of forms) {
        for (let at = lower.indexOf(form, from); at >= 0; at = lower.indexOf(form, at + 1)) {
          if (best && at >= best.index) break;
          const before = at > 0 ? text[at - 1]! : " ";
          const after = text[at + form.length] ?? " ";
          if (!WORD.test(before) && !WORD.test(after) && before !== "-" && after !== "-") {
            best = { entry, index: at, length: form.length };
            break;
          }
        }
      }
      return best;
    },
    exact(code) {
      const c = code.trim();
      return glossary.entries.find((e) => namesOf(e).some((n) => n === c));
    },
  };
}
