// consh-book installs like an npm CLI: `npm pack` (its prepack builds), then
// `npm install -g TARBALL --prefix DIR` offline, and the installed command
// lists the book and runs chapter 3 on this host.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, env } from "./helpers.js";

let dir: string;
let bin: string;
let files: string[];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "consh-pack-"));
  const packed = await execa("npm", ["pack", "--json", "--pack-destination", dir], { cwd: ROOT, env: { ...process.env, npm_config_loglevel: "error" } });
  const info = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  files = info[0]!.files.map((f) => f.path);
  const tarball = join(dir, info[0]!.filename);
  await execa("npm", ["install", "-g", tarball, "--prefix", join(dir, "prefix"), "--offline", "--no-audit", "--no-fund"], { cwd: dir });
  bin = join(dir, "prefix", "bin", "consh-book");
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the npm package", () => {
  it("holds the bundle, the book, the report schema and the licences, and no sources or tests", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "LICENSE",
        "README.md",
        "package.json",
        "dist/bin/consh-book.js",
        "dist/bin/THIRD-PARTY-LICENSES.txt",
        "snapshots/chapter-07.snap",
        "src/report/report.schema.json",
      ]),
    );
    expect(files.filter((f) => /^chapters\/chapter-\d\d-[a-z0-9-]+\.md$/.test(f))).toHaveLength(12);
    expect(files.filter((f) => f.startsWith("test/") || f.endsWith(".ts") || f.startsWith("dist/book/"))).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { dependencies?: object };
    expect(pkg.dependencies ?? {}).toEqual({}); // everything it runs is in the bundle: an offline install works
  });

  it("installed into a fresh prefix, reports the version of its package.json and lists the chapters", async () => {
    const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    expect((await execa(bin, ["--version"])).stdout).toBe(version);
    const list = await execa(bin, ["list"], { cwd: dir, env: env() });
    expect(list.stdout).toMatch(/^chapter-01\s+Building a container from the shell\s+\d+ \(2 only on some hosts\)\s+-$/m);
    expect(list.stdout.trim().split("\n")).toHaveLength(13);
    expect(readdirSync(join(dir, "prefix", "lib", "node_modules"))).toEqual(["consh-book"]);
  });

  it("installed, runs chapter 3 of its own book on this host", async () => {
    const r = await execa(bin, ["run", "chapter-03"], { cwd: dir, env: env({ CI: "true" }), reject: false, all: true });
    expect(r.all).toMatch(/chapter-03 passed: 4 steps/);
    expect(r.exitCode).toBe(0);
  });
});
