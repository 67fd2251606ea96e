// export: the heredoc of another terminal's step (or a file) ends only at its own delimiter,
// and control characters are escaped where the script is shown on a terminal.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseChapter } from "../../src/book/parse-chapter.js";
import type { Chapter } from "../../src/book/model.js";
import { exportScript, heredocDelimiter } from "../../src/report/export-script.js";

function chapterOf(body: string): Chapter {
  const r = parseChapter("/b/chapters/chapter-01-x.md", "chapter-01-x.md", `---\ntitle: "X"\n---\n${body}`);
  if (Array.isArray(r)) throw new Error(r.map((p) => p.what).join("; "));
  return r.chapter;
}

describe("heredocDelimiter", () => {
  it("is a delimiter no line equals", () => {
    expect(heredocDelimiter("EOF", ["a", "b"])).toBe("EOF");
    expect(heredocDelimiter("EOF", ["EOF", "EOF_"])).toBe("EOF__");
  });
});

describe("exportScript", () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps a container step that holds the old delimiter as data when run with sh", () => {
    dir = mkdtempSync(join(tmpdir(), "consh-export-"));
    const chapter = chapterOf(
      [
        "",
        "Inside the container:",
        "",
        "```sh {step=inside terminal=container}",
        "echo in the container",
        "IN_THE_CONTAINER_TERMINAL",
        "touch escaped-1",
        "IN_THE_CONTAINER_TERMINAL_",
        "touch escaped-2",
        "```",
        "",
        "A file that holds the file delimiter:",
        "",
        "```sh {file=notes.txt}",
        "CONSH_EOF",
        "touch escaped-3",
        "```",
        "",
        "```sh {step=host-side}",
        "touch host-ran",
        "```",
        "",
      ].join("\n"),
    );
    const script = exportScript([chapter], chapter);
    const file = join(dir, "export.sh");
    writeFileSync(file, script);
    const work = join(dir, "work");
    execFileSync("mkdir", [work]);
    execFileSync("sh", [file], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, CONSH_WORK: work }, stdio: "pipe" });
    // Only the host step ran; the lines after each embedded delimiter stayed data.
    expect(readdirSync(work).sort()).toEqual(["host-ran", "notes.txt"]);
    expect(existsSync(join(dir, "escaped-1"))).toBe(false);
    expect(execFileSync("cat", [join(work, "notes.txt")], { encoding: "utf8" })).toBe("CONSH_EOF\ntouch escaped-3\n");
  });

  it("escapes control characters in comments always, in steps only for a terminal", () => {
    dir = mkdtempSync(join(tmpdir(), "consh-export-"));
    const chapter = chapterOf("\nProse \u001b]0;x\u0007 here.\n\n```sh {step=s}\nprintf 'a\u001b[2Jb'\n```\n");
    const piped = exportScript([chapter], chapter);
    expect(piped).toContain("# Prose \\x1b]0;x\\x07 here.");
    expect(piped).toContain("printf 'a\u001b[2Jb'"); // exact when it goes to a file
    const shown = exportScript([chapter], chapter, { forTerminal: true });
    expect(shown).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(shown).toContain("printf 'a\\x1b[2Jb'");
    expect(shown).toMatch(/control characters in steps and files are shown as \\xHH/);
  });

  it("writes file= paths that start with '-' (and a work dir that does), taking none of them for an option", () => {
    dir = mkdtempSync(join(tmpdir(), "consh-export-"));
    const chapter = chapterOf(
      [
        "",
        "```sh {file=-x.sh}",
        "#!/bin/sh",
        "echo dash-x",
        "```",
        "",
        "```sh {file=--version/a.sh}",
        "#!/bin/sh",
        "echo version-a",
        "```",
        "",
        "```sh {file=-p/-m.txt}",
        "plain",
        "```",
        "",
        "```sh {step=run-them}",
        "./-x.sh; ./--version/a.sh; cat ./-p/-m.txt",
        "```",
        "",
      ].join("\n"),
    );
    const script = exportScript([chapter], chapter);
    expect(script).toContain(`mkdir -p -- "$(dirname -- --version/a.sh)"`);
    expect(script).toContain("chmod +x -- -x.sh");
    const file = join(dir, "export.sh");
    writeFileSync(file, script);
    execFileSync("mkdir", [join(dir, "-work")]);
    const out = execFileSync("sh", [file], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, CONSH_WORK: "-work" }, encoding: "utf8" });
    expect(out).toContain("dash-x\nversion-a\nplain\n");
    expect(readdirSync(join(dir, "-work")).sort()).toEqual(["--version", "-p", "-x.sh"]);
  });
});
