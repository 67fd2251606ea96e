// What a directory or file must be before consh-book trusts it as a user's own.
import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ancestorProblem, currentUid, dirProblem, readOwnedFile } from "../../src/util/trust.js";

const me = currentUid();
const asRoot = me === 0;
let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});
const scratch = () => {
  const d = mkdtempSync(join(tmpdir(), "consh-trust-"));
  dirs.push(d);
  return d;
};

describe("dirProblem", () => {
  it("accepts a directory of the user that no one else can write, and asks for 0700 when private", () => {
    const d = join(scratch(), "root");
    mkdirSync(d, { mode: 0o700 });
    expect(dirProblem(lstatSync(d), me)).toBeUndefined();
    expect(dirProblem(lstatSync(d), me, { private: true })).toBeUndefined();
    chmodSync(d, 0o755);
    expect(dirProblem(lstatSync(d), me)).toBeUndefined();
    expect(dirProblem(lstatSync(d), me, { private: true })).toBe("is open to group or others (mode 0755, expected 0700)");
  });

  it("refuses a symlink (even to a good directory), a file, a writable dir, another owner, a missing one", () => {
    const s = scratch();
    mkdirSync(join(s, "good"), { mode: 0o700 });
    symlinkSync(join(s, "good"), join(s, "link"));
    writeFileSync(join(s, "file"), "");
    mkdirSync(join(s, "open"));
    chmodSync(join(s, "open"), 0o777);
    expect(dirProblem(lstatSync(join(s, "link")), me)).toBe("is a symbolic link");
    expect(dirProblem(lstatSync(join(s, "file")), me)).toBe("is not a directory");
    expect(dirProblem(lstatSync(join(s, "open")), me)).toBe("is writable by group or others (mode 0777)");
    expect(dirProblem(lstatSync(join(s, "good")), me + 1)).toBe(`is owned by uid ${me}, not by uid ${me + 1}`);
    expect(dirProblem(undefined, me)).toBe("does not exist");
  });
});

describe("ancestorProblem", () => {
  it("accepts a path under /tmp (root's, sticky) and under the user's own dirs", () => {
    const s = scratch();
    expect(ancestorProblem(join(s, "a"), me)).toBeUndefined();
  });

  it("refuses a parent that group or others may write unless it is sticky", () => {
    const s = scratch();
    mkdirSync(join(s, "shared"));
    chmodSync(join(s, "shared"), 0o777);
    expect(ancestorProblem(join(s, "shared", "root"), me)).toEqual({
      path: join(s, "shared"),
      what: "is writable by group or others and not sticky (mode 0777)",
    });
    chmodSync(join(s, "shared"), 0o1777);
    expect(ancestorProblem(join(s, "shared", "root"), me)).toBeUndefined();
  });

  it("refuses a missing parent", () => {
    const s = scratch();
    expect(ancestorProblem(join(s, "missing", "root"), me)).toEqual({ path: join(s, "missing"), what: "does not exist" });
  });

  it.skipIf(!asRoot)("as root: refuses a parent owned by another user, and a symlink on the way owned by one", () => {
    const s = scratch();
    chmodSync(s, 0o1777);
    mkdirSync(join(s, "theirs"));
    chownSync(join(s, "theirs"), 1000, 1000);
    expect(ancestorProblem(join(s, "theirs", "root"), 0)).toEqual({ path: join(s, "theirs"), what: "is owned by uid 1000 (neither root nor uid 0)" });
    mkdirSync(join(s, "mine"));
    execFileSync("runuser", ["-u", "cloudsdk", "--", "ln", "-s", join(s, "mine"), join(s, "via")]);
    expect(ancestorProblem(join(s, "via", "root"), 0)).toEqual({ path: join(s, "via"), what: "is a symbolic link owned by uid 1000" });
    // The same link made by root itself leads to a directory root owns: fine.
    symlinkSync(join(s, "mine"), join(s, "rootvia"));
    expect(ancestorProblem(join(s, "rootvia", "root"), 0)).toBeUndefined();
  });
});

describe("readOwnedFile", () => {
  it("reads a regular file of the user", () => {
    const f = join(scratch(), "run.json");
    writeFileSync(f, '{"id":"abcdef"}\n', { mode: 0o600 });
    expect(readOwnedFile(f, me)).toEqual({ text: '{"id":"abcdef"}\n' });
  });

  it("does not follow a symlink, does not block on a FIFO, and refuses another owner's or a missing file", () => {
    const s = scratch();
    writeFileSync(join(s, "real"), "x", { mode: 0o600 });
    symlinkSync(join(s, "real"), join(s, "link"));
    execFileSync("mkfifo", [join(s, "fifo")]);
    expect(readOwnedFile(join(s, "link"), me)).toEqual({ problem: "is a symbolic link" });
    expect(readOwnedFile(join(s, "fifo"), me)).toEqual({ problem: "is not a regular file" });
    expect(readOwnedFile(join(s, "real"), me + 1)).toEqual({ problem: `is owned by uid ${me}, not by uid ${me + 1}` });
    expect(readOwnedFile(join(s, "gone"), me)).toEqual({ problem: "does not exist" });
    chmodSync(join(s, "real"), 0o666);
    expect(readOwnedFile(join(s, "real"), me)).toEqual({ problem: "is writable by group or others (mode 0666)" });
  });
});
