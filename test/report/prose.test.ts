// Chapter Markdown parsed into prose blocks and drawn for a terminal; the blocks
// survive JSON (the prose cache) and draw the same.
import { describe, expect, it } from "vitest";
import { makeColors } from "../../src/report/colors.js";
import { renderProse } from "../../src/report/markdown.js";
import { parseProse } from "../../src/report/prose-parse.js";

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
    const text = renderProse(parseProse(SAMPLE), { width: 40, colors: plain, fenceLabel: (info) => `label(${info})`, afterFence: () => "  after" });
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

  it("draws the same from prose that went through JSON, colours included", () => {
    const prose = parseProse(SAMPLE);
    const colors = makeColors(true);
    expect(renderProse(JSON.parse(JSON.stringify(prose)), { width: 50, colors })).toBe(renderProse(prose, { width: 50, colors }));
    expect(renderProse(prose, { width: 50, colors })).toContain(colors.cyan("pid"));
  });
});
