// Time to build the HTML site of the shipped book: `consh-book html` as a user
// runs it (wall time, Node start-up included), and the build alone in-process
// (load the book, render every page; writing excluded), median of ROUNDS runs.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI, ROOT, fmt, stats } from "./lib.mjs";

export async function siteBuild({ rounds = 20 } = {}) {
  const { loadBook } = await import(join(ROOT, "dist/lib/book/load-book.js"));
  const { buildSite } = await import(join(ROOT, "dist/lib/html/site.js"));
  const dir = mkdtempSync(join(tmpdir(), "consh-bench-site-"));
  try {
    const cliMs = [];
    const buildMs = [];
    const startMs = [];
    let bytes = 0;
    let pages = 0;
    for (let i = 0; i < rounds; i++) {
      const out = join(dir, `site-${i}`);
      const t0 = performance.now();
      const r = spawnSync("node", [CLI, "html", "--out", out], { encoding: "utf8" });
      cliMs.push(performance.now() - t0);
      if (r.status !== 0) throw new Error(`consh-book html failed: ${r.stdout}${r.stderr}`);
      const t2 = performance.now();
      spawnSync("node", [CLI, "--version"], { encoding: "utf8" });
      startMs.push(performance.now() - t2);
      const t1 = performance.now();
      const files = buildSite(loadBook(ROOT));
      buildMs.push(performance.now() - t1);
      bytes = files.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
      pages = files.filter((f) => f.path.endsWith(".html")).length;
      rmSync(out, { recursive: true, force: true });
    }
    return { rounds, pages, bytes, cli: stats(cliMs), start: stats(startMs), build: stats(buildMs) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printSiteBuild(r) {
  console.log(`HTML site of the book (${r.pages} pages, ${fmt(r.bytes / 1024, 0)} KiB, ${r.rounds} rounds)`);
  console.log(
    `  consh-book html, wall time                  median ${fmt(r.cli.median, 1).padStart(6)} ms  min ${fmt(r.cli.min, 1).padStart(6)}  max ${fmt(r.cli.max, 1).padStart(6)}`,
  );
  console.log(
    `  consh-book --version (start-up alone)       median ${fmt(r.start.median, 1).padStart(6)} ms  min ${fmt(r.start.min, 1).padStart(6)}  max ${fmt(r.start.max, 1).padStart(6)}`,
  );
  console.log(
    `  load + render in-process (no writing)       median ${fmt(r.build.median, 1).padStart(6)} ms  min ${fmt(r.build.min, 1).padStart(6)}  max ${fmt(r.build.max, 1).padStart(6)}`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) printSiteBuild(await siteBuild({ rounds: Number(process.env.ROUNDS ?? 20) }));
