// Progress: a progress.json that is not a file is an environment error (exit 5), never 70.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Book } from "../../src/book/model.js";
import { EnvironmentError, ExitCode } from "../../src/errors.js";
import { Progress } from "../../src/progress/progress.js";
import type { RunReport } from "../../src/report/results.js";
import { chapterOf } from "../support/factories.js";

const book: Book = {
  dir: "/b",
  chapters: [chapterOf({ slug: "a", title: "A", file: "/b/chapters/chapter-01-a.md" })],
};
const report = { chapters: [{ id: "chapter-01", status: "passed", steps: [] }] } as unknown as RunReport;

describe("Progress", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "consh-progress-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const environmentError = (f: () => unknown): EnvironmentError => {
    try {
      f();
    } catch (err) {
      expect(err).toBeInstanceOf(EnvironmentError);
      expect((err as EnvironmentError).exitCode).toBe(ExitCode.environment);
      expect((err as EnvironmentError).hint).toMatch(/remove or rename .*\.json/);
      return err as EnvironmentError;
    }
    throw new Error("expected an EnvironmentError");
  };

  it("records and reads back", () => {
    const file = join(dir, "state", "progress.json");
    new Progress(file).record(book, report);
    expect(new Progress(file).of(book)["chapter-01"]?.status).toBe("passed");
  });

  it("refuses a progress.json that is a directory or a FIFO, before anything runs", () => {
    mkdirSync(join(dir, "progress.json"));
    expect(environmentError(() => new Progress(join(dir, "progress.json"))).message).toMatch(/is a directory, not a regular file/);
    execFileSync("mkfifo", [join(dir, "fifo.json")]);
    expect(environmentError(() => new Progress(join(dir, "fifo.json"))).message).toMatch(/not a regular file/);
  });

  it("says so when the state directory is a file", () => {
    writeFileSync(join(dir, "state"), ""); // where the directory should be
    expect(environmentError(() => new Progress(join(dir, "state", "progress.json"))).message).toMatch(/cannot read the progress file.*ENOTDIR/);
  });

  it("turns a save that fails after the run into an environment error", () => {
    const file = join(dir, "progress.json");
    const p = new Progress(file);
    mkdirSync(file); // made while the run went on
    expect(environmentError(() => p.record(book, report)).message).toMatch(/cannot write the progress file .*EISDIR/);
  });

  it("forgets damaged entries instead of crashing", () => {
    const file = join(dir, "progress.json");
    writeFileSync(file, JSON.stringify({ version: 1, books: { "/b": { "chapter-01": { status: "passed", at: 5 }, "chapter-02": null }, "/c": "text" } }));
    const p = new Progress(file);
    expect(p.of(book)).toEqual({});
    expect(p.next(book)?.id).toBe("chapter-01");
    p.record(book, report);
    expect(JSON.parse(readFileSync(file, "utf8")).books["/b"]["chapter-01"].status).toBe("passed");
    writeFileSync(file, "null");
    expect(new Progress(file).of(book)).toEqual({});
  });
});

describe.skipIf(process.getuid?.() !== 0)("Progress as root with another user's state dir", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "consh-progress-foreign-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses to write there (exit 5 with a hint) and never follows a planted link", () => {
    const state = join(dir, "home", ".local", "state", "consh-book");
    mkdirSync(state, { recursive: true });
    execFileSync("chown", ["-R", "1000:1000", join(dir, "home")]);
    writeFileSync(join(dir, "victim"), "root's\n");
    symlinkSync(join(dir, "victim"), join(state, "progress.json"));
    const p = new Progress(join(state, "progress.json"));
    let err: unknown;
    try {
      p.record(book, report);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EnvironmentError);
    expect((err as EnvironmentError).exitCode).toBe(ExitCode.environment);
    expect((err as Error).message).toMatch(/owned by uid 1000/);
    expect((err as EnvironmentError).hint).toMatch(/XDG_STATE_HOME/);
    expect(readFileSync(join(dir, "victim"), "utf8")).toBe("root's\n");
  });

  it("writes into root's own dir, replacing (not following) a link there", () => {
    const state = join(dir, "mine");
    mkdirSync(state, { mode: 0o700 });
    writeFileSync(join(dir, "victim"), "root's\n");
    symlinkSync(join(dir, "victim"), join(state, "progress.json"));
    new Progress(join(state, "progress.json")).record(book, report);
    expect(readFileSync(join(dir, "victim"), "utf8")).toBe("root's\n");
    expect(JSON.parse(readFileSync(join(state, "progress.json"), "utf8")).books["/b"]["chapter-01"].status).toBe("passed");
  });
});
