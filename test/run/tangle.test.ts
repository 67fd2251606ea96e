// tangle(): writes file= blocks under the work dir, never through a symbolic link.
import { execFileSync } from "node:child_process";
import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TangleFile } from "../../src/book/model.js";
import { tangle, TangleError } from "../../src/run/tangle.js";

const block = (path: string, text = "#!/bin/sh\necho hi\n"): TangleFile => ({
  kind: "file",
  path,
  lang: "sh",
  text,
  executable: text.startsWith("#!"),
  line: 3,
  lead: "",
  intro: "",
});

describe("tangle", () => {
  let dir: string;
  let work: string;
  let outside: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "consh-tangle-"));
    work = join(dir, "work");
    outside = join(dir, "outside");
    mkdirSync(work);
    mkdirSync(outside);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("writes a nested file with its mode, and rewrites it exactly", () => {
    const path = tangle(work, block("bin/sub/setup.sh"));
    expect(path).toBe(join(work, "bin/sub/setup.sh"));
    expect(readFileSync(path, "utf8")).toBe("#!/bin/sh\necho hi\n");
    expect(statSync(path).mode & 0o777).toBe(0o755);
    tangle(work, block("bin/sub/setup.sh", "short\n"));
    expect(readFileSync(path, "utf8")).toBe("short\n");
    expect(statSync(path).mode & 0o777).toBe(0o644);
  });

  it("refuses a parent directory that is a symbolic link (made by an earlier step) and writes nothing outside", () => {
    symlinkSync(outside, join(work, "bin"));
    expect(() => tangle(work, block("bin/setup.sh"))).toThrow(TangleError);
    expect(() => tangle(work, block("bin/setup.sh"))).toThrow(/ELOOP: 'bin' is a symbolic link/);
    expect(readdirSync(outside)).toEqual([]);
  });

  it("refuses a deeper parent that is a symbolic link", () => {
    mkdirSync(join(work, "a"));
    symlinkSync(outside, join(work, "a", "b"));
    expect(() => tangle(work, block("a/b/c/x.sh"))).toThrow(/'a\/b' is a symbolic link/);
    expect(readdirSync(outside)).toEqual([]);
  });

  it("refuses a file that is a symbolic link, leaving its target alone", () => {
    const target = join(outside, "victim");
    writeFileSync(target, "precious\n");
    symlinkSync(target, join(work, "setup.sh"));
    expect(() => tangle(work, block("setup.sh"))).toThrow(/ELOOP: 'setup.sh' is a symbolic link/);
    expect(readFileSync(target, "utf8")).toBe("precious\n");
  });

  it("refuses a dangling symbolic link without creating its target", () => {
    symlinkSync(join(outside, "new"), join(work, "setup.sh"));
    expect(() => tangle(work, block("setup.sh"))).toThrow(/symbolic link/);
    expect(existsSync(join(outside, "new"))).toBe(false);
  });

  it("refuses a file with other hard links", () => {
    const target = join(work, "keep");
    writeFileSync(target, "precious\n");
    linkSync(target, join(work, "setup.sh"));
    expect(() => tangle(work, block("setup.sh"))).toThrow(/hard links/);
    expect(readFileSync(target, "utf8")).toBe("precious\n");
  });

  it("says so when a directory or a FIFO is in the way (and does not hang on the FIFO)", () => {
    mkdirSync(join(work, "in-the-way.sh"));
    expect(() => tangle(work, block("in-the-way.sh"))).toThrow(/EISDIR: 'in-the-way.sh' is a directory/);
    execFileSync("mkfifo", [join(work, "pipe")]);
    expect(() => tangle(work, block("pipe"))).toThrow(/named pipe|not a regular file/);
    writeFileSync(join(work, "plain"), "");
    expect(() => tangle(work, block("plain/x"))).toThrow(/ENOTDIR: 'plain' is not a directory/);
  });
});
