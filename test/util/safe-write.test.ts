// Writes root makes where others could plant links: never through a link, only into the user's own dirs.
import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writableDirProblem, writeFileAtomic } from "../../src/util/safe-write.js";

const root = process.getuid?.() === 0;

describe("writeFileAtomic", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "consh-safe-write-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("replaces a planted symbolic link instead of writing where it points, and leaves no temp file", () => {
    writeFileSync(join(dir, "victim"), "precious\n");
    symlinkSync(join(dir, "victim"), join(dir, "out.json"));
    writeFileAtomic(join(dir, "out.json"), "new\n");
    expect(readFileSync(join(dir, "victim"), "utf8")).toBe("precious\n");
    expect(lstatSync(join(dir, "out.json")).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(dir, "out.json"), "utf8")).toBe("new\n");
    expect(lstatSync(join(dir, "out.json")).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual(["out.json", "victim"]);
  });

  it("uses a fresh random temp name each time", () => {
    writeFileAtomic(join(dir, "a"), "1");
    writeFileAtomic(join(dir, "a"), "2");
    expect(readFileSync(join(dir, "a"), "utf8")).toBe("2");
    expect(readdirSync(dir)).toEqual(["a"]);
  });
});

describe.skipIf(!root)("writableDirProblem (as root)", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "consh-safe-dir-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("accepts root's own private dir", () => {
    expect(writableDirProblem(dir, 0)).toBeUndefined();
  });

  it("refuses a dir another user owns, one under it, and one others may write", () => {
    mkdirSync(join(dir, "home"));
    mkdirSync(join(dir, "home", "state"));
    chownSync(join(dir, "home"), 1000, 1000);
    expect(writableDirProblem(join(dir, "home"), 0)).toMatch(/owned by uid 1000/);
    expect(writableDirProblem(join(dir, "home", "state"), 0)).toMatch(/owned by uid 1000/);
    mkdirSync(join(dir, "open"));
    chmodSync(join(dir, "open"), 0o777);
    expect(writableDirProblem(join(dir, "open"), 0)).toMatch(/writable by group or others/);
  });
});
