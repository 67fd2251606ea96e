import { describe, expect, it } from "vitest";
import { emptyBand, hasEmptySeen, hasWildcard, parseLine, partText, ruleOf } from "../../src/snapshot/tokens.js";
import { seenNote, shownLine } from "../../src/snapshot/shown.js";

describe("parseLine", () => {
  it("splits a line into text, [..], number bands, seen values and placeholders", () => {
    expect(parseLine("mask 0000[..=01]ff, [40..49=41] of [2..] by [UID] [..]")).toEqual([
      { kind: "text", text: "mask 0000" },
      { kind: "any", seen: "01" },
      { kind: "text", text: "ff, " },
      { kind: "number", lo: 40, hi: 49, decimal: false, seen: "41", bounds: "40..49" },
      { kind: "text", text: " of " },
      { kind: "number", lo: 2, decimal: false, bounds: "2.." },
      { kind: "text", text: " by " },
      { kind: "placeholder", name: "UID" },
      { kind: "text", text: " " },
      { kind: "any" },
    ]);
  });

  it("takes a decimal point in a bound as admitting decimals, and an empty =SEEN as not seen yet", () => {
    expect(parseLine("[0.5..2=]")).toEqual([{ kind: "number", lo: 0.5, hi: 2, decimal: true, seen: "", bounds: "0.5..2" }]);
    expect(parseLine("[..=]")).toEqual([{ kind: "any", seen: "" }]);
  });

  it("leaves what is not a token as text: [..HI], [1...5], brackets in a seen value, lower-case names", () => {
    for (const t of ["[..5]", "[1...5]", "[..=a[b]", "[pid]", "[ 1..2]", "[1..2 ]", "[-1..2]"]) {
      expect(parseLine(t).every((p) => p.kind === "text")).toBe(true);
    }
  });

  it("writes every part back as it was written, or with a new seen value", () => {
    const line = "a [..] b [..=x y] c [3..] d [1.5..2=1.7] [NAME]";
    expect(
      parseLine(line)
        .map((p) => partText(p))
        .join(""),
    ).toBe(line);
    expect(partText({ kind: "number", lo: 40, hi: 49, decimal: false, bounds: "40..49" }, "42")).toBe("[40..49=42]");
    expect(partText({ kind: "any", seen: "old" }, "")).toBe("[..=]");
  });
});

describe("helpers", () => {
  it("hasWildcard: a line an output must not record unescaped", () => {
    expect(hasWildcard("x [..] y")).toBe(true);
    expect(hasWildcard("[1..9]")).toBe(true);
    expect(hasWildcard("[..=1]")).toBe(true);
    expect(hasWildcard("range 1..9 and [UID]")).toBe(false);
  });

  it("emptyBand names a band whose low end is above its high end", () => {
    expect(emptyBand("got [50..10] %")).toBe("[50..10]");
    expect(emptyBand("got [10..50] % [7..]")).toBeUndefined();
  });

  it("hasEmptySeen looks only at pattern lines", () => {
    expect(hasEmptySeen("a\nb [2..=]\n")).toBe(true);
    expect(hasEmptySeen("\\b [2..=]\n")).toBe(false);
    expect(hasEmptySeen("b [2..=3]\n")).toBe(false);
  });

  it("ruleOf says what a wildcard accepts", () => {
    const [any, band, open] = parseLine("[..][40..49][2..]").filter((p) => p.kind !== "text");
    expect([ruleOf(any!), ruleOf(band!), ruleOf(open!)]).toEqual(["any text", "any number from 40 to 49", "any number from 2 up"]);
  });
});

describe("shownLine", () => {
  it("shows seen values in place of their wildcards, and where they stand", () => {
    expect(shownLine("CapEff:\t0000[..=01]ff, [40..49=41] of them")).toEqual({
      text: "CapEff:\t000001ff, 41 of them",
      seen: [
        { start: 12, end: 14, value: "01", rule: "any text" },
        { start: 18, end: 20, value: "41", rule: "any number from 40 to 49" },
      ],
    });
  });

  it("shows wildcards without a seen value as written (an empty one without its =), and a literal line without its backslash", () => {
    expect(shownLine("a [..] [1..2] [..=] [3..=] [UID]")).toEqual({ text: "a [..] [1..2] [..] [3..] [UID]", seen: [] });
    expect(shownLine("\\a [..=1]")).toEqual({ text: "a [..=1]", seen: [] });
  });
});

describe("seenNote", () => {
  it("names each seen value once, with what a run accepts there", () => {
    const lines = ["CapPrm:\t0000[..=01]ff", "CapEff:\t0000[..=01]ff", "[40..49=41] of them", "plain [..]"].map(shownLine);
    expect(seenNote(lines)).toBe("on the recording host. A run accepts any text for 01; any number from 40 to 49 for 41.");
    expect(seenNote(["a [..]", "\\b [..=1]"].map(shownLine))).toBeUndefined();
  });
});

describe("seenNote groups values by what a run accepts", () => {
  it("lists the values of one rule together, each once", () => {
    const lines = ["a | [2..=785] | [2..=178] | 1", "b | [2..=813] | [2..=178] | [2..=29]"].map(shownLine);
    expect(seenNote(lines)).toBe("on the recording host. A run accepts any number from 2 up for 785, 178, 813 and 29.");
  });
});
