import { describe, expect, it } from "vitest";
import { lineMatches, matchOutput } from "../../src/snapshot/pattern.js";
import { refreshSeen } from "../../src/snapshot/line-match.js";

const none = new Map<string, string>();
const uid = new Map([["UID", "1000"]]);

describe("lineMatches", () => {
  it("matches literal text, [..] within a line and bound placeholders", () => {
    expect(lineMatches("abc", "abc", none)).toBe(true);
    expect(lineMatches("pid [..] is up", "pid 4242 is up", none)).toBe(true);
    expect(lineMatches("pid [..] is up", "pid 4242 is down", none)).toBe(false);
    expect(lineMatches("[..]", "", none)).toBe(true);
    expect(lineMatches("Uid: [UID]", "Uid: 1000", uid)).toBe(true);
    expect(lineMatches("Uid: [UID]", "Uid: [UID]", uid)).toBe(true);
    expect(lineMatches("Uid: [UID]", "Uid: 1001", uid)).toBe(false);
    expect(lineMatches("a.b", "axb", none)).toBe(false);
    expect(lineMatches("[WORK]/x", "[WORK]/x", none)).toBe(true);
  });
});

describe("matchOutput", () => {
  it("lets a line '...' absorb any number of lines, even none", () => {
    expect(matchOutput("start\n...\nend\n", "start\na\nb\nend\n", none).matches).toBe(true);
    expect(matchOutput("start\n...\nend\n", "start\nend\n", none).matches).toBe(true);
    expect(matchOutput("...\n", "x\ny\n", none).matches).toBe(true);
    expect(matchOutput("start\n...\nend\n", "start\na\n", none).matches).toBe(false);
  });

  it("tells a missing final newline apart", () => {
    expect(matchOutput("abc\n", "abc", none).matches).toBe(false);
    expect(matchOutput("abc", "abc", none).matches).toBe(true);
  });

  it("rewrites the actual output towards the pattern, keeping wildcards that still match", () => {
    const r = matchOutput("pid [..]\n...\nlast 1\n", "pid 77\nnoise\nnoise\nlast 2\n", none);
    expect(r.matches).toBe(false);
    expect(r.normalized).toBe("pid [..]\n...\nlast 2\n");
  });

  it("aligns around an inserted line so only that line differs", () => {
    const r = matchOutput("a [..]\nb\nc\n", "a 1\nNEW\nb\nc\n", none);
    expect(r.normalized).toBe("a [..]\nNEW\nb\nc\n");
  });

  it("passes new lines through the record function", () => {
    const r = matchOutput("", "uid 1000\n", uid, (l) => l.replace("1000", "[UID]"));
    expect(r.normalized).toBe("uid [UID]\n");
  });
});

describe("literal lines", () => {
  it("a line starting with a backslash is compared exactly, without wildcards", () => {
    expect(lineMatches("\\a [..] b", "a [..] b", none)).toBe(true);
    expect(lineMatches("\\a [..] b", "a x b", none)).toBe(false);
    expect(lineMatches("\\[UID]", "1000", uid)).toBe(false);
    expect(matchOutput("\\...\n", "...\n", none).matches).toBe(true);
    expect(matchOutput("\\...\n", "x\n", none).matches).toBe(false);
  });
});

describe("the line matcher is linear", () => {
  it("matches [..] pieces leftmost, with bound placeholders in any spelling", () => {
    expect(lineMatches("a[..]b[..]c", "aXbYc", none)).toBe(true);
    expect(lineMatches("a[..]b[..]c", "abbc", none)).toBe(true);
    expect(lineMatches("a[..]b[..]c", "acb", none)).toBe(false);
    expect(lineMatches("[..]x[..]", "x", none)).toBe(true);
    expect(lineMatches("[..][..]", "", none)).toBe(true);
    expect(lineMatches("x[..]", "y", none)).toBe(false);
    expect(lineMatches("[..]ab", "aab", none)).toBe(true);
    expect(lineMatches("ab[..]ba", "aba", none)).toBe(false);
    const ids = new Map([
      ["UID", "1"],
      ["GID", "12"],
    ]);
    expect(lineMatches("[..] [UID][GID] [..]", "x 112 y", ids)).toBe(true);
    expect(lineMatches("[..] [UID][GID] [..]", "x [UID]12 y", ids)).toBe(true);
    expect(lineMatches("[..][GID]2[..]", "1122", ids)).toBe(true);
    expect(lineMatches("[UID][..]", "2", ids)).toBe(false);
    expect(lineMatches("[..][UID]", "21", ids)).toBe(true);
    expect(lineMatches("[..]a[UID]b[..]", "a1a[UID]b", ids)).toBe(true);
  });

  it("a line of thousands of [..] against a long line that does not match returns at once", () => {
    const pattern = "[..]a".repeat(5000) + "[..]b";
    const actual = "a".repeat(50_000);
    expect(lineMatches(pattern, actual, none)).toBe(false);
    expect(lineMatches(pattern, `${actual}b`, none)).toBe(true);
    expect(matchOutput(`${pattern}\n`, `${actual}\n`, none).matches).toBe(false);
    // A backtracking matcher would not return here before the test's own time limit.
  });
});

describe("number bands", () => {
  it("match a whole number from LO to HI, inclusive, and nothing else", () => {
    expect(lineMatches("got [40..60] %", "got 50 %", none)).toBe(true);
    expect(lineMatches("got [40..60] %", "got 40 %", none)).toBe(true);
    expect(lineMatches("got [40..60] %", "got 60 %", none)).toBe(true);
    expect(lineMatches("got [40..60] %", "got 61 %", none)).toBe(false);
    expect(lineMatches("got [40..60] %", "got 39 %", none)).toBe(false);
    expect(lineMatches("got [40..60] %", "got  %", none)).toBe(false);
    expect(lineMatches("got [40..60] %", "got fifty %", none)).toBe(false);
    // The whole run of digits: 500 is not 50 followed by 0, nor 0 after 50.
    expect(lineMatches("got [40..60]0 %", "got 500 %", none)).toBe(false);
    expect(lineMatches("got 5[0..9] %", "got 50 %", none)).toBe(false);
  });

  it("[LO..] has no upper bound; a decimal bound admits decimals, a whole one does not", () => {
    expect(lineMatches("pid [2..]", "pid 4194303", none)).toBe(true);
    expect(lineMatches("pid [2..]", "pid 1", none)).toBe(false);
    expect(lineMatches("[0.0..100] %", "51.4 %", none)).toBe(true);
    expect(lineMatches("[0.0..100] %", "51 %", none)).toBe(true);
    expect(lineMatches("[0..100] %", "51.4 %", none)).toBe(false);
    expect(lineMatches("v2.[30..49].1", "v2.39.1", none)).toBe(true);
    expect(lineMatches("[0.0..1] x", "1.5 x", none)).toBe(false);
  });

  it("work with [..] on either side, in the middle and at the end of a line", () => {
    expect(lineMatches("[..] [40..49] of [..]", "that is 41 of them", none)).toBe(true);
    expect(lineMatches("[..][40..49]", "cap 41", none)).toBe(true);
    expect(lineMatches("[..][40..49]", "cap 4", none)).toBe(false);
    expect(lineMatches("[..]: [1..9]x", "a: 12x b: 3x", none)).toBe(true);
    expect(lineMatches("[..][1..9] | [1..9][..]", "12 | 3 | 4", none)).toBe(true);
    expect(lineMatches("[..] [2..] | [2..] | [1..1]", "sleep | 4821 | 17 | 1", none)).toBe(true);
    expect(lineMatches("[..] [2..] | [2..] | [1..1]", "sleep | 4821 | 17 | 2", none)).toBe(false);
  });

  it("a seen value is never compared", () => {
    expect(lineMatches("got [40..60=50] %", "got 44 %", none)).toBe(true);
    expect(lineMatches("mask 0000[..=01]ff", "mask 00003fff", none)).toBe(true);
    expect(lineMatches("got [40..60=50] %", "got 70 %", none)).toBe(false);
  });

  it("thousands of bands against a long line of digits return at once", () => {
    const pattern = "[0..9] ".repeat(5000) + "x";
    expect(lineMatches(pattern, "1 ".repeat(5000) + "y", none)).toBe(false);
    expect(lineMatches(pattern, "1 ".repeat(5000) + "x", none)).toBe(true);
    const gaps = "[..][0..9]".repeat(3000) + "[..]z";
    expect(lineMatches(gaps, "12".repeat(30_000), none)).toBe(false);
  });
});

describe("seen values when a section is recorded again", () => {
  it("refreshSeen takes this output's value for each seen wildcard that still matches", () => {
    expect(refreshSeen("mask 0000[..=01]ff, [40..49=41] of them", "mask 000003ff, 42 of them", none)).toBe("mask 0000[..=03]ff, [40..49=42] of them");
    expect(refreshSeen("[..=] then [2..=]", "anything then 17", none)).toBe("[..=anything] then [2..=17]");
    expect(refreshSeen("a [..] [1..9] b", "a x 3 b", none)).toBe("a [..] [1..9] b");
  });

  it("leaves a line that does not match as it is, and empties a seen value it cannot keep", () => {
    expect(refreshSeen("[40..49=41]", "50", none)).toBe("[40..49=41]");
    expect(refreshSeen("x [..=old]", "x has [brackets]", none)).toBe("x [..=]");
    expect(refreshSeen("x [..=old]", `x ${"y".repeat(500)}`, none)).toBe("x [..=]");
  });

  it("matchOutput: `recorded` carries this run's seen values, `normalized` (the diff) keeps the old ones", () => {
    const r = matchOutput("got [0..100=100] %\nend\n", "got 93 %\nNEW\n", none, (l) => l);
    expect(r.matches).toBe(false);
    expect(r.normalized).toBe("got [0..100=100] %\nNEW\n");
    expect(r.recorded).toBe("got [0..100=93] %\nNEW\n");
    const ok = matchOutput("...\ngot [0..100=100] %\n", "x\ngot 93 %\n", none);
    expect(ok.matches).toBe(true);
    expect(ok.normalized).toBe("...\ngot [0..100=100] %\n");
    expect(ok.recorded).toBe("...\ngot [0..100=93] %\n");
  });
});
