// Bad input through the built CLI: chapter checks before anything runs, I/O errors with
// their own exit codes (never 70), and control characters shown escaped, not executed.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, env, sandboxes } from "./helpers.js";

const box = sandboxes();
/** Any control character other than tab and newline (output here is not a TTY: no colours). */
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const noStackTrace = (text: string) => expect(text).not.toMatch(/internal error|\n\s+at .*\(.*:\d+:\d+\)/);

describe("chapter checks fail list and show, not a run", () => {
  it("reports file= paths that name no file and a swallowed step at their lines (exit 2)", async () => {
    const b = box("bad-paths");
    for (const args of [["list"], ["show", "1"]]) {
      const r = await cli([...args, "--book", b.book]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      for (const line of [7, 11, 15, 19, 28]) expect(r.stderr).toContain(`chapter-01-bad-paths.md:${line}: `);
      expect(r.stderr).toMatch(/'```sh \{step=second\}' looks like the start of a step/);
      noStackTrace(r.stderr);
    }
  });

  it("rejects chapter files that are not regular files, without hanging on a FIFO", async () => {
    const b = box("basic");
    const chapters = join(b.book, "chapters");
    execFileSync("mkfifo", [join(chapters, "chapter-03-fifo.md")]);
    mkdirSync(join(chapters, "chapter-04-dir.md"));
    symlinkSync(join(chapters, "gone.md"), join(chapters, "chapter-05-dangling.md"));
    symlinkSync(join(chapters, "chapter-06-loop.md"), join(chapters, "chapter-06-loop.md"));
    const r = await cli(["list", "--book", b.book], { timeout: 20_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/chapter-03-fifo\.md:1: this chapter is a named pipe \(FIFO\), not a regular file/);
    expect(r.stderr).toMatch(/chapter-04-dir\.md:1: this chapter is a directory/);
    expect(r.stderr).toMatch(/chapter-05-dangling\.md:1: this chapter is a symbolic link to nothing/);
    expect(r.stderr).toMatch(/chapter-06-loop\.md:1: this chapter is a loop of symbolic links/);
    noStackTrace(r.stderr);
  });
});

describe("read with a snapshot that is not a file", () => {
  it("is a snapshot error (exit 4), and a FIFO does not hang it", async () => {
    const b = box("basic");
    rmSync(join(b.book, "snapshots", "chapter-01.snap"));
    execFileSync("mkfifo", [join(b.book, "snapshots", "chapter-01.snap")]);
    const r = await cli(["read", "1", "--book", b.book], { timeout: 20_000 });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/chapter-01\.snap: not a regular file/);
    noStackTrace(r.stderr);
  });
});

describe("report and progress paths", () => {
  it("refuses --json into a missing directory and --junit onto a directory before the run (exit 2)", async () => {
    const b = box("basic");
    const missing = await cli(["run", "1", "--book", b.book, "--work-dir", b.work, "--json", join(b.dir, "nope", "r.json")]);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe(""); // nothing ran
    expect(missing.stderr).toMatch(/--json .*nope\/r\.json: the directory .*nope does not exist\n {2}hint: create it first/);
    const onDir = await cli(["run", "1", "--book", b.book, "--work-dir", b.work, "--junit", b.dir]);
    expect(onDir.code).toBe(2);
    expect(onDir.stderr).toMatch(/--junit .*: that is a directory, not a file/);
    noStackTrace(missing.stderr + onDir.stderr);
  });

  it("prints the verdict, then the error, when the report cannot be written after the run (exit 5)", async () => {
    const b = box("controls");
    mkdirSync(join(b.dir, "consh-fixture-reports"));
    const r = await cli(["run", "2", "--book", b.book, "--work-dir", b.work, "--json", join(b.dir, "consh-fixture-reports", "r.json")], {
      env: env({ HOME: b.dir, CI: "true" }),
    });
    expect(r.stdout).toMatch(/all passed/);
    expect(r.stderr).toMatch(/could not write the --json report to .*consh-fixture-reports\/r\.json: ENOENT/);
    expect(r.stderr).toMatch(/hint: the run's verdict is above/);
    expect(r.code).toBe(5);
    noStackTrace(r.stderr);
  });

  it("a progress directory that cannot be made (HOME=/ for a learner) is said after the verdict, which decides the exit code", async () => {
    const b = box("basic");
    // Nothing there yet, and nothing can be made there (a file is in the way), even by root.
    const blocked = join(b.dir, "a-file");
    writeFileSync(blocked, "");
    const r = await cli(["run", "1", "--book", b.book, "--work-dir", b.work], { env: env({ XDG_STATE_HOME: join(blocked, "state") }) });
    expect(r.stdout).toMatch(/all passed/);
    expect(r.stderr).toMatch(/note: your progress was not saved: cannot write the progress file .*a-file\/state\/consh-book\/progress\.json/);
    expect(r.stderr).toMatch(/hint: consh-book keeps its progress in .*a-file\/state\/consh-book, which cannot be made: set XDG_STATE_HOME/);
    expect(r.stderr).not.toMatch(/remove or rename/); // no file there to remove
    expect(r.code).toBe(0);
    noStackTrace(r.stderr);
  });

  it("says so when progress.json is a directory (exit 5), for run and progress", async () => {
    const b = box("basic");
    const state = join(b.dir, "state");
    mkdirSync(join(state, "consh-book", "progress.json"), { recursive: true });
    const e = env({ XDG_STATE_HOME: state });
    const run = await cli(["run", "1", "--book", b.book, "--work-dir", b.work], { env: e });
    expect(run.code).toBe(5);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/progress file .*progress\.json is a directory, not a regular file\n {2}hint: remove or rename/);
    const progress = await cli(["progress", "--book", b.book], { env: e });
    expect(progress.code).toBe(5);
    noStackTrace(run.stderr + progress.stderr);
  });
});

describe("tangle never follows a link an earlier step made", () => {
  it("stops the run at the file= block with its location (exit 5), writes nothing outside, tears down", async () => {
    const b = box("controls");
    const outside = join(b.dir, "consh-fixture-outside");
    mkdirSync(outside);
    const r = await cli(["run", "3", "--book", b.book, "--work-dir", b.work], { env: env({ HOME: b.dir, CI: "true" }) });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/chapter-03-link-in-the-way\.md:14: cannot write file=bin\/setup\.sh: ELOOP: 'bin' is a symbolic link/);
    expect(r.stdout).toMatch(/torn down/);
    expect(readdirSync(outside)).toEqual([]);
    noStackTrace(r.stderr);
  });
});

describe("control characters from a book and its steps are shown escaped", () => {
  it("in list, show, read and export", async () => {
    const b = box("controls");
    for (const args of [["list"], ["show", "1"], ["read", "1"], ["export", "1"]]) {
      const r = await cli([...args, "--book", b.book]);
      expect(r.code, args.join(" ")).toBe(0);
      expect(r.all, args.join(" ")).not.toMatch(RAW);
    }
    const read = await cli(["read", "1", "--book", b.book]);
    expect(read.stdout).toContain("\\x1b]0;owned-by-prose\\x07");
    expect(read.stdout).toContain("before \\x1b]0;owned\\x07\\x1b[2J after");
  });

  it("in a run's verbose output, diffs and output tails", async () => {
    const b = box("controls");
    const r = await cli(["run", "1", "--keep-going", "-v", "--book", b.book, "--work-dir", b.work], { env: env({ CI: "true" }) });
    expect(r.code).toBe(1);
    expect(r.all).not.toMatch(RAW);
    expect(r.stdout).toContain("before \\x1b]0;owned\\x07\\x1b[2J after");
    expect(r.stdout).toMatch(/-then \\x1b\]0;owned-snap\\x07 blue/);
    expect(r.stdout).toMatch(/\+now \\x1b\]0;owned-diff\\x07 red/);
    expect(r.stdout).toMatch(/tail \\x1b\]0;owned-tail\\x07/);
    expect(readdirSync(b.dir)).not.toContain("owned");
  });
});
