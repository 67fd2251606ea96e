import { describe, expect, it } from "vitest";
import { parseSnapshot, serializeSnapshot, type Section } from "../../src/snapshot/format.js";
import { SnapshotFileError } from "../../src/errors.js";

const section = (id: string, text: string, exit = 0, terminal = "host"): Section => ({ id, terminal, exit, text, line: 0 });

describe("snapshot format", () => {
  it.each([
    ["plain lines", "a\nb\n"],
    ["no output", ""],
    ["no final newline", "abc"],
    ["a lone newline", "\n"],
    ["trailing blank lines", "abc\n\n\n"],
    ["escaped lines (literal text)", "\\=== step x (terminal host, exit 0)\n\\back\n\\\\ no newline at end of output\n\\...\n"],
    ["leading blank line", "\nabc\n"],
  ])("round-trips %s, in the middle and at the end of a file", (_, text) => {
    const file = { comments: ["# c", ""], sections: [section("first", text), section("mid", "x\n", 3, "ct"), section("last", text)] };
    const parsed = parseSnapshot("f.snap", serializeSnapshot(file));
    expect(parsed.sections.map((s) => [s.id, s.terminal, s.exit, s.text])).toEqual(file.sections.map((s) => [s.id, s.terminal, s.exit, s.text]));
    expect(parsed.comments).toEqual(["# c", ""]);
  });

  it("refuses a number band that can match nothing, naming its line", () => {
    expect(() => parseSnapshot("f.snap", "=== step a (terminal host, exit 0)\nok [1..9]\ngot [60..40] %\n")).toThrow(
      /f\.snap:3.*\[60\.\.40\] can match no number/,
    );
    expect(parseSnapshot("f.snap", "=== step a (terminal host, exit 0)\n\\got [60..40] %\n").sections[0]!.text).toBe("\\got [60..40] %\n");
  });

  it("writes a readable file: header line, output, a blank line between sections", () => {
    const text = serializeSnapshot({ comments: ["# head"], sections: [section("a", "one\n"), section("b", "two", 1)] });
    expect(text).toBe("# head\n\n=== step a (terminal host, exit 0)\none\n\n=== step b (terminal host, exit 1)\ntwo\n\\ no newline at end of output\n");
  });

  it("keeps a pattern line that starts with '=== ' readable, as literal text", () => {
    const text = serializeSnapshot({ comments: [], sections: [section("a", "=== Summary\n")] });
    expect(parseSnapshot("f.snap", text).sections[0]!.text).toBe("\\=== Summary\n");
  });

  it("keeps a carriage return at the end of an output line (a step printed it)", () => {
    const file = { comments: [], sections: [section("a", "progress\r"), section("b", "x\r\ny\n")] };
    expect(parseSnapshot("f.snap", serializeSnapshot(file)).sections.map((s) => s.text)).toEqual(["progress\r", "x\r\ny\n"]);
  });

  it("records where each section starts", () => {
    const p = parseSnapshot("f.snap", "# x\n\n=== step a (terminal host, exit 0)\n1\n\n=== step b (terminal t, exit 2)\n");
    expect(p.sections.map((s) => s.line)).toEqual([3, 6]);
  });

  it.each([
    ["text before the first section", "hello\n=== step a (terminal host, exit 0)\n", 1, /before the first '=== step' section/],
    ["a broken header", "# c\n=== step a (terminal host)\n", 2, /is not a section header/],
    [
      "a second section for a step",
      "=== step a (terminal host, exit 0)\n\n=== step a (terminal host, exit 0)\n",
      3,
      /second section \(the first is at line 1\)/,
    ],
    ["CRLF line ends", "# c\r\n\r\n=== step a (terminal host, exit 0)\r\nx\r\n", 1, /Windows \(CRLF\) line ends/],
    ["CRLF line ends from the first header on", "=== step a (terminal host, exit 0)\r\nx\r\n", 1, /Windows \(CRLF\) line ends/],
    ["a byte-order mark", "\uFEFF# c\n=== step a (terminal host, exit 0)\n", 1, /byte-order mark/],
  ])("rejects %s with file:line", (_, content, line, what) => {
    try {
      parseSnapshot("book/snapshots/chapter-01.snap", content);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(SnapshotFileError);
      expect((err as Error).message).toMatch(new RegExp(`^book/snapshots/chapter-01.snap:${line}: `));
      expect((err as Error).message).toMatch(what);
    }
  });
});
