// Progress: a progress.json that is not a file, a link, another user's, huge or damaged
// is an environment error (exit 5), never 70 and never read or forgotten in silence; a
// save that runs out of room leaves the old file whole (the write(2) is injected).
import { execFileSync } from "node:child_process";
import { chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Book } from "../../src/book/model.js";
import { EnvironmentError, ExitCode } from "../../src/errors.js";
import { Progress } from "../../src/progress/progress.js";
import type { RunReport } from "../../src/report/results.js";
import { chapterOf } from "../support/factories.js";
import { failure } from "../support/failure.js";

const book: Book = {
  dir: "/b",
  chapters: [chapterOf({ slug: "a", title: "A", file: "/b/chapters/chapter-01-a.md" })],
};
const report = { chapters: [{ id: "chapter-01", status: "passed", steps: [] }] } as unknown as RunReport;

/** The EnvironmentError `f` throws; its hint says what to do (by default: move the file aside). */
const environmentError = (f: () => unknown, hint = /remove or rename .*\.json/): EnvironmentError => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(EnvironmentError);
    expect((err as EnvironmentError).exitCode).toBe(ExitCode.environment);
    expect((err as EnvironmentError).hint).toMatch(hint);
    return err as EnvironmentError;
  }
  throw new Error("expected an EnvironmentError");
};

describe("Progress", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "consh-progress-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

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

  it("has no progress yet where the state directory is a file, and says so when it saves", () => {
    writeFileSync(join(dir, "state"), ""); // where the directory should be
    const p = new Progress(join(dir, "state", "progress.json"));
    expect(p.of(book)).toEqual({});
    const err = environmentError(() => p.record(book, report), /which cannot be made: set XDG_STATE_HOME/);
    expect(err.message).toMatch(/cannot write the progress file .*state\/progress\.json: EEXIST/);
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

/** A progress file whose content the old code would have shown: chapter-01 of book /b passed on a secret day. */
const SECRET = JSON.stringify({ version: 1, books: { "/b": { "chapter-01": { status: "passed", at: "root-only-secret" } } } });

describe("Progress reads only a file it may trust", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "consh-progress-trust-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses a symbolic link (exit 5) instead of reading where it points", () => {
    writeFileSync(join(dir, "victim"), SECRET, { mode: 0o600 });
    symlinkSync(join(dir, "victim"), join(dir, "progress.json"));
    const e = environmentError(() => new Progress(join(dir, "progress.json")));
    expect(e.message).toMatch(/progress\.json is a symbolic link/);
    expect(e.message).not.toMatch(/secret/);
  });

  it("refuses a huge file without reading it (exit 5)", () => {
    const file = join(dir, "progress.json");
    writeFileSync(file, "");
    truncateSync(file, 600 << 20); // sparse: 600 MB that take no room
    expect(environmentError(() => new Progress(file)).message).toMatch(/progress\.json is too large \(629145600 bytes\)/);
  });

  it("says a damaged (cut short) file is damaged (exit 5), and leaves it for the learner", () => {
    const file = join(dir, "progress.json");
    const whole = `${JSON.stringify({ version: 1, books: { "/b": { "chapter-01": { status: "passed", at: "2025" } } } }, null, 2)}\n`;
    writeFileSync(file, whole.slice(0, 40));
    const e = environmentError(() => new Progress(file));
    expect(e.message).toMatch(/progress\.json is damaged \(40 bytes that are not valid JSON/);
    expect(e.hint).toMatch(/mv .*progress\.json .*progress\.json\.damaged/);
    expect(readFileSync(file, "utf8")).toBe(whole.slice(0, 40));
  });

  it("keeps the old file whole when a save runs out of room", () => {
    const file = join(dir, "progress.json");
    const before = `${JSON.stringify({ version: 1, books: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`/books/${i}`, {}])) }, null, 2)}\n`;
    writeFileSync(file, before);
    let room = 12 << 10;
    const p = new Progress(file, {
      write: (fd, buf, offset, length) => {
        const n = Math.min(length, room);
        if (n === 0) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
        room -= n;
        return writeSync(fd, buf, offset, n);
      },
    });
    const e = failure(() => p.record(book, report));
    expect(e.exitCode).toBe(ExitCode.environment);
    expect(e.message).toMatch(/cannot write the progress file .*ENOSPC/);
    expect(readFileSync(file, "utf8")).toBe(before);
    expect(readdirSync(dir)).toEqual(["progress.json"]);
  });
});

describe.skipIf(process.getuid?.() !== 0)("Progress as root with another user's state dir", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "consh-progress-foreign-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const theirState = () => {
    const state = join(dir, "home", ".local", "state", "consh-book");
    mkdirSync(state, { recursive: true });
    execFileSync("chown", ["-R", "1000:1000", join(dir, "home")]);
    return state;
  };

  it("reads nothing there (exit 5 with a hint), not even through a planted link to root's 0600 file", () => {
    const state = theirState();
    writeFileSync(join(dir, "victim"), SECRET, { mode: 0o600 });
    symlinkSync(join(dir, "victim"), join(state, "progress.json"));
    const e = failure(() => new Progress(join(state, "progress.json")));
    expect(e.exitCode).toBe(ExitCode.environment);
    expect(e.message).toMatch(/will not read the progress file .*home is owned by uid 1000/);
    expect(e.message).not.toMatch(/secret/);
    expect(e.hint).toMatch(/XDG_STATE_HOME/);
    expect(readFileSync(join(dir, "victim"), "utf8")).toBe(SECRET);
  });

  it("refuses another user's progress.json in root's own dir (exit 5)", () => {
    const state = join(dir, "mine");
    mkdirSync(state, { mode: 0o700 });
    writeFileSync(join(state, "progress.json"), SECRET);
    chownSync(join(state, "progress.json"), 1000, 1000);
    expect(failure(() => new Progress(join(state, "progress.json"))).message).toMatch(/progress\.json is owned by uid 1000, not by uid 0/);
  });

  it("with no progress.json there yet: reads nothing, and refuses to write there (exit 5)", () => {
    const state = theirState();
    const p = new Progress(join(state, "progress.json"));
    expect(p.of(book)).toEqual({});
    const e = failure(() => p.record(book, report));
    expect(e.exitCode).toBe(ExitCode.environment);
    expect(e.message).toMatch(/will not write the progress file .*owned by uid 1000/);
    expect(e.hint).toMatch(/XDG_STATE_HOME/);
    expect(readdirSync(state)).toEqual([]);
  });
});
