// Chapter Markdown parsed into prose blocks and drawn for a terminal; the blocks
// survive JSON (the prose cache) and draw the same.
import { describe, expect, it } from "vitest";
import { makeColors } from "../../src/util/colors.js";
import { renderProse } from "../../src/prose/render.js";
import { parseProse } from "../../src/book/prose-parse.js";

const plain = makeColors(false);
const SAMPLE = `# The container

A *container* is a process with **its own view**: see [the talk](https://example.org/talk)
and [https://example.org](https://example.org).

## Namespaces

1. the \`pid\` namespace
2. the mount namespace
   - nested item

\`\`\`sh {step=who}
whoami
\`\`\`

    indented code
`;

describe("parseProse", () => {
  it("keeps the blocks a terminal draws, with inline code apart and a link's target after its text", () => {
    const prose = parseProse(SAMPLE);
    expect(prose.map((b) => b.kind)).toEqual([
      "heading",
      "paragraph",
      "heading",
      "list-open",
      "item",
      "paragraph",
      "item",
      "paragraph",
      "list-open",
      "item",
      "paragraph",
      "list-close",
      "list-close",
      "code",
      "code",
    ]);
    expect(prose[1]).toEqual({
      kind: "paragraph",
      spans: [{ text: "A container is a process with its own view: see the talk (https://example.org/talk) and https://example.org." }],
    });
    expect(prose[5]).toEqual({ kind: "paragraph", spans: [{ text: "the " }, { code: true, text: "pid" }, { text: " namespace" }] });
    expect(prose[13]).toEqual({ kind: "code", info: "sh {step=who}", content: "whoami\n" });
    expect(prose[14]).toEqual({ kind: "code", content: "indented code\n" });
  });
});

describe("renderProse", () => {
  it("draws headings, wrapped paragraphs, numbered and nested lists, and labelled code", () => {
    const text = renderProse(parseProse(SAMPLE), { width: 40, colors: plain, fenceLabel: (code) => `label(${code.info})`, afterFence: () => "  after" });
    expect(text).toBe(`THE CONTAINER
═════════════

A container is a process with its own
view: see the talk
(https://example.org/talk) and
https://example.org.

Namespaces
──────────

1. the pid namespace
2. the mount namespace
  - nested item

  ┌ label(sh {step=who})
  │ whoami
  after

  │ indented code
`);
  });

  it("escapes control characters of the book's text (it may not drive the terminal)", () => {
    const text = renderProse(parseProse("A \u001b[31mred\u001b[0m word and `\u0007`.\n\n```sh\necho \u001b]0;title\u0007\n```\n"), {
      width: 80,
      colors: plain,
    });
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(text).toContain("A \\x1b[31mred\\x1b[0m word and \\x07.");
    expect(text).toContain("echo \\x1b]0;title\\x07");
  });

  it("draws the same from prose that went through JSON, colours included", () => {
    const prose = parseProse(SAMPLE);
    const colors = makeColors(true);
    expect(renderProse(JSON.parse(JSON.stringify(prose)), { width: 50, colors })).toBe(renderProse(prose, { width: 50, colors }));
    expect(renderProse(prose, { width: 50, colors })).toContain(colors.cyan("pid"));
  });
});
