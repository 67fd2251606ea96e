// export on this real host: the exported chapter 7 (with its needs) runs with sh
// as the book does, the container's steps inside the container, and leaves the
// host as it was; killed half-way (SIGTERM, Ctrl-C's SIGINT), its trap tears
// everything down; killed with SIGKILL, `consh-book clean` finds what it left.
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa, type ResultPromise } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CLI, ROOT, cli, env } from "./helpers.js";
import { hostState } from "./host-state.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "consh-export-cli-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The work root an exported script makes its run in (TMPDIR is the test's own directory). */
const workRoot = () => join(dir, `consh-book-${process.getuid?.()}`);

/** `consh-book export ARGS` written to a file. */
async function exported(args: string[]): Promise<string> {
  const r = await cli(["export", ...args]);
  expect(r.code).toBe(0);
  const file = join(dir, "export.sh");
  writeFileSync(file, `${r.stdout}\n`);
  return file;
}

/** Runs the script with sh, in a process group of its own (so a test can press Ctrl-C). */
const sh = (script: string): ResultPromise => execa("sh", [script], { reject: false, all: true, detached: true, env: { ...env(), TMPDIR: dir } });

/** Resolves once the script has printed `text`. */
function printed(p: ResultPromise, text: string): Promise<void> {
  let seen = "";
  return new Promise((resolve, reject) => {
    p.all?.on("data", (d: Buffer) => {
      seen += d.toString();
      if (seen.includes(text)) resolve();
    });
    p.then(() => reject(new Error(`the script ended before it printed ${text}:\n${seen}`)));
  });
}

/** The host state once it is `before` again, or after 5 s (a process killed last may wait a moment for init to reap it). */
async function settled(before: string): Promise<string> {
  let now = hostState();
  for (let i = 0; i < 50 && now !== before; i++) {
    await new Promise((r) => setTimeout(r, 100));
    now = hostState();
  }
  return now;
}

/** A copy of the book with chapters that need chapter 7 and then wait: in the container (13) and on the host (14). */
function napBook(): string {
  const book = join(dir, "book");
  for (const d of ["chapters", "snapshots"]) cpSync(join(ROOT, d), join(book, d), { recursive: true });
  const nap = (terminal: string, word: string) =>
    `---\ntitle: Nap\nneeds: [chapter-07]\n---\n\nA long step:\n\n\`\`\`sh {step=nap terminal=${terminal} timeout=60}\necho ${word}; sleep 30\n\`\`\`\n`;
  writeFileSync(join(book, "chapters", "chapter-13-nap.md"), nap("container", "napping-inside"));
  writeFileSync(join(book, "chapters", "chapter-14-nap.md"), nap("host", "napping-outside"));
  return book;
}

describe("export", () => {
  it("prints a chapter with its needs as one script: files as heredocs, other terminals' steps through consh_step", async () => {
    const r = await cli(["export", "7"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^#!\/bin\/sh\n# chapter-07: Demo: starting up the container\n# exported by consh-book, with the chapters it needs first: chapter-02, chapter-05, chapter-06/,
    );
    expect(r.stdout).toMatch(/cat > "\$CONSH_WORK"\/consh\/create_lowerfs\.sh <<'CONSH_EOF'\n#!\/bin\/sh\n/);
    expect(r.stdout).toMatch(/consh_start container 3\n# --- step start \(terminal container\)\nconsh_step container start 0 <<'CONSH_STEP'\n/);
    // chapter 5's bullet list stays a list
    expect(r.stdout).toMatch(/\n# - LOWER-DIR is a lower layer made by create_lowerfs\.sh;\n# - OVERLAY-DIR is where/);
    const syntax = await execa("sh", ["-n"], { input: r.stdout, reject: false });
    expect(syntax.exitCode).toBe(0);
  });

  it("runs chapter 7 end to end with sh: the container's steps inside the container, and the host as it was after", async () => {
    const before = hostState();
    const r = await sh(await exported(["7"]));
    expect(r.all).toContain("-- step pid-one (terminal container)\nI am PID 1 on tekapo\n");
    expect(r.all).toMatch(/-- step outside \(terminal host\)\n\d+ \d+ \S*unshare --user --map-root-user .*\n\d+ \d+ busybox sh\n/);
    expect(r.all).toContain("lower has no MANIFEST");
    expect(r.all).toMatch(/consh: done: steps that ran as the book expects: \d+; skipped on this host: 0/);
    expect(r.exitCode).toBe(0);
    expect(await settled(before)).toBe(before);
    expect(readdirSync(workRoot())).toEqual([]);
  });

  it("tears down when killed half-way: SIGTERM while the container runs a step, Ctrl-C (SIGINT to its process group) while a host step runs", async () => {
    const before = hostState();
    const book = napBook();
    const inside = sh(await exported(["13", "--book", book]));
    await printed(inside, "napping-inside");
    expect(hostState()).not.toBe(before); // the container is up
    inside.kill("SIGTERM");
    expect((await inside).exitCode).toBe(143);
    expect(await settled(before)).toBe(before);

    const outside = sh(await exported(["14", "--book", book]));
    await printed(outside, "napping-outside");
    process.kill(-outside.pid!, "SIGINT");
    const r = await outside;
    expect(r.exitCode).toBe(130);
    expect(r.all).not.toContain("consh: done");
    expect(await settled(before)).toBe(before);
    expect(readdirSync(workRoot())).toEqual([]);
  });

  it("killed with SIGKILL, leaves a run that consh-book clean removes", async () => {
    const before = hostState();
    const p = sh(await exported(["13", "--book", napBook()]));
    await printed(p, "napping-inside");
    p.kill("SIGKILL");
    await p;
    expect(readdirSync(workRoot())).toHaveLength(1);
    const c = await execa("node", [CLI, "clean", "--work-dir", workRoot()], { reject: false, all: true, env: env() });
    expect(c.exitCode).toBe(0);
    expect(c.all).toMatch(/removed/);
    expect(await settled(before)).toBe(before);
    expect(readdirSync(workRoot())).toEqual([]);
  });
});
