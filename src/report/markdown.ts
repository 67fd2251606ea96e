// Renders chapter Markdown for a terminal: headings, wrapped prose, lists, and
// code blocks set apart; a hook may add text after each code block.

import MarkdownIt from "markdown-it";
import type { Token } from "markdown-it";
import type { Colors } from "./colors.js";
import { wrap } from "./wrap.js";

const md = new MarkdownIt();

interface RenderOptions {
  width: number;
  colors: Colors;
  /** Called for every fenced block with its info string; what it returns is printed under it. */
  afterFence?: (info: string) => string | undefined;
  /** The label shown above a fenced block (default: its info string). */
  fenceLabel?: (info: string) => string;
}

function inline(tokens: Token[] | null, c: Colors): string {
  let out = "";
  let href = "";
  for (const t of tokens ?? []) {
    switch (t.type) {
      case "text":
        out += t.content;
        break;
      case "code_inline":
        out += c.cyan(t.content);
        break;
      case "softbreak":
      case "hardbreak":
        out += " ";
        break;
      case "strong_open":
      case "strong_close":
      case "em_open":
      case "em_close":
        break;
      case "link_open":
        href = String(t.attrGet("href") ?? "");
        break;
      case "link_close":
        if (href && !out.endsWith(href)) out += ` (${href})`;
        href = "";
        break;
      default:
        out += t.content;
    }
  }
  return out;
}

/** Renders Markdown (without front matter) to terminal text. */
export function renderMarkdown(source: string, o: RenderOptions): string {
  const c = o.colors;
  const tokens = md.parse(source, {});
  const out: string[] = [];
  const listStack: { ordered: boolean; n: number }[] = [];
  let pendingItem = "";
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const depth = listStack.length;
    const pad = "  ".repeat(Math.max(depth - 1, 0));
    switch (t.type) {
      case "heading_open": {
        const text = inline(tokens[i + 1]!.children, c);
        const title = t.tag === "h1" ? text.toUpperCase() : text;
        const rule = (t.tag === "h1" ? "═" : t.tag === "h2" ? "─" : "").repeat(Math.min(title.length, o.width));
        out.push("", c.bold(title), ...(rule ? [c.dim(rule)] : []), "");
        i += 2;
        break;
      }
      case "bullet_list_open":
      case "ordered_list_open":
        listStack.push({ ordered: t.type === "ordered_list_open", n: 0 });
        break;
      case "bullet_list_close":
      case "ordered_list_close":
        listStack.pop();
        if (listStack.length === 0) out.push("");
        break;
      case "list_item_open": {
        const top = listStack[listStack.length - 1]!;
        top.n++;
        pendingItem = top.ordered ? `${top.n}. ` : "- ";
        break;
      }
      case "paragraph_open": {
        const text = inline(tokens[i + 1]!.children, c);
        if (depth > 0) {
          const bullet = pendingItem || "  ";
          out.push(...wrap(text, o.width, pad + bullet, pad + " ".repeat(bullet.length)));
          pendingItem = "";
        } else {
          out.push(...wrap(text, o.width), "");
        }
        i += 2;
        break;
      }
      case "fence":
      case "code_block": {
        const label = t.type === "fence" ? (o.fenceLabel ? o.fenceLabel(t.info) : t.info.trim()) : "";
        if (label) out.push(c.dim(`  ┌ ${label}`));
        for (const l of t.content.replace(/\n$/, "").split("\n")) out.push(`  ${c.dim("│")} ${l}`);
        const extra = t.type === "fence" ? o.afterFence?.(t.info) : undefined;
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
