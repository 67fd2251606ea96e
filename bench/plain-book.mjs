// The whole book as a plain sh script, for comparison with consh-book: what
// `consh-book export --all` prints, the script a learner gets: the same steps
// in the same order, host steps inline, every other terminal a shell fed
// through FIFOs with the same ack/end handshake in shell, no snapshots, and
// its own teardown (a trap) on every exit.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { CLI } from "./lib.mjs";

/** Writes `consh-book export --all` to <dir>/plain.sh; returns its path. */
export function writePlainBook(dir) {
  const r = spawnSync("node", [CLI, "export", "--all"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`consh-book export --all failed: ${r.stderr}`);
  const script = join(dir, "plain.sh");
  writeFileSync(script, r.stdout);
  return script;
}
