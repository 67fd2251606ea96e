// Renders chapter prose (book/prose.ts) for a terminal: headings, wrapped prose,
// lists, and code blocks set apart; hooks label a fenced block and may add text
// after it. The book's text is untrusted: it is drawn through visible().

import type { Prose, ProseBlock, Span } from "../book/prose.js";
import type { Colors } from "../util/colors.js";
import { visible } from "../util/visible.js";
import { wrap } from "./wrap.js";

/** A code block of the prose. */
export type CodeBlock = Extract<ProseBlock, { kind: "code" }>;

interface RenderOptions {
  width: number;
  colors: Colors;
  /** Called for every fenced block; what it returns is printed under it. */
  afterFence?: (code: CodeBlock) => string | undefined;
  /** The label shown above a fenced block (default: its info string); it is printed as given. */
  fenceLabel?: (code: CodeBlock) => string;
  /** The lines of a fenced block (default: its content); they are printed as given. */
  fenceBody?: (code: CodeBlock) => string[];
  /** Called for every heading with its plain text; what it returns is printed under it. */
  afterHeading?: (text: string) => string | undefined;
}

const inline = (spans: Span[], c: Colors) => spans.map((s) => (s.code ? c.cyan(visible(s.text)) : visible(s.text))).join("");

/** Renders prose to terminal text. */
export function renderProse(prose: Prose, o: RenderOptions): string {
  const c = o.colors;
  const out: string[] = [];
  const listStack: { ordered: boolean; n: number }[] = [];
  let pendingItem = "";
  for (const b of prose) {
    const depth = listStack.length;
    const pad = "  ".repeat(Math.max(depth - 1, 0));
    switch (b.kind) {
      case "heading": {
        const text = inline(b.spans, c);
        const title = b.level === 1 ? text.toUpperCase() : text;
        const rule = (b.level === 1 ? "═" : b.level === 2 ? "─" : "").repeat(Math.min(title.length, o.width));
        out.push("", c.bold(title), ...(rule ? [c.dim(rule)] : []), "");
        const extra = o.afterHeading?.(b.spans.map((s) => s.text).join(""));
        if (extra !== undefined) out.push(extra, "");
        break;
      }
      case "list-open":
        listStack.push({ ordered: b.ordered, n: 0 });
        break;
      case "list-close":
        listStack.pop();
        if (listStack.length === 0) out.push("");
        break;
      case "item": {
        const top = listStack[listStack.length - 1];
        if (!top) break; // (markdown-it opens an item only inside a list)
        top.n++;
        pendingItem = top.ordered ? `${top.n}. ` : "- ";
        break;
      }
      case "paragraph": {
        const text = inline(b.spans, c);
        if (depth > 0) {
          const bullet = pendingItem || "  ";
          out.push(...wrap(text, o.width, pad + bullet, pad + " ".repeat(bullet.length)));
          pendingItem = "";
        } else {
          out.push(...wrap(text, o.width), "");
        }
        break;
      }
      case "code": {
        const label = b.info !== undefined ? (o.fenceLabel ? o.fenceLabel(b) : visible(b.info.trim())) : "";
        if (label) out.push(c.dim(`  ┌ ${label}`));
        const lines = o.fenceBody ? o.fenceBody(b) : b.content.replace(/\n$/, "").split("\n").map(visible);
        for (const l of lines) out.push(`  ${c.dim("│")} ${l}`);
        const extra = b.info !== undefined ? o.afterFence?.(b) : undefined;
        if (extra !== undefined) out.push(extra);
        out.push("");
        break;
      }
      default:
        break;
    }
  }
  return `${out
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim()}\n`;
}
