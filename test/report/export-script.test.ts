// export: the script's shape (prose as comments with lists kept, host steps inline,
// other terminals' steps through consh_step, capability tests, heredocs that end
// only at their own delimiter), and small scripts run with sh in a private TMPDIR:
// terminals fed through FIFOs keep their state, a step with another status stops
// the run, and the trap removes the run's directory on every exit.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseChapter } from "../../src/book/parse-chapter.js";
import type { Chapter } from "../../src/book/model.js";
import type { PlannedChapter } from "../../src/book/plan.js";
import { UsageError } from "../../src/errors.js";
import { exportScript, heredocDelimiter } from "../../src/report/export-script.js";

function chapterOf(body: string, n = 1): Chapter {
  const r = parseChapter(`/b/chapters/chapter-0${n}-x.md`, `chapter-0${n}-x.md`, `---\ntitle: "X"\n---\n${body}`);
  if (Array.isArray(r)) throw new Error(r.map((p) => p.what).join("; "));
  return r.chapter;
}

/** A plan of one chapter, requested (or run first as a need). */
const plan = (chapter: Chapter, needed = false): PlannedChapter[] => [{ chapter, needed }];

const fence = (attrs: string, ...lines: string[]) => ["", `\`\`\`sh {${attrs}}`, ...lines, "```", ""].join("\n");

let dir: string;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs the exported script with sh in a private TMPDIR (its work root goes there). */
function runScript(script: string): { status: number | null; out: string; root: string } {
  dir = mkdtempSync(join(tmpdir(), "consh-export-"));
  const file = join(dir, "export.sh");
  writeFileSync(file, script);
  const r = spawnSync("sh", [file], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, TMPDIR: dir }, encoding: "utf8", timeout: 20_000 });
  return { status: r.status, out: r.stdout + r.stderr, root: join(dir, `consh-book-${process.getuid?.()}`) };
}

describe("heredocDelimiter", () => {
  it("is a delimiter no line equals", () => {
    expect(heredocDelimiter("EOF", ["a", "b"])).toBe("EOF");
    expect(heredocDelimiter("EOF", ["EOF", "EOF_"])).toBe("EOF__");
  });
});

describe("the script's shape", () => {
  it("keeps bullet lists as lists and numbered lists numbered, wraps paragraphs, and keeps the closing prose", () => {
    const chapter = chapterOf(
      [
        "",
        "A paragraph long enough to be wrapped, because it goes on and on about namespaces and cgroups and overlays for a while.",
        "",
        "- the first point",
        "- the second point",
        "",
        "1. one",
        "2. two",
        fence("step=s", "echo hi"),
        "The last words of the chapter.",
      ].join("\n"),
    );
    const s = exportScript(plan(chapter));
    expect(s).toMatch(/\n# A paragraph long enough to be wrapped, because it goes on and on about\n# namespaces/);
    expect(s).toContain("\n# - the first point\n# - the second point\n");
    expect(s).toContain("\n# 1. one\n# 2. two\n");
    expect(s).toMatch(/consh_end \$\? 0\n\n# The last words of the chapter\.\n/);
  });

  it("runs host steps inline and other terminals' steps through consh_step, starting each terminal before its first step", () => {
    const chapter = chapterOf(
      [fence("step=a", "cd /tmp"), fence("step=b terminal=container exit=2", "false"), fence("step=c terminal=container background", "sleep 1")].join(""),
    );
    const s = exportScript(plan(chapter));
    expect(s).toContain("# --- step a\nconsh_begin a\ncd /tmp\nconsh_end $? 0\n");
    expect(s).toContain(
      "consh_start container 3\n# --- step b (terminal container; expected to fail with status 2)\nconsh_step container b 2 <<'CONSH_STEP'\nfalse\nCONSH_STEP\n",
    );
    expect(s).toContain("consh_step container c - <<'CONSH_STEP'\n{\nsleep 1\n} < /dev/null > /dev/null 2>&1 &\nCONSH_STEP\n");
    expect(s.match(/consh_start /g)).toHaveLength(1);
    // The teardown is armed before the script makes anything.
    expect(s.indexOf("trap consh_teardown EXIT")).toBeLessThan(s.indexOf('mkdir -m 700 "$consh_top/$CONSH_RUN"'));
    for (const sig of ["HUP", "INT", "QUIT", "TERM"]) expect(s).toMatch(new RegExp(`trap 'exit \\d+' ${sig}\\n`));
  });

  it("tests a requires= step's capabilities at run time and says what the host lacks", () => {
    const chapter = chapterOf(fence("step=v2 requires=cgroup2-cpu", "echo v2"));
    const s = exportScript(plan(chapter));
    expect(s).toContain("if consh_has cgroup2-cpu; then\nconsh_begin v2\necho v2\nconsh_end $? 0\nelse consh_skip v2 cgroup2-cpu; fi\n");
    expect(s).toContain("cgroup2-cpu) consh_why='needs cgroup2-cpu: this host'\\''s cgroup2 hierarchy does not offer the cpu controller");
  });

  it("refuses a fourth terminal besides host, naming the step", () => {
    const chapter = chapterOf(["a", "b", "c", "d"].map((t) => fence(`step=s-${t} terminal=${t}`, "true")).join(""));
    expect(() => exportScript(plan(chapter))).toThrow(UsageError);
    expect(() => exportScript(plan(chapter))).toThrow(/chapter-01-x\.md:\d+: step s-d uses a 4th terminal besides host/);
  });

  it("escapes control characters in comments always, in steps only for a terminal", () => {
    const chapter = chapterOf("\nProse \u001b]0;x\u0007 here.\n\n```sh {step=s}\nprintf 'a\u001b[2Jb'\n```\n");
    const piped = exportScript(plan(chapter));
    expect(piped).toContain("# Prose \\x1b]0;x\\x07 here.");
    expect(piped).toContain("printf 'a\u001b[2Jb'"); // exact when it goes to a file
    const shown = exportScript(plan(chapter), { forTerminal: true });
    expect(shown).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(shown).toContain("printf 'a\\x1b[2Jb'");
    expect(shown).toMatch(/control characters in steps and files are shown as \\xHH/);
  });

  it("writes file= paths that start with '-', taking none of them for an option", () => {
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
    const script = exportScript(plan(chapter));
    // Every file= path is written under "$CONSH_WORK"/, so none can be taken for an option.
    expect(script).toContain(`cat > "$CONSH_WORK"/-x.sh <<`);
    expect(script).toContain(`mkdir -p "$CONSH_WORK"/--version`);
    const r = runScript(script);
    expect(r.out).toContain("dash-x\nversion-a\nplain\n");
    expect(r.status).toBe(0);
  });
});

describe("the script, run with sh", () => {
  it("keeps each terminal's state across steps and chapters, writes files under the work dir, and removes its run", () => {
    const one = chapterOf(
      [
        fence("file=bin/hello.sh", "#!/bin/sh", "echo hello from a tangled script"),
        fence("file=notes.txt", "CONSH_EOF", "touch escaped-1"),
        fence("step=away", "cd /"),
        fence("step=set terminal=other", "cd bin && x=kept", "printf 'no newline'"),
      ].join(""),
    );
    const two = chapterOf(
      [
        fence("step=get terminal=other", 'echo "x is $x in $(basename "$PWD")"', "./hello.sh"),
        fence("step=modes", 'stat -c "%a %n" "$CONSH_WORK/bin/hello.sh" "$CONSH_WORK/notes.txt"', 'cat "$CONSH_WORK/notes.txt"'),
        fence("step=ids", 'echo "$CONSH_NAME $CONSH_VETH_HOST $CONSH_VETH_CT" | grep -x "consh-$CONSH_RUN cb$CONSH_RUN"h" cb$CONSH_RUN"c'),
        fence("step=net", 'echo "$CONSH_IP_HOST $CONSH_IP_CT" | grep -Ex "10\\.20[0-7]\\.[0-9]+\\.1 10\\.20[0-7]\\.[0-9]+\\.2"'),
      ].join(""),
      2,
    );
    const r = runScript(exportScript([...plan(one, true), ...plan(two)]));
    expect(r.out).toContain("-- step set (terminal other)\nno newline\n");
    expect(r.out).toContain("x is kept in bin\nhello from a tangled script\n");
    expect(r.out).toMatch(/755 \S+\/work\/bin\/hello\.sh\n644 \S+\/work\/notes\.txt\nCONSH_EOF\ntouch escaped-1\n/);
    expect(r.out).toContain("consh: done: steps that ran as the book expects: 6; skipped on this host: 0");
    expect(r.status).toBe(0);
    expect(existsSync(join(dir, "escaped-1"))).toBe(false);
    expect(readdirSync(r.root)).toEqual([]); // the run's directory is gone
  });

  it("stops at a step that ends with another status than the book expects, and still tears down", () => {
    const chapter = chapterOf(
      [
        fence("step=ok exit=3", "(exit 3)"),
        fence("step=shell terminal=t", "sleep 60 &", "echo started"),
        fence("step=bad", "false"),
        fence("step=never", "echo never"),
      ].join(""),
    );
    const r = runScript(exportScript(plan(chapter)));
    expect(r.status).toBe(1);
    expect(r.out).toContain("consh: step bad ended with status 1, not 0: stopping here");
    expect(r.out).not.toContain("never");
    expect(readdirSync(r.root)).toEqual([]);
  });

  it("runs a requires= step where the host has the capability, and says what it lacks where not", () => {
    const chapter = chapterOf(
      [fence("step=as-user requires=unprivileged", "echo ran as user"), fence("step=as-root requires=root", "echo ran as root")].join(""),
    );
    const r = runScript(exportScript(plan(chapter)));
    const root = process.getuid?.() === 0;
    expect(r.out).toContain(root ? "ran as root" : "ran as user");
    expect(r.out).not.toContain(root ? "ran as user" : "ran as root");
    expect(r.out).toContain(
      root
        ? "-- step as-user skipped: needs unprivileged: the runner is root here, not an ordinary user\n"
        : "-- step as-root skipped: needs root: the runner is not root here",
    );
    expect(r.out).toContain("consh: done: steps that ran as the book expects: 1; skipped on this host: 1");
  });

  it("says that a terminal ended when its shell is gone", () => {
    const chapter = chapterOf([fence("step=bye terminal=t", "exit 0"), fence("step=after terminal=t", "echo after")].join(""));
    const r = runScript(exportScript(plan(chapter)));
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/consh: the t terminal (has ended|ended during step bye)/);
    expect(readdirSync(r.root)).toEqual([]);
  });

  it("is valid sh for dash and bash alike", () => {
    const chapter = chapterOf([fence("step=a", "true"), fence("step=b terminal=c", "true")].join(""));
    dir = mkdtempSync(join(tmpdir(), "consh-export-"));
    const file = join(dir, "x.sh");
    writeFileSync(file, exportScript(plan(chapter)));
    for (const shell of ["sh", "bash"]) expect(() => execFileSync(shell, ["-n", file])).not.toThrow();
    expect(readFileSync(file, "utf8").startsWith("#!/bin/sh\n")).toBe(true);
  });
});
