// A handful of mutated copies of the shipped book through the built CLI: whatever is
// wrong with a chapter or snapshot, no command exits 70, prints a stack trace or hangs.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, ROOT } from "./helpers.js";

/** Deterministic mutations of one file's text (the parser fuzz test does many more, in-process). */
const MUTATIONS: Record<string, (t: string) => string> = {
  truncated: (t) => t.slice(0, Math.floor(t.length * 0.37)),
  crlf: (t) => t.replace(/\n/g, "\r\n"),
  bom: (t) => `\ufeff${t}`,
  "unclosed fence": (t) => t.replace(/\n```\n/, "\n"),
  "odd quoting": (t) => t.replace(/\{step=/, '{step="a\\"b redact="X:(" '),
  binary: (t) => t.slice(0, 200) + "\u0000\u001b]0;x\u0007\ud800\ufffe" + Buffer.from([0xff, 0xfe, 0x80]).toString("latin1") + t.slice(200),
  "long line": (t) => t.replace("\n\n", `\n${"=".repeat(200_000)}\n\n`),
  "duplicated lines": (t) => {
    const l = t.split("\n");
    return [...l.slice(0, 12), ...l.slice(5, 12), ...l.slice(12)].join("\n");
  },
};

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function mutatedBook(what: "chapters" | "snapshots", mutation: string): string {
  const dir = mkdtempSync(join(tmpdir(), "consh-mutated-"));
  dirs.push(dir);
  cpSync(join(ROOT, "chapters"), join(dir, "chapters"), { recursive: true });
  cpSync(join(ROOT, "snapshots"), join(dir, "snapshots"), { recursive: true });
  const file = join(dir, what, readdirSync(join(dir, what)).sort()[2]!); // chapter 03
  writeFileSync(file, MUTATIONS[mutation]!(readFileSync(file, "utf8")));
  return dir;
}

describe("mutated books through the CLI", () => {
  const cases = Object.keys(MUTATIONS).flatMap((m) => [["chapters", m] as const, ["snapshots", m] as const]);
  it.each(cases)("%s, %s: no exit 70, no stack trace, no hang", async (what, mutation) => {
    const book = mutatedBook(what, mutation);
    for (const args of [["list"], ["show", "3"], ["read", "3"], ["export", "3"]]) {
      const r = await cli([...args, "--book", book], { timeout: 30_000 });
      const label = `${args.join(" ")} on ${what} ${mutation}`;
      expect(r.code, `${label}\n${r.stderr}`).toBeTypeOf("number");
      expect([0, 2, 4], `${label}\n${r.stderr}`).toContain(r.code);
      expect(r.stderr, label).not.toMatch(/internal error|\n\s+at .*:\d+:\d+\)?/);
    }
  });
});
