// The whole book with consh-book (`run --all`, CI mode) against the same steps
// as a plain sh script (`consh-book export --all`, bench/plain-book.mjs), which
// tears down what it made itself, alternating which goes first in each round.
// Also the runner's peak RSS, from its JSON report.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI, fmt, runCli, stats } from "./lib.mjs";
import { writePlainBook } from "./plain-book.mjs";

/**
 * One plain round: the script (its work root in `root`, through TMPDIR), timed with its
 * own teardown; then `consh-book clean`, which must find nothing left (a killed script's
 * run it would remove, and say so).
 */
function plainRound(root) {
  const script = writePlainBook(root);
  const t0 = performance.now();
  let r;
  let c;
  try {
    r = spawnSync("sh", [script], { encoding: "utf8", timeout: 300_000, env: { ...process.env, TMPDIR: root, CONSH_BOOK_TMPDIR: "" } });
  } finally {
    c = spawnSync("node", [CLI, "clean", "--work-dir", join(root, `consh-book-${process.getuid()}`)], { encoding: "utf8" });
  }
  const ms = performance.now() - t0;
  if (c.status !== 0 || !/nothing to clean/.test(c.stdout)) throw new Error(`the plain book left something behind: ${c.stdout}${c.stderr}`);
  if (r.status !== 0 || !r.stdout.includes("consh: done:")) throw new Error(`the plain book failed: ${r.stdout.slice(-2000)}${r.stderr}`);
  return ms;
}

function bookRound() {
  const r = runCli(["run", "--all"], { CI: "true" });
  if (r.status !== 0 || !r.report) throw new Error(`consh-book run --all failed: ${r.stdout.slice(-3000)}${r.stderr}`);
  return { ms: r.wallMs, rssKb: r.report.runner.maxRssKb };
}

export async function bookVsPlain({ rounds = 20 } = {}) {
  const root = mkdtempSync(join(tmpdir(), "consh-bench-plain-"));
  const book = [];
  const plain = [];
  const rss = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const order = i % 2 === 0 ? ["book", "plain"] : ["plain", "book"];
      for (const which of order) {
        if (which === "book") {
          const r = bookRound();
          book.push(r.ms);
          rss.push(r.rssKb);
        } else {
          plain.push(plainRound(root));
        }
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return { rounds, book: stats(book), plain: stats(plain), rssKb: stats(rss) };
}

export function printBookVsPlain(r) {
  const row = (name, s, unit = "s", scale = 1000) =>
    console.log(
      `  ${name.padEnd(44)} median ${fmt(s.median / scale).padStart(7)} ${unit}  min ${fmt(s.min / scale).padStart(7)}  max ${fmt(s.max / scale).padStart(7)}`,
    );
  console.log(`Whole book, wall time (${r.rounds} rounds, alternating order)`);
  row("consh-book run --all (CI mode)", r.book);
  row("the same steps as plain sh (export --all)", r.plain);
  console.log(
    `  ratio consh-book / plain = ${fmt(r.book.median / r.plain.median, 3)}   target <= 1.15: ${r.book.median / r.plain.median <= 1.15 ? "met" : "MISSED"}`,
  );
  console.log("Runner memory during run --all");
  row("peak RSS of the runner", r.rssKb, "MiB", 1024);
}

if (import.meta.url === `file://${process.argv[1]}`) printBookVsPlain(await bookVsPlain({ rounds: Number(process.env.ROUNDS ?? 20) }));
