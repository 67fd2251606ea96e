// The work root and run dirs: made private, and refused when someone else made or can change them.
import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { EnvironmentError, ExitCode } from "../../src/errors.js";
import { currentUid } from "../../src/util/trust.js";
import { ensureWorkRoot, makeRunDir, writeFileAtomic } from "../../src/run/work-root.js";

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});
const scratch = () => {
  const d = mkdtempSync(join(tmpdir(), "consh-workroot-"));
  dirs.push(d);
  return d;
};
const refusal = (f: () => unknown): EnvironmentError => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(EnvironmentError);
    expect((err as EnvironmentError).exitCode).toBe(ExitCode.environment);
    return err as EnvironmentError;
  }
  throw new Error("expected a refusal");
};

describe("ensureWorkRoot", () => {
  it("makes a missing work root with mode 0700 and accepts it the next time", () => {
    const root = join(scratch(), "consh-book-x");
    expect(ensureWorkRoot(root)).toBe(root);
    const st = lstatSync(root);
    expect(st.mode & 0o7777).toBe(0o700);
    expect(st.uid).toBe(currentUid());
    expect(ensureWorkRoot(root)).toBe(root);
  });

  it("refuses a symlink to a directory, a mode 777 directory, and a file, naming the path and what is wrong", () => {
    const s = scratch();
    mkdirSync(join(s, "elsewhere"), { mode: 0o700 });
    symlinkSync(join(s, "elsewhere"), join(s, "link"));
    const link = refusal(() => ensureWorkRoot(join(s, "link")));
    expect(link.message).toBe(`the work root ${join(s, "link")} is not safe to use: it is a symbolic link`);
    expect(link.hint).toMatch(/remove it .*or pass --work-dir DIR/);
    mkdirSync(join(s, "open"));
    chmodSync(join(s, "open"), 0o777);
    expect(refusal(() => ensureWorkRoot(join(s, "open"))).message).toMatch(/open is not safe to use: it is writable by group or others \(mode 0777\)$/);
    writeFileSync(join(s, "file"), "");
    expect(refusal(() => ensureWorkRoot(join(s, "file"))).message).toMatch(/file is not safe to use: it is not a directory$/);
    // Nothing was made through the link or in the open dir.
    expect(readdirSync(join(s, "elsewhere"))).toEqual([]);
    expect(readdirSync(join(s, "open"))).toEqual([]);
  });

  it("refuses a work root under a directory others can write (and that is not sticky)", () => {
    const s = scratch();
    mkdirSync(join(s, "shared"));
    chmodSync(join(s, "shared"), 0o777);
    expect(refusal(() => ensureWorkRoot(join(s, "shared", "deeper", "root"))).message).toMatch(/shared is writable by group or others and not sticky/);
    expect(readdirSync(join(s, "shared"))).toEqual([]); // nothing was made there first
  });

  it.skipIf(currentUid() !== 0)("as root: refuses a work root another user owns", () => {
    const s = scratch();
    mkdirSync(join(s, "theirs"), { mode: 0o700 });
    chownSync(join(s, "theirs"), 1000, 1000);
    expect(refusal(() => ensureWorkRoot(join(s, "theirs"))).message).toMatch(/theirs is not safe to use: it is owned by uid 1000, not by uid 0$/);
  });
});

describe("makeRunDir and writeFileAtomic", () => {
  it("makes a fresh 0700 run dir and never reuses an existing one", () => {
    const s = scratch();
    const old = process.umask(0o000);
    try {
      makeRunDir(join(s, "abcdef"));
    } finally {
      process.umask(old);
    }
    expect(lstatSync(join(s, "abcdef")).mode & 0o7777).toBe(0o700);
    expect(() => makeRunDir(join(s, "abcdef"))).toThrow(/EEXIST/);
  });

  it("replaces a file whole, leaving no temp file, and does not write through a symlink", () => {
    const s = scratch();
    writeFileAtomic(join(s, "run.json"), "one\n");
    writeFileAtomic(join(s, "run.json"), "two\n");
    expect(readFileSync(join(s, "run.json"), "utf8")).toBe("two\n");
    expect(readdirSync(s)).toEqual(["run.json"]);
    expect(lstatSync(join(s, "run.json")).mode & 0o777).toBe(0o600);
    writeFileSync(join(s, "target"), "keep");
    symlinkSync(join(s, "target"), join(s, "via"));
    writeFileAtomic(join(s, "via"), "new");
    expect(readFileSync(join(s, "target"), "utf8")).toBe("keep");
    expect(lstatSync(join(s, "via")).isFile()).toBe(true);
  });
});
