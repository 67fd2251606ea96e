// Helpers shared by the benchmarks: statistics, temp books, running the built CLI.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const CLI = join(ROOT, "dist/bin/consh-book.js");

/** The executable of a build tree (dist/bin/consh-book.cjs for builds with the earlier code-cache loader). */
export function cliOf(tree) {
  const found = [join(tree, "dist/bin/consh-book.cjs"), join(tree, "dist/bin/consh-book.js")].find((f) => existsSync(f));
  if (!found) throw new Error(`no build in ${tree}/dist/bin`);
  return found;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function stats(xs) {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length };
}

export function fmt(x, digits = 2) {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

/** A temporary book with the given chapters: { "chapter-01-x.md": text }. */
export function tempBook(chapters) {
  const dir = mkdtempSync(join(tmpdir(), "consh-bench-"));
  mkdirSync(join(dir, "chapters"));
  mkdirSync(join(dir, "snapshots"));
  for (const [name, text] of Object.entries(chapters)) writeFileSync(join(dir, "chapters", name), text);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs the CLI; returns wall time in ms, exit status and the parsed --json report. */
export function runCli(args, env = {}) {
  const json = join(mkdtempSync(join(tmpdir(), "consh-bench-json-")), "report.json");
  const t0 = performance.now();
  const r = spawnSync("node", [CLI, ...args, "--json", json], { encoding: "utf8", env: { ...process.env, ...env } });
  const wallMs = performance.now() - t0;
  let report;
  try {
    report = JSON.parse(readFileSync(json, "utf8"));
  } catch {
    report = undefined;
  }
  rmSync(join(json, ".."), { recursive: true, force: true });
  return { wallMs, status: r.status, stdout: r.stdout, stderr: r.stderr, report };
}

export function sh(cmd) {
  return execFileSync("sh", ["-c", cmd], { encoding: "utf8" });
}
