// Drives the built CLI (dist/) on copies of fixture books, as a user would.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa, type Options } from "execa";
import { afterEach } from "vitest";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const CLI = join(ROOT, "dist/bin/consh-book.js");

export interface Sandbox {
  dir: string;
  book: string;
  work: string;
  remove(): void;
}

/** A private copy of a fixture book and a work root of its own. */
export function sandbox(fixture: string): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), "consh-cli-"));
  const book = join(dir, "book");
  cpSync(join(ROOT, "test/fixtures", fixture), book, { recursive: true });
  return { dir, book, work: join(dir, "work"), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The environment of a local run (no CI), plus overrides. */
export function env(extra: Record<string, string> = {}): Record<string, string> {
  const e: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== "CI" && k !== "NO_COLOR" && k !== "FORCE_COLOR") e[k] = v;
  // Progress a run records goes to a scratch place, not the tester's home.
  return { ...e, XDG_STATE_HOME: join(tmpdir(), "consh-test-state"), XDG_CACHE_HOME: join(tmpdir(), "consh-test-cache"), ...extra };
}

export async function cli(args: string[], options: Options & { env?: Record<string, string> } = {}) {
  const r = await execa("node", [CLI, ...args], { reject: false, all: true, extendEnv: false, env: env(), ...options });
  return { code: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr), all: String(r.all) };
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

/** `consh-book run ARGS` on a sandboxed book, with a local (non-CI) environment plus `extraEnv`. */
export const runIn = (b: Sandbox, args: string[], extraEnv: Record<string, string> = {}) =>
  cli(["run", ...args, "--book", b.book, "--work-dir", b.work], { env: env(extraEnv) });
