// Word wrapping for terminal text, apart from the Markdown renderer so that
// commands that only wrap (export) do not load the Markdown parser.

import { stripVTControlCharacters } from "node:util";

/** Words of `text` in lines of at most `width` columns, each prefixed by `indent` (the first by `first`). */
export function wrap(text: string, width: number, first = "", indent = first): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const w of words) {
    const visible = stripVTControlCharacters(line).length;
    const wlen = stripVTControlCharacters(w).length;
    if (!empty && visible + 1 + wlen > width) {
      lines.push(line);
      line = indent + w;
    } else {
      line = empty ? line + w : `${line} ${w}`;
    }
    empty = false;
  }
  if (!empty) lines.push(line);
  return lines;
}
