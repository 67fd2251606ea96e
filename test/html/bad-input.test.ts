// The site builder on hostile or broken book files: a malformed host-report row is
// left out and said on the page; a snapshot, manifest or figure that is a folder,
// or a link to a FIFO, is a named error with its exit code, never a crash or a hang.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadBook } from "../../src/book/load-book.js";
import { ExitCode } from "../../src/errors.js";
import { buildSite, type SiteFile } from "../../src/html/site.js";
import { failure } from "../support/failure.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const CH = `---
title: One
---

# One

\`\`\`sh {step=one}
echo hi
\`\`\`
`;

function makeBook(): string {
  const dir = mkdtempSync(join(tmpdir(), "consh-html-bad-"));
  dirs.push(dir);
  mkdirSync(join(dir, "chapters", "figures"), { recursive: true });
  mkdirSync(join(dir, "snapshots"));
  mkdirSync(join(dir, "test", "hosts"), { recursive: true });
  writeFileSync(join(dir, "chapters", "chapter-01-one.md"), CH);
  return dir;
}

const page = (files: SiteFile[], path: string) => String(files.find((f) => f.path === path)?.content);

const ROW = {
  guest: "debian-12",
  kernel: "6.1",
  cgroup: "v2",
  init: "systemd",
  runner: "root",
  uid: 0,
  gid: 0,
  expectedExit: 0,
  exit: 0,
  passed: 9,
  failed: 0,
  skipped: 0,
  hostStateSame: true,
  ok: true,
  seconds: 3,
};

describe("buildSite on broken book files", () => {
  it("leaves out host-report rows that are null or have an object as guest, and says so on the index page", () => {
    const dir = makeBook();
    const report = { schemaVersion: 1, finishedAt: "2026-11-29T22:10:00.000Z", commit: "abc", rows: [null, { ...ROW, guest: { x: 1 } }, ROW] };
    writeFileSync(join(dir, "test/hosts/last-report.json"), JSON.stringify(report));
    const files = buildSite(loadBook(dir));
    const index = page(files, "index.html");
    expect(index).toContain("2 rows were left out of this table");
    expect(index.match(/<tr class="ok">/g)).toHaveLength(1);
    expect(page(files, "chapter-01.html")).toContain("verified by whole-book runs on 1 host configuration (of 1 in the host matrix)");
  });

  it("says on the page that a host report which is a folder cannot be read", () => {
    const dir = makeBook();
    mkdirSync(join(dir, "test/hosts/last-report.json"));
    expect(page(buildSite(loadBook(dir)), "index.html")).toMatch(/could not be read \(it is a directory, not a file\)/);
  });

  it("a snapshot that is a folder is a snapshot-file error (exit 4)", () => {
    const dir = makeBook();
    mkdirSync(join(dir, "snapshots/chapter-01.snap"));
    const e = failure(() => buildSite(loadBook(dir)));
    expect(e.exitCode).toBe(ExitCode.snapshotFile);
    expect(e.message).toMatch(/chapter-01\.snap: is a directory, not a file/);
  });

  it("a snapshot linked to a FIFO is an error (exit 4), not a hang", () => {
    const dir = makeBook();
    execFileSync("mkfifo", [join(dir, "fifo")]);
    symlinkSync(join(dir, "fifo"), join(dir, "snapshots/chapter-01.snap"));
    const e = failure(() => buildSite(loadBook(dir)));
    expect(e.exitCode).toBe(ExitCode.snapshotFile);
    expect(e.message).toMatch(/chapter-01\.snap: is not a regular file/);
  });

  it("a figures.json that is a folder is a chapter error (exit 2) naming the file", () => {
    const dir = makeBook();
    mkdirSync(join(dir, "chapters/figures/figures.json"));
    const e = failure(() => buildSite(loadBook(dir)));
    expect(e.exitCode).toBe(ExitCode.usage);
    expect(e.message).toMatch(/figures\.json:1: .*figures\.json is a directory, not a file\n {2}fix: /);
  });

  it("an .svg that is a folder is a chapter error (exit 2) naming the entry", () => {
    const dir = makeBook();
    mkdirSync(join(dir, "chapters/figures/pic.svg"));
    writeFileSync(
      join(dir, "chapters/figures/figures.json"),
      JSON.stringify([{ chapter: "chapter-01", file: "pic.svg", alt: "a", caption: "c", beforeStep: "one" }]),
    );
    const e = failure(() => buildSite(loadBook(dir)));
    expect(e.exitCode).toBe(ExitCode.usage);
    expect(e.message).toMatch(/figures\.json:1: entry 1: .*pic\.svg is not a regular file/);
  });
});
