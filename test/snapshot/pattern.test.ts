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
