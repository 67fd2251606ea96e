import { describe, expect, it } from "vitest";
import { isStaticElf } from "../../src/host/elf.js";
import { which } from "../../src/host/probe.js";

describe("isStaticElf", () => {
  it.skipIf(!which("busybox"))("says the distribution's busybox-static is static", () => {
    expect(isStaticElf(which("busybox")!)).toBe(true);
  });
  it("says a dynamically linked program is not", () => {
    expect(isStaticElf(which("ls")!)).toBe(false);
  });
  it("says a script is not", () => {
    expect(isStaticElf(new URL(import.meta.url).pathname)).toBe(false);
  });
});
