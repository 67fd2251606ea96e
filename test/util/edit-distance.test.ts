// Edit distance and the closest name, for "did you mean".
import { describe, expect, it } from "vitest";
import { closest, editDistance } from "../../src/util/edit-distance.js";

describe("editDistance", () => {
  it("counts insertions, deletions and substitutions", () => {
    expect(editDistance("", "")).toBe(0);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("whiteout", "whitout")).toBe(1);
    expect(editDistance("abc", "")).toBe(3);
  });
});

describe("closest", () => {
  const names = [
    { value: 1, names: ["whiteout"] },
    { value: 2, names: ["copy-up", "copy up"] },
  ];
  it("finds a typo of any spelling, case aside", () => {
    expect(closest("Whitout", names)).toBe(1);
    expect(closest("copyup", names)).toBe(2);
  });
  it("guesses nothing for a word that is far from every name, or empty", () => {
    expect(closest("namespace", names)).toBeUndefined();
    expect(closest("  ", names)).toBeUndefined();
  });
});
