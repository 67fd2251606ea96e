// The shipped book: every chapter passes on its own (its needs run first), on this real host.
import { describe, expect, it } from "vitest";
import { cli, env } from "./helpers.js";

describe("each chapter of the book, run alone (CI mode)", () => {
  it.each(Array.from({ length: 12 }, (_, i) => i + 1))("chapter %i", async (n) => {
    const r = await cli(["run", String(n)], { env: env({ CI: "true" }) });
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/all passed/);
    expect(r.code).toBe(0);
  });
});
