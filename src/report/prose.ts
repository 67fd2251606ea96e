// Chapter Markdown as a terminal shows it: the few kinds of block it draws
// (headings, paragraphs, lists, code blocks), with their inline text already
// reduced to plain and code spans. Parsed once by prose-parse.ts (markdown-it),
// it can be cached as JSON, so that showing prose again needs no parser.

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
  /** A fenced block (`info` is its info string) or an indented one (`info` undefined). */
  | { kind: "code"; info?: string; content: string };

export type Prose = ProseBlock[];
