// Where the compile cache may go: consh-book's own cache directory when this
// user alone can write it and everything above it; otherwise nowhere.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { compileCacheDir } from "../../src/util/compile-cache.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "consh-cc-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("compileCacheDir", () => {
  it("makes $XDG_CACHE_HOME/consh-book/compile with mode 0700 and gives it", () => {
    const got = compileCacheDir({ XDG_CACHE_HOME: join(dir, "c") });
    expect(got).toBe(join(dir, "c", "consh-book", "compile"));
    expect(statSync(got!).mode & 0o777).toBe(0o700);
  });

  it("gives nothing when the directory is open to others, or is a symbolic link", () => {
    const open = join(dir, "open", "consh-book", "compile");
    mkdirSync(open, { recursive: true });
    chmodSync(open, 0o777);
    expect(compileCacheDir({ XDG_CACHE_HOME: join(dir, "open") })).toBeUndefined();
    mkdirSync(join(dir, "l", "consh-book"), { recursive: true });
    mkdirSync(join(dir, "elsewhere"));
    symlinkSync(join(dir, "elsewhere"), join(dir, "l", "consh-book", "compile"));
    expect(compileCacheDir({ XDG_CACHE_HOME: join(dir, "l") })).toBeUndefined();
  });

  it("gives nothing below a directory others may write (not sticky)", () => {
    mkdirSync(join(dir, "shared"));
    chmodSync(join(dir, "shared"), 0o777);
    expect(compileCacheDir({ XDG_CACHE_HOME: join(dir, "shared", "me") })).toBeUndefined();
  });

  it.runIf(process.getuid?.() === 0)("as root, gives nothing in another user's cache directory", () => {
    mkdirSync(join(dir, "learner"));
    execFileSync("chown", ["1000:1000", join(dir, "learner")]);
    expect(compileCacheDir({ XDG_CACHE_HOME: join(dir, "learner") })).toBeUndefined();
  });
});
