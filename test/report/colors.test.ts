import { describe, expect, it } from "vitest";
import { colorDiff, makeColors, useColor } from "../../src/report/colors.js";

describe("colour", () => {
  it("is on for a TTY only, and never with NO_COLOR", () => {
    expect(useColor({ isTTY: true }, {})).toBe(true);
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
  });

  it("colours a diff's removals red and additions green", () => {
    const out = colorDiff("@@ -1 +1 @@\n-old\n+new\n same", makeColors(true));
    expect(out).toBe("\u001b[36m@@ -1 +1 @@\u001b[39m\n\u001b[31m-old\u001b[39m\n\u001b[32m+new\u001b[39m\n same");
    expect(colorDiff("-old", makeColors(false))).toBe("-old");
  });
});
