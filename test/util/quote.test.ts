import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { shellJoin, shellQuote } from "../../src/util/quote.js";

describe("shellQuote", () => {
  it("leaves safe words alone", () => {
    expect(shellQuote("/tmp/a-b_c.d:e")).toBe("/tmp/a-b_c.d:e");
  });

  it.each(["", "a b", "it's", "$HOME", "`id`", "a\nb", "'", "\\", "*", "-n"])("round-trips %j through a real sh", (value) => {
    const out = execFileSync("sh", ["-c", `printf '%s' ${shellQuote(value)}`], { encoding: "utf8" });
    expect(out).toBe(value);
  });

  it("joins words into one command line", () => {
    expect(execFileSync("sh", ["-c", `printf '[%s]' ${shellJoin(["a b", "c'd"])}`], { encoding: "utf8" })).toBe("[a b][c'd]");
  });
});
