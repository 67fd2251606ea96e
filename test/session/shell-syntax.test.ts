// Continuation prompts: what a shell would still wait for is not run yet.
import { describe, expect, it } from "vitest";
import { needsMore } from "../../src/session/shell-syntax.js";

describe("needsMore", () => {
  it.each([
    ['echo "abc', true],
    ["echo 'it", true],
    ["if true; then", true],
    ["if true; then\necho yes", true],
    ["if true; then\necho yes\nfi", false],
    ["for x in 1 2; do echo $x", true],
    ["echo a \\", true],
    ["echo a \\\\", false],
    ["cat <<EOF", true],
    ["cat <<EOF\nhello\nEOF", false],
    ["echo a |", true],
    ["echo a &&", true],
    ["echo $(ls", true],
    ["f() {", true],
    ["echo ok", false],
    ["echo )", false], // a syntax error, not an unfinished command: the shell says so
    ["", false],
  ])("%j → %s", (text, more) => {
    expect(needsMore(text)).toBe(more);
  });

  it("judges quotes without bash too", () => {
    expect(needsMore('echo "abc', "/nonexistent/bash")).toBe(true);
    expect(needsMore('echo "abc"', "/nonexistent/bash")).toBe(false);
    expect(needsMore("echo 'a\"b", "/nonexistent/bash")).toBe(true);
  });
});
