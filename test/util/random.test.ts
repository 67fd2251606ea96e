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

  it("rejects the values above the largest multiple of max, so that none is more likely", () => {
    // max = 2^31 + 1: only 0 .. 2^31 are taken (one multiple fits below 2^32); the rest are drawn again.
    const draws = [0xffffffff, 2 ** 31 + 1, 2 ** 31, 7];
    const source = () => {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(draws.shift()!);
      return b;
    };
    expect(randomInt(2 ** 31 + 1, source)).toBe(2 ** 31);
    expect(randomInt(2 ** 31 + 1, source)).toBe(7);
  });

  it("refuses a max it cannot draw from", () => {
    for (const max of [0, -1, 1.5, 2 ** 32 + 1, Number.NaN]) expect(() => randomInt(max)).toThrow(RangeError);
  });
});
