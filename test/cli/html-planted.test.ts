// Another local user (uid 1000) plants the out dir of root's `consh-book html`: a mode
// 777 folder with `figures -> /victim` and a marker listing `figures/shadow`. Root's
// html must refuse (exit 5), remove nothing and write nothing through the link.
// Runs as root only, in a temp dir of its own.
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, cli } from "./helpers.js";

const root = process.getuid?.() === 0;
const OTHER = "cloudsdk"; // uid 1000 on the test machines
const asOther = (...argv: string[]) => execFileSync("runuser", ["-u", OTHER, "--", ...argv], { encoding: "utf8" });

let base: string;
let tmp: string;
let book: string;
let victim: string;
beforeAll(() => {
  if (!root) return;
  base = mkdtempSync(join(tmpdir(), "consh-html-planted-"));
  chmodSync(base, 0o755);
  tmp = join(base, "tmp"); // stands for /tmp
  mkdirSync(tmp);
  chmodSync(tmp, 0o1777);
  book = join(base, "book");
  cpSync(join(ROOT, "test/fixtures/basic"), book, { recursive: true });
  mkdirSync(join(book, "chapters/figures"));
  writeFileSync(join(book, "chapters/figures/pic.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>\n");
  writeFileSync(
    join(book, "chapters/figures/figures.json"),
    JSON.stringify([{ chapter: "chapter-01", file: "pic.svg", alt: "a", caption: "c", beforeStep: "set" }]),
  );
  victim = join(base, "victim"); // stands for a root-owned directory such as /etc
  mkdirSync(victim);
  writeFileSync(join(victim, "shadow"), "secret\n");
});
afterAll(() => {
  if (root) rmSync(base, { recursive: true, force: true });
});

describe.skipIf(!root)("an html out dir planted by another user", () => {
  it("mode 777 with figures -> victim and a marker listing figures/shadow: refused with exit 5, nothing removed or written", async () => {
    const out = join(tmp, "out");
    asOther("mkdir", "-m", "777", out);
    asOther("ln", "-s", victim, join(out, "figures"));
    asOther("sh", "-c", 'printf \'["figures/shadow"]\\n\' > "$0/.consh-book-site"', out);
    const r = await cli(["html", "--out", out, "--book", book]);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain(`consh-book: ${out} is owned by uid 1000, not by uid 0`);
    expect(r.stderr).toMatch(/hint: pass --out with a new directory, or one of your own/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(readFileSync(join(victim, "shadow"), "utf8")).toBe("secret\n");
    expect(readdirSync(victim)).toEqual(["shadow"]);
    expect(readdirSync(out).sort()).toEqual([".consh-book-site", "figures"]);
    expect(lstatSync(join(out, "figures")).isSymbolicLink()).toBe(true);
  });

  it("root's own new out dir is written (the check passes what it should), and a rerun rewrites it", async () => {
    const out = join(base, "site");
    const first = await cli(["html", "--out", out, "--book", book]);
    expect(first.code, first.stderr).toBe(0);
    const again = await cli(["html", "--out", out, "--book", book]);
    expect(again.code, again.stderr).toBe(0);
    expect(readdirSync(join(out, "figures"))).toEqual(["pic.svg"]);
  });
});
