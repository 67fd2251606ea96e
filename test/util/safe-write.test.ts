// Writes root makes where others could plant links: never through a link, only into the user's own dirs.
import {
  chmodSync,
  chownSync,
  closeSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  openSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writableDirProblem, writeFileAtomic } from "../../src/util/safe-write.js";
import { type WriteFn, writeAll } from "../../src/util/write-all.js";

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

/** A write(2) that writes at most `chunk` bytes at a time, and nothing (a full disk) once `room` bytes are written. */
function diskOf(room: number, chunk: number): WriteFn {
  let used = 0;
  return (fd, buf, offset, length) => {
    const n = Math.min(length, chunk, room - used);
    if (n <= 0) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    used += n;
    return writeSync(fd, buf, offset, n);
  };
}

describe("writeAll and writeFileAtomic on short writes and a full disk", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "consh-short-write-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("writes every byte when each write(2) writes only part of what it was asked", () => {
    const text = `${"é".repeat(40_000)}\n`; // multi-byte characters, cut in the middle by the chunks
    writeFileAtomic(join(dir, "f"), text, { write: diskOf(1 << 30, 4093) });
    expect(readFileSync(join(dir, "f"), "utf8")).toBe(text);
  });

  it("throws ENOSPC on a full disk, removes its temp file and leaves the old file as it was", () => {
    writeFileSync(join(dir, "f"), "old\n");
    let caught: NodeJS.ErrnoException | undefined;
    try {
      writeFileAtomic(join(dir, "f"), "x".repeat(100_000), { write: diskOf(30_000, 8192) });
    } catch (err) {
      caught = err as NodeJS.ErrnoException;
    }
    expect(caught?.code).toBe("ENOSPC");
    expect(readFileSync(join(dir, "f"), "utf8")).toBe("old\n");
    expect(readdirSync(dir)).toEqual(["f"]);
  });

  it("takes a write(2) that makes no progress for a full disk instead of looping", () => {
    const fd = openSync(join(dir, "g"), "w");
    try {
      expect(() => writeAll(fd, "abc", () => 0)).toThrow(/ENOSPC/);
    } finally {
      closeSync(fd);
    }
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
