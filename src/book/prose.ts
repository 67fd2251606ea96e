// Chapter Markdown as a terminal shows it: the few kinds of block it draws
// (headings, paragraphs, lists, code blocks), with their inline text already
// reduced to plain and code spans. Made once by the chapter parser
// (prose-parse.ts) and kept on the chapter, so the book cache holds it too.

/** Inline text: plain text, or `code` (drawn in its own colour). */
export interface Span {
  code?: true;
  text: string;
}

export type ProseBlock =
  | { kind: "heading"; level: number; spans: Span[] }
  | { kind: "paragraph"; spans: Span[] }
  | { kind: "list-open"; ordered: boolean }
  | { kind: "list-close" }
  | { kind: "item" }
  /**
   * A fenced block (`info` is its info string) or an indented one (`info`
   * undefined); `block` is the index in the chapter's blocks of a step or file= block.
   */
  | { kind: "code"; info?: string; content: string; block?: number };

export type Prose = ProseBlock[];
