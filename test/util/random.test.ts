// Random bytes and integers from /dev/urandom.
import { describe, expect, it } from "vitest";
import { randomBytes, randomInt } from "../../src/util/random.js";

describe("randomBytes", () => {
  it("gives as many bytes as asked, different each time", () => {
    const a = randomBytes(16);
    expect(a).toHaveLength(16);
    expect(randomBytes(16).equals(a)).toBe(false);
    expect(randomBytes(0)).toHaveLength(0);
  });
});

describe("randomInt", () => {
  it("stays in [0, max) and reaches every value", () => {
    const seen = new Set<number>();
    for (let i = 0; i < 400; i++) {
      const n = randomInt(6);
      expect(Number.isInteger(n) && n >= 0 && n < 6).toBe(true);
      seen.add(n);
    }
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(randomInt(1)).toBe(0);
  });
});
