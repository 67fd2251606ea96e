// What a learner is asked to achieve, when a check verifies the step: its leading comments.
import { describe, expect, it } from "vitest";
import { goalOf } from "../../src/session/practice.js";
import { stepOf } from "../support/factories.js";

describe("goalOf", () => {
  it("is the check's leading comment lines, joined", () => {
    const step = stepOf({ check: { kind: "check", step: "s", line: 3, text: "# An overlay is mounted\n# on merged.\nfindmnt merged\n# not this\n" } });
    expect(goalOf(step)).toBe("An overlay is mounted on merged.");
  });

  it("says to do what the text describes when the check has no comment", () => {
    expect(goalOf(stepOf({ terminal: "container", check: { kind: "check", step: "s", line: 3, text: "true\n" } }))).toBe(
      "do what the text above describes, in the container terminal",
    );
  });
});
