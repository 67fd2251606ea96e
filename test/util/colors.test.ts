import { describe, expect, it } from "vitest";
import { colorDiff, makeColors, useColor } from "../../src/util/colors.js";

describe("colour", () => {
  it("is on for a TTY only, and never with NO_COLOR", () => {
    expect(useColor({ isTTY: true }, {})).toBe(true);
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: "" })).toBe(true);
  });

  it("honours FORCE_COLOR as Node does: on even off a terminal, off with 0 or false, over NO_COLOR", () => {
    expect(useColor({ isTTY: false }, { FORCE_COLOR: "1" })).toBe(true);
    expect(useColor({ isTTY: false }, { FORCE_COLOR: "" })).toBe(true);
    expect(useColor({ isTTY: false }, { FORCE_COLOR: "3" })).toBe(true);
    expect(useColor({ isTTY: true }, { FORCE_COLOR: "0" })).toBe(false);
    expect(useColor({ isTTY: true }, { FORCE_COLOR: "false" })).toBe(false);
    expect(useColor({ isTTY: false }, { FORCE_COLOR: "1", NO_COLOR: "1" })).toBe(true);
  });

  it("colours a diff's removals red and additions green", () => {
    const out = colorDiff("@@ -1 +1 @@\n-old\n+new\n same", makeColors(true));
    expect(out).toBe("\u001b[36m@@ -1 +1 @@\u001b[39m\n\u001b[31m-old\u001b[39m\n\u001b[32m+new\u001b[39m\n same");
    expect(colorDiff("-old", makeColors(false))).toBe("-old");
  });
});
