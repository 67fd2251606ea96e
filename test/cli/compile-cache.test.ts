// The executable is an ordinary ESM bundle: on a Node with a compile cache
// (22.1+) it keeps one in consh-book's own cache directory, never in the shared
// one under the temp directory and never where another user could write; on
// Node 20 it runs without one. CONSH_DEBUG traces point into src/ (source maps).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import module from "node:module";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CLI, ROOT, env } from "./helpers.js";

const hasCompileCache = typeof (module as { enableCompileCache?: unknown }).enableCompileCache === "function";
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "consh-compile-cache-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const list = (extra: Record<string, string>) =>
  execa(process.execPath, [CLI, "list", "--book", ROOT], {
    env: env({ XDG_CACHE_HOME: join(dir, "cache"), TMPDIR: join(dir, "tmp"), ...extra }),
    extendEnv: false,
  });

describe("the compile cache", () => {
  it(`${hasCompileCache ? "is kept in consh-book's own cache directory" : "is not used on this Node (no module.enableCompileCache)"}, and nothing goes to the temp directory`, async () => {
    mkdirSync(join(dir, "tmp"));
    const first = await list({});
    expect(first.stdout).toMatch(/^chapter-07\s/m);
    const compile = join(dir, "cache", "consh-book", "compile");
    if (hasCompileCache) {
      expect(readdirSync(compile).length).toBeGreaterThan(0);
      const entries = readdirSync(compile, { recursive: true });
      expect(entries.length).toBeGreaterThan(3); // one file per module compiled
    } else {
      expect(existsSync(compile) ? readdirSync(compile) : []).toEqual([]);
    }
    expect(readdirSync(join(dir, "tmp"))).toEqual([]);
    expect((await list({})).stdout).toBe(first.stdout);
  });

  it.runIf(process.getuid?.() === 0)("is not kept in a cache directory another user owns (as root with a learner's HOME)", async () => {
    mkdirSync(join(dir, "cache", "consh-book"), { recursive: true });
    execFileSync("chown", ["-R", "1000:1000", join(dir, "cache")]);
    const r = await list({});
    expect(r.stdout).toMatch(/^chapter-07\s/m);
    expect(readdirSync(join(dir, "cache", "consh-book"))).toEqual([]);
  });
});

describe("stack traces", () => {
  it("with CONSH_DEBUG, an internal error's trace names consh-book's TypeScript sources", async () => {
    // A fault planted below consh-book: the string padding `list` uses throws a TypeError.
    const preload = join(dir, "fault.cjs");
    writeFileSync(preload, 'String.prototype.padEnd = () => { throw new TypeError("planted fault"); };\n');
    const r = await execa(process.execPath, ["-r", preload, CLI, "list", "--book", ROOT], { env: env({ CONSH_DEBUG: "1" }), extendEnv: false, reject: false });
    expect(r.exitCode).toBe(70);
    expect(r.stderr).toMatch(/internal error: planted fault/);
    expect(r.stderr).toMatch(/src\/commands\/list\.ts:\d+/);
    const plain = await execa(process.execPath, ["-r", preload, CLI, "list", "--book", ROOT], { env: env(), extendEnv: false, reject: false });
    expect(plain.stderr).toMatch(/set CONSH_DEBUG=1 to see where/);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
  });
});
