import { describe, expect, it } from "vitest";
import { lineMatches, matchOutput } from "../../src/snapshot/pattern.js";

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
