// The checksum behind the code caches and the book cache: length and CRC-32.
import { describe, expect, it } from "vitest";
import { checksum } from "../../src/util/checksum.js";

describe("checksum", () => {
  it("is the length and the CRC-32 (the standard check value for 123456789)", () => {
    expect(checksum(Buffer.from("123456789"))).toBe("9-cbf43926");
    expect(checksum(Buffer.alloc(0))).toBe("0-00000000");
  });

  it("changes when one bit changes, and with the length", () => {
    const a = Buffer.from("the same length");
    const b = Buffer.from(a);
    b[7] = b[7]! ^ 1;
    expect(checksum(b)).not.toBe(checksum(a));
    expect(checksum(Buffer.concat([a, Buffer.from([0])]))).not.toBe(checksum(a));
  });

  it("reads a view at any offset, as the code cache's data after its header", () => {
    const whole = Buffer.from("header\n0123456789abcdef");
    expect(checksum(whole.subarray(7))).toBe(checksum(Buffer.from("0123456789abcdef")));
  });
});
