// The row for this machine itself: the whole book run directly as root (CI=true)
// under the heavy lock, with the host state read before and after in the same hold.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { release, tmpdir } from "node:os";
import { packBook } from "./job.mjs";
import { outcome } from "./outcome.mjs";
import { heavyLock, log, run } from "./util.mjs";

const script = `
state=$1; out=$2; book=$3
sh "$state" > "$out/state-before"
node --version > "$out/node"
start=$(date +%s)
CI=true timeout -k 15 "$4" node "$book/dist/bin/consh-book.js" run --all --book "$book" --keep-going --json "$out/report.json" > "$out/book.log" 2>&1
echo $? > "$out/exit"
echo $(( $(date +%s) - start )) > "$out/seconds"
sh "$state" > "$out/state-after"
touch "$out/done"
`;

export function runLocalRow(row) {
  const dir = mkdtempSync(join(tmpdir(), "consh-hosts-local-"));
  const out = join(dir, "out");
  mkdirSync(out);
  chmodSync(dir, 0o755);
  // The same packed book the guests run (not the worktree, which --record may be rewriting).
  const book = join(dir, "book");
  mkdirSync(book);
  run("tar", ["-C", book, "-xf", packBook()]);
  const timeoutSec = Number(process.env.CONSH_HOSTS_TIMEOUT ?? row.timeoutSec);
  log(`${row.name}: running the book here (waiting for the heavy lock)`);
  const t0 = Date.now();
  const r = spawnSync("flock", [heavyLock, "sh", "-c", script, "sh", new URL("./state.sh", import.meta.url).pathname, out, book, String(timeoutSec)], {
    encoding: "utf8",
  });
  const result = outcome({ ...row, timeoutSec }, release(), out, {
    seconds: Math.round((Date.now() - t0) / 1000),
    code: r.status,
    timedOut: false,
    console: r.stderr ?? "",
  });
  result.seconds = result.bookSeconds;
  if (result.exit === 124 || result.exit === 137) result.error = `the book did not finish within ${timeoutSec} s`;
  log(`${row.name}: ${result.ok ? "as expected" : "NOT as expected"} (exit ${result.exit})`);
  return { result, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
