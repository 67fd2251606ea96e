// The README and docs/ stay true: every `consh-book ...` they show names a real
// command with real options, every link to a file goes to one that exists (and
// to a heading it has), and the exit codes they list are the ones the code uses.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../../src/errors.js";
import { cli, ROOT } from "./helpers.js";

const files = ["README.md", ...readdirSync(join(ROOT, "docs")).map((f) => `docs/${f}`)];
const text = (f: string) => readFileSync(join(ROOT, f), "utf8");

/** GitHub's anchor for a heading. */
const anchor = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} -]/gu, "")
    .replace(/ /g, "-");

describe("the README and docs/", () => {
  it("show only commands and options consh-book has", async () => {
    const help = new Map<string, string>();
    const helpOf = async (command: string) => {
      if (!help.has(command)) help.set(command, (await cli([command, "--help"])).stdout);
      return help.get(command)!;
    };
    const commands = (await cli(["--help"])).stdout;
    const seen: string[] = [];
    for (const f of files) {
      for (const m of text(f).matchAll(/`consh-book ([a-z]+)([^`]*)`/g)) {
        const [, command, rest] = m;
        expect(commands, `${f}: consh-book ${command}`).toMatch(new RegExp(`^  ${command}\\b`, "m"));
        for (const option of rest!.match(/--[a-z][a-z-]*/g) ?? []) expect(await helpOf(command!), `${f}: consh-book ${command} ${option}`).toContain(option);
        seen.push(command!);
      }
    }
    expect(new Set(seen).size).toBeGreaterThanOrEqual(10);
  });

  it("link to files that exist, and to headings they have", () => {
    for (const f of files) {
      for (const m of text(f).matchAll(/\]\(([^)#\s]+\.md)(?:#([^)]+))?\)/g)) {
        const target = resolve(dirname(join(ROOT, f)), m[1]!);
        expect(existsSync(target), `${f} links to ${m[1]}`).toBe(true);
        if (m[2]) {
          const headings = [...readFileSync(target, "utf8").matchAll(/^#+ (.+)$/gm)].map((h) => anchor(h[1]!));
          expect(headings, `${f} links to ${m[1]}#${m[2]}`).toContain(m[2]);
        }
      }
    }
  });

  it("list the exit codes the code uses", () => {
    const readme = text("README.md");
    for (const code of Object.values(ExitCode)) if (code !== 0) expect(readme, `exit code ${code}`).toMatch(new RegExp(`\`${code}\``));
  });
});
