// --json/--junit paths: checked before a run (exit 2), a failed write after it is exit 5
// and leaves the previous report whole (the write(2) is injected to fill the disk).
import { chmodSync, chownSync, linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EnvironmentError, ExitCode, UsageError } from "../../src/errors.js";
import { checkReportPath, writeReportFile } from "../../src/report/report-file.js";
import type { WriteFn } from "../../src/util/write-all.js";

describe("report files", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "consh-report-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const usage = (f: () => void): UsageError => {
    try {
      f();
    } catch (err) {
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).exitCode).toBe(ExitCode.usage);
      expect((err as UsageError).hint).toMatch(/--json|--junit/);
      return err as UsageError;
    }
    throw new Error("expected a UsageError");
  };

  it("accepts a new or existing file in a directory that exists", () => {
    checkReportPath("--json", join(dir, "r.json"));
    writeFileSync(join(dir, "old.xml"), "");
    checkReportPath("--junit", join(dir, "old.xml"));
  });

  it("refuses a missing directory, a directory, and a path through a file", () => {
    expect(usage(() => checkReportPath("--json", join(dir, "missing", "r.json"))).message).toMatch(/the directory .*missing does not exist/);
    expect(usage(() => checkReportPath("--junit", dir)).message).toMatch(/that is a directory, not a file/);
    writeFileSync(join(dir, "file"), "");
    expect(usage(() => checkReportPath("--json", join(dir, "file", "r.json"))).message).toMatch(/not a directory/);
  });

  it.skipIf(process.getuid?.() === 0)("refuses a directory it may not write", () => {
    mkdirSync(join(dir, "ro"));
    chmodSync(join(dir, "ro"), 0o500);
    expect(usage(() => checkReportPath("--json", join(dir, "ro", "r.json"))).message).toMatch(/not writable/);
  });

  it("writes the report, and a write that fails after the run is an environment error (exit 5)", () => {
    writeReportFile("--json", join(dir, "r.json"), "{}\n");
    expect(readFileSync(join(dir, "r.json"), "utf8")).toBe("{}\n");
    const gone = join(dir, "gone");
    mkdirSync(gone);
    checkReportPath("--json", join(gone, "r.json"));
    rmSync(gone, { recursive: true }); // the directory went away during the run
    let caught: unknown;
    try {
      writeReportFile("--json", join(gone, "r.json"), "{}");
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(EnvironmentError);
    expect((caught as EnvironmentError).exitCode).toBe(ExitCode.environment);
    expect((caught as EnvironmentError).message).toMatch(/could not write the --json report to .*gone\/r\.json: ENOENT/);
    expect((caught as EnvironmentError).hint).toMatch(/verdict is above/);
  });
});

describe("a report on a full disk", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "consh-report-full-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A write(2) that writes 64 KiB at most, and fails (ENOSPC) once `room` bytes are written. */
  const diskOf =
    (room: number): WriteFn =>
    (fd, buf, offset, length) => {
      const n = Math.min(length, 65536, room);
      if (n <= 0) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
      room -= n;
      return writeSync(fd, buf, offset, n);
    };

  it("writes a large report whole across short writes", () => {
    const text = `${JSON.stringify({ output: "x".repeat(6 << 20) })}\n`;
    writeReportFile("--json", join(dir, "r.json"), text, diskOf(1 << 30));
    expect(readFileSync(join(dir, "r.json"), "utf8")).toBe(text);
  });

  it("fails with exit 5 when the disk fills, leaving the previous report as it was and no temp file", () => {
    writeFileSync(join(dir, "r.json"), '{"previous":true}\n');
    let caught: unknown;
    try {
      writeReportFile("--json", join(dir, "r.json"), JSON.stringify({ output: "x".repeat(6 << 20) }), diskOf(1 << 20));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(EnvironmentError);
    expect((caught as EnvironmentError).exitCode).toBe(ExitCode.environment);
    expect((caught as EnvironmentError).message).toMatch(/could not write the --json report to .*r\.json: ENOSPC/);
    expect((caught as EnvironmentError).message).not.toMatch(/\/proc\/self\/fd/);
    expect(readFileSync(join(dir, "r.json"), "utf8")).toBe('{"previous":true}\n');
    expect(readdirSync(dir)).toEqual(["r.json"]);
  });
});

describe.skipIf(process.getuid?.() !== 0)("report files another user could plant (as root)", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "consh-report-planted-"));
    chmodSync(dir, 0o1777); // like /tmp: others may create files here
    writeFileSync(join(dir, "victim"), "root's\n");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses a symbolic link before the run (exit 2) and after it (exit 5), leaving its target alone", () => {
    symlinkSync(join(dir, "victim"), join(dir, "r.json"));
    expect(() => checkReportPath("--json", join(dir, "r.json"))).toThrow(/symbolic link/);
    expect(() => checkReportPath("--json", join(dir, "r.json"))).toThrow(UsageError);
    let err: unknown;
    try {
      writeReportFile("--json", join(dir, "r.json"), "{}\n");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EnvironmentError);
    expect((err as EnvironmentError).exitCode).toBe(ExitCode.environment);
    expect((err as EnvironmentError).hint).toMatch(/remove/);
    expect(readFileSync(join(dir, "victim"), "utf8")).toBe("root's\n");
  });

  it("refuses an existing file another user owns, and a hard link to root's file", () => {
    writeFileSync(join(dir, "theirs.xml"), "x");
    chownSync(join(dir, "theirs.xml"), 1000, 1000);
    expect(() => checkReportPath("--junit", join(dir, "theirs.xml"))).toThrow(/owned by uid 1000/);
    expect(() => writeReportFile("--junit", join(dir, "theirs.xml"), "<x/>")).toThrow(EnvironmentError);
    expect(readFileSync(join(dir, "theirs.xml"), "utf8")).toBe("x");
    linkSync(join(dir, "victim"), join(dir, "hard.json"));
    expect(() => checkReportPath("--json", join(dir, "hard.json"))).toThrow(/hard links/);
    expect(() => writeReportFile("--json", join(dir, "hard.json"), "{}")).toThrow(EnvironmentError);
    expect(readFileSync(join(dir, "victim"), "utf8")).toBe("root's\n");
  });

  it("still writes a new file, and replaces the runner's own old one", () => {
    writeReportFile("--json", join(dir, "new.json"), '{"a":1}\n');
    writeReportFile("--json", join(dir, "new.json"), "{}\n");
    expect(readFileSync(join(dir, "new.json"), "utf8")).toBe("{}\n");
  });
});
