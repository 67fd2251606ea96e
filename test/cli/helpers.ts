// Drives consh-book on copies of fixture books, as a user would: in-process
// through the CLI's Io seam (src/cli.ts main), or through the built executable
// (dist/bin/) where a test is about the process itself (signals, the package).
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa, type Options } from "execa";
import { afterAll, afterEach } from "vitest";
import { main } from "../../src/cli.js";
import type { Io } from "../../src/util/io.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const CLI = join(ROOT, "dist/bin/consh-book.js");

/** This test file's own state and cache directories (a sandbox has its own). */
const scratch = mkdtempSync(join(tmpdir(), "consh-cli-scratch-"));
// Removed when the test file that imported these helpers is done (CI once found 22 left in /tmp).
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

export interface Sandbox {
  dir: string;
  book: string;
  work: string;
  /** Its own progress and cache directories. */
  env: Record<string, string>;
  remove(): void;
}

/** A private copy of a fixture book, a work root, and state and cache directories of its own. */
export function sandbox(fixture: string): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), "consh-cli-"));
  const book = join(dir, "book");
  cpSync(join(ROOT, "test/fixtures", fixture), book, { recursive: true });
  const own = { XDG_STATE_HOME: join(dir, "state"), XDG_CACHE_HOME: join(dir, "cache") };
  return { dir, book, work: join(dir, "work"), env: own, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The environment of a local run (no CI), plus overrides. */
export function env(extra: Record<string, string> = {}): Record<string, string> {
  const e: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== "CI" && k !== "NO_COLOR" && k !== "FORCE_COLOR") e[k] = v;
  // Progress and caches go to this file's scratch place, not the tester's home.
  return { ...e, XDG_STATE_HOME: join(scratch, "state"), XDG_CACHE_HOME: join(scratch, "cache"), ...extra };
}

interface CliResult {
  code: number | undefined;
  stdout: string;
  stderr: string;
  /** stdout and stderr as they were written, interleaved. */
  all: string;
}

/** consh-book ARGS in this process, through the Io seam: what it printed and its exit code. */
async function inProcess(args: string[], environment: Record<string, string> = env()): Promise<CliResult> {
  const r = { code: undefined as number | undefined, stdout: "", stderr: "", all: "" };
  const io: Io = {
    out: (t) => {
      r.stdout += t;
      r.all += t;
    },
    err: (t) => {
      r.stderr += t;
      r.all += t;
    },
    stdoutIsTTY: false,
    stderrIsTTY: false,
    env: environment,
    cwd: process.cwd(),
    columns: () => undefined,
    rows: () => undefined,
  };
  r.code = await main(["node", "consh-book", ...args], io);
  return { ...r, stdout: r.stdout.replace(/\n$/, ""), stderr: r.stderr.replace(/\n$/, ""), all: r.all.replace(/\n$/, "") };
}

/** consh-book ARGS through the built executable (a process of its own). */
async function binary(args: string[], options: Options & { env?: Record<string, string> } = {}): Promise<CliResult> {
  const r = await execa("node", [CLI, ...args], { reject: false, all: true, extendEnv: false, env: env(), ...options });
  return { code: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr), all: String(r.all) };
}

/** consh-book ARGS: in-process, unless the test needs a process of its own (a timeout, stdin). */
export async function cli(args: string[], options: Options & { env?: Record<string, string> } = {}): Promise<CliResult> {
  const { env: environment, ...rest } = options;
  if (Object.keys(rest).length > 0) return binary(args, options);
  return inProcess(args, environment ?? env());
}

/** The `box(fixture)` of a test file: every sandbox it makes is removed after each test. */
export function sandboxes(): (fixture: string) => Sandbox {
  let made: Sandbox[] = [];
  afterEach(() => {
    for (const b of made) b.remove();
    made = [];
  });
  return (fixture) => {
    const b = sandbox(fixture);
    made.push(b);
    return b;
  };
}

/** `consh-book run ARGS` on a sandboxed book, with a local (non-CI) environment of the sandbox's own plus `extraEnv`. */
export const runIn = (b: Sandbox, args: string[], extraEnv: Record<string, string> = {}) =>
  cli(["run", ...args, "--book", b.book, "--work-dir", b.work], { env: env({ ...b.env, ...extraEnv }) });
