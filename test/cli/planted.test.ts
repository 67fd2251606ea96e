// Another local user (uid 1000) plants root's work root or forges a stale run:
// root's `run` refuses and changes nothing, root's `clean` signals nothing that
// is not the run's and follows no symlink. Runs as root only, in a temp dir of its own.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTimeOf } from "../../src/host/discover.js";
import { isRunning } from "../../src/terminal/process-tree.js";
import { CLI, ROOT, cli, env } from "./helpers.js";

const root = process.getuid?.() === 0;
const OTHER = "cloudsdk"; // uid 1000 on the test machines

/** Runs a command as the other user. */
const asOther = (...argv: string[]) => execFileSync("runuser", ["-u", OTHER, "--", ...argv], { encoding: "utf8" });

/** Every path under `dir` with its type, owner and mode: what a refused run must leave as it was. */
function listing(dir: string): string {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      const st = lstatSync(p);
      out.push(`${p} ${st.isSymbolicLink() ? "link" : st.isDirectory() ? "dir" : "file"} ${st.uid} ${(st.mode & 0o7777).toString(8)}`);
      if (st.isDirectory() && !st.isSymbolicLink()) walk(p);
    }
  };
  walk(dir);
  return out.join("\n");
}

/** Mount points under `dir` (a refused run must not have made any). */
const mountsUnder = (dir: string) =>
  readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .filter((l) => l.split(" ")[4]?.startsWith(dir))
    .join("\n");

let base: string;
let tmp: string;
let book: string;
let runEnv: Record<string, string>;
beforeAll(() => {
  if (!root) return;
  base = mkdtempSync(join(tmpdir(), "consh-planted-"));
  chmodSync(base, 0o755);
  tmp = join(base, "tmp"); // stands for /tmp: anyone may make entries, the sticky bit keeps them apart
  mkdirSync(tmp);
  chmodSync(tmp, 0o1777);
  book = join(base, "book");
  cpSync(join(ROOT, "test/fixtures/basic"), book, { recursive: true });
  runEnv = env({ CONSH_BOOK_TMPDIR: tmp, CI: "true" });
});
afterAll(() => {
  if (root) rmSync(base, { recursive: true, force: true });
});
afterEach(() => {
  if (!root) return;
  for (const e of readdirSync(tmp)) rmSync(join(tmp, e), { recursive: true, force: true });
});

describe.skipIf(!root)("a work root planted by another user", () => {
  it("a symlink to a directory they own: root's run refuses with exit 5 and changes nothing", async () => {
    asOther("mkdir", join(tmp, "theirs"));
    asOther("ln", "-s", join(tmp, "theirs"), join(tmp, "consh-book-0"));
    const before = [listing(base), mountsUnder(base)];
    const r = await cli(["run", "1", "--book", book], { env: runEnv });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain(`consh-book: the work root ${join(tmp, "consh-book-0")} is not safe to use: it is a symbolic link`);
    expect(r.stderr).toMatch(/hint: .*remove it .*or pass --work-dir DIR/);
    expect(r.stdout).toBe("");
    expect([listing(base), mountsUnder(base)]).toEqual(before);
  });

  it("a mode 777 directory they own: refused as the default work root and as --work-dir", async () => {
    asOther("mkdir", "-m", "777", join(tmp, "consh-book-0"));
    asOther("mkdir", "-m", "777", join(tmp, "shared"));
    const before = [listing(base), mountsUnder(base)];
    const r = await cli(["run", "1", "--book", book], { env: runEnv });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain(`the work root ${join(tmp, "consh-book-0")} is not safe to use: it is owned by uid 1000, not by uid 0`);
    const flag = await cli(["run", "1", "--book", book, "--work-dir", join(tmp, "shared")], { env: runEnv });
    expect(flag.code).toBe(5);
    expect(flag.stderr).toContain(`the work root ${join(tmp, "shared")} is not safe to use: it is owned by uid 1000`);
    // A work dir below their directory is refused too: they could swap what is in it.
    const below = await cli(["run", "1", "--book", book, "--work-dir", join(tmp, "shared", "mine")], { env: runEnv });
    expect(below.code).toBe(5);
    expect(below.stderr).toContain(`${join(tmp, "shared")} is owned by uid 1000 (neither root nor uid 0)`);
    expect([listing(base), mountsUnder(base)]).toEqual(before);
  });

  it("root's own mode 0700 work root is made and used (the check passes what it should)", async () => {
    const r = await cli(["run", "1", "--book", book], { env: runEnv });
    expect(r.code).toBe(0);
    expect(lstatSync(join(tmp, "consh-book-0")).mode & 0o7777).toBe(0o700);
  });
});

describe.skipIf(!root)("a stale run forged by another user", () => {
  let victim: ChildProcess | undefined;
  /** A run this test started: always waited for, so its teardown is done before the next test. */
  let running: Promise<unknown> | undefined;
  afterEach(async () => {
    victim?.kill("SIGKILL");
    victim = undefined;
    await running;
    running = undefined;
  });

  /** Makes `tmp/consh-book-1000/<id>` as uid 1000 with a run.json whose runner is gone and the given ledger lines. */
  function forge(id: string, ledger: string[]): string {
    const work = join(tmp, "consh-book-1000");
    if (!existsSync(work)) asOther("mkdir", "-m", "700", work);
    const dir = join(work, id);
    asOther("mkdir", "-m", "700", dir, join(dir, "work"));
    const runJson = JSON.stringify({ id, pid: 999_999_999, start: "1", startedAt: "2026-01-01T00:00:00Z", uid: 1000 });
    asOther("sh", "-c", 'printf "%s\\n" "$1" > "$2/run.json"; shift 2; printf "%s\\n" "$@" > "$0/ledger.jsonl"', dir, runJson, dir, ...ledger);
    return dir;
  }

  it("whose ledger names a root process and PID 1: clean signals neither, and follows no symlink", async () => {
    victim = spawn("sleep", ["300"], { stdio: "ignore" });
    await new Promise((r) => setTimeout(r, 100));
    const pid = victim.pid!;
    const precious = join(base, "precious");
    mkdirSync(precious, { mode: 0o700 });
    writeFileSync(join(precious, "keep"), "root's file\n");
    const terminal = (p: number) => JSON.stringify({ kind: "terminal", name: "host", pid: p, start: startTimeOf(p) });
    const dir = forge("zqforg", [
      terminal(pid),
      terminal(1),
      JSON.stringify({ kind: "process", pid, comm: "sleep" }),
      JSON.stringify({ kind: "cgroup", path: "/sys/fs/cgroup" }),
      "null",
      "17",
      '{"kind":"terminal","name":"host","pid":', // cut off mid-write
    ]);
    // Inside the run dir, links to root's files: removing the dir must not follow them.
    asOther("ln", "-s", precious, join(dir, "work", "link-to-dir"));
    asOther("ln", "-s", join(precious, "keep"), join(dir, "work", "link-to-file"));
    // A second forged run whose ledger is a symlink to a file of root's: never read, never written.
    const other = forge("zqforh", []);
    asOther("rm", join(other, "ledger.jsonl"));
    asOther("ln", "-s", join(precious, "keep"), join(other, "ledger.jsonl"));

    const r = await cli(["clean"], { env: runEnv });
    expect(r.stdout).toMatch(/run zqforg \(started 2026-01-01T00:00:00Z\): removed its directory/);
    expect(r.stdout).toMatch(/run zqforh \(started 2026-01-01T00:00:00Z\): removed its directory/);
    expect(r.stderr).toContain(`problem: ignored its ledger: ${join(other, "ledger.jsonl")} is a symbolic link`);
    expect(r.code).toBe(1); // that problem is reported
    expect(isRunning(pid)).toBe(true);
    expect(isRunning(1)).toBe(true);
    expect(readFileSync(join(precious, "keep"), "utf8")).toBe("root's file\n");
    expect(readdirSync(precious)).toEqual(["keep"]);
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(other)).toBe(false);
    expect(readdirSync(join(tmp, "consh-book-1000"))).toEqual([]);
  });

  it("in a work root or run dir that is not safe: clean does not trust it and says so", async () => {
    victim = spawn("sleep", ["300"], { stdio: "ignore" });
    await new Promise((r) => setTimeout(r, 100));
    const pid = victim.pid!;
    const ledger = [JSON.stringify({ kind: "terminal", name: "host", pid, start: startTimeOf(pid) })];
    // A run dir open to everyone, in an otherwise good work root.
    const open = forge("zqfori", ledger);
    asOther("chmod", "755", open);
    // A work root for uid 1001 that is a symlink to a directory of uid 1000 with a forged run.
    asOther("mkdir", "-m", "700", join(tmp, "elsewhere"));
    asOther("ln", "-s", join(tmp, "elsewhere"), join(tmp, "consh-book-1001"));
    const before = listing(base);
    const r = await cli(["clean"], { env: runEnv });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("nothing to clean: no run was left behind");
    expect(r.stderr).toContain(`skipped ${open}: it is open to group or others (mode 0755, expected 0700); not trusted as a run dir of uid 1000`);
    expect(r.stderr).toContain(`skipped ${join(tmp, "consh-book-1001")}: it is a symbolic link; not trusted as uid 1001's work root`);
    expect(isRunning(pid)).toBe(true);
    expect(listing(base)).toBe(before);
  });

  /** A book whose one chapter puts its terminal into a cgroup named for the run, then waits. */
  function liveBook(): string {
    const live = join(base, "live-book");
    mkdirSync(join(live, "chapters"), { recursive: true });
    rmSync(join(live, "snapshots"), { recursive: true, force: true }); // fresh: each run records its sections (+)
    mkdirSync(join(live, "snapshots"));
    writeFileSync(
      join(live, "chapters", "chapter-01-live.md"),
      [
        "---",
        "title: A run in its own cgroup",
        "---",
        "",
        "```sh {step=enter}",
        'mkdir "$CONSH_CGROUP2/$CONSH_NAME" && echo $$ > "$CONSH_CGROUP2/$CONSH_NAME/cgroup.procs" && echo entered',
        "```",
        "",
        "```sh {step=wait}",
        "sleep 4; echo woke",
        "```",
        "",
        "```sh {step=still}",
        'test -d "$CONSH_CGROUP2/$CONSH_NAME" && echo still there',
        "```",
        "",
      ].join("\n"),
    );
    return live;
  }

  /** Starts root's run of the live book (not CI: it records its snapshot sections), waits until it is in its cgroup. */
  async function startLive(extra: string[] = []) {
    const live = liveBook();
    const child = spawn("node", [CLI, "run", "1", "--book", live, ...extra], { stdio: ["ignore", "pipe", "pipe"], env: env({ CONSH_BOOK_TMPDIR: tmp }) });
    const state = { out: "" };
    child.stdout.on("data", (d: Buffer) => (state.out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (state.out += d.toString()));
    const exited = new Promise<number | null>((done) => child.on("exit", (c) => done(c)));
    running = exited;
    for (let i = 0; i < 200 && !/[✓+] enter \(host\)/.test(state.out); i++) await new Promise((r) => setTimeout(r, 25));
    const id = /^run ([a-z0-9]{6})/m.exec(state.out)?.[1];
    expect(id, state.out).toBeDefined();
    return { id: id!, exited, state };
  }

  it("with the id of a live run in a work dir clean does not scan: clean removes nothing by name, and the live run passes", async () => {
    const workDir = join(base, "victim-work");
    mkdirSync(workDir, { mode: 0o700 });
    const { id, exited, state } = await startLive(["--work-dir", workDir]);
    const forged = forge(id, [JSON.stringify({ kind: "cgroup", path: `/sys/fs/cgroup/unified/consh-${id}` })]);
    const r = await cli(["clean"], { env: runEnv });
    expect(r.stdout).toMatch(new RegExp(`run ${id}: process \\d+ belongs to another live run with the same id, so nothing is removed by name`));
    expect(r.stdout).toMatch(new RegExp(`run ${id} \\(started .*\\): removed its directory`));
    expect(existsSync(forged)).toBe(false);
    expect(await exited, state.out).toBe(0);
    expect(state.out).toMatch(/\+ still \(host\)/);
    expect(state.out).toMatch(/torn down: terminals ended; removed 1 cgroup/);
    rmSync(workDir, { recursive: true, force: true });
  });

  it("whose run.json names PID 1 as its runner: not live (PID 1 is not uid 1000's), so it is cleaned", async () => {
    const dir = forge("zqforj", []);
    const runJson = JSON.stringify({ id: "zqforj", pid: 1, start: startTimeOf(1), startedAt: "2026-01-01T00:00:00Z", uid: 1000 });
    asOther("sh", "-c", 'printf "%s\\n" "$1" > "$2/run.json"', "sh", runJson, dir);
    const r = await cli(["clean"], { env: runEnv });
    expect(r.stdout).toMatch(/run zqforj \(started 2026-01-01T00:00:00Z\): removed its directory/);
    expect(existsSync(dir)).toBe(false);
    expect(isRunning(1)).toBe(true);
  });

  it("with the id of a live run: clean removes nothing by name, and the live run goes on and passes", async () => {
    const { id, exited, state } = await startLive();
    const forged = forge(id, [JSON.stringify({ kind: "cgroup", path: `/sys/fs/cgroup/unified/consh-${id}` })]);
    const r = await cli(["clean"], { env: runEnv });
    expect(r.stdout).toContain(
      `run ${id}: a live run has the same id, so nothing is removed by name (cgroups, netns names, links); only what lies under ${forged}`,
    );
    expect(r.stdout).toMatch(new RegExp(`run ${id} \\(started .*\\): removed its directory`));
    expect(existsSync(forged)).toBe(false);
    expect(await exited, state.out).toBe(0);
    expect(state.out).toMatch(/\+ still \(host\)/);
    expect(state.out).toMatch(/torn down: terminals ended; removed 1 cgroup/); // its cgroup was still there for it to remove
    expect(state.out).toMatch(/all passed/);
  });

  it("clean --work-dir on a file or on a directory another user can write: exit 5 with a hint", async () => {
    writeFileSync(join(base, "a-file"), "");
    const file = await cli(["clean", "--work-dir", join(base, "a-file")], { env: runEnv });
    expect(file.code).toBe(5);
    expect(file.stderr).toContain(`${join(base, "a-file")} is not safe to use: it is not a directory`);
    expect(file.stderr).toMatch(/hint: /);
    asOther("mkdir", "-m", "777", join(tmp, "shared"));
    const shared = await cli(["clean", "--work-dir", join(tmp, "shared")], { env: runEnv });
    expect(shared.code).toBe(5);
    expect(shared.stderr).toContain(`${join(tmp, "shared")} is not safe to use: it is owned by uid 1000`);
    rmSync(join(base, "a-file"));
  });
});
