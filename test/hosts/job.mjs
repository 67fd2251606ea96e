// A guest's job directory (shared as 9p tag "job"): the book as it would be
// installed (package.json, dist, chapters, snapshots and the runtime node_modules),
// as book.tar; guest.sh, state.sh, the row's params, and out/ where the guest leaves its results.
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { buildPracticeDriver } from "./build-practice.mjs";
import { HostsError, run } from "./util.mjs";

export const projectRoot = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");

/** The packages `npm ci --omit=dev` would install, from package-lock.json. */
export function runtimePackages(lock) {
  return Object.entries(lock.packages ?? {})
    .filter(([path, p]) => path.startsWith("node_modules/") && !p.dev && !p.optional)
    .map(([path]) => path);
}

let bookTar;
const jobs = new Set();
let keep = false;

/** Keep the job directories (console log, results) after the run: --keep. */
export function keepJobs() {
  keep = true;
}

// Every exit path (pass, failure, error, Ctrl-C) removes what the run made in /tmp.
process.on("exit", () => {
  if (!keep) for (const d of jobs) rmSync(d, { recursive: true, force: true });
});

/**
 * The book as it would be installed, packed once per matrix run (so every row runs the
 * same book, even while --record rewrites snapshots/), as one file the guest reads over
 * 9p instead of thousands (much faster under TCG).
 */
export function packBook() {
  if (bookTar) return bookTar;
  if (!existsSync(join(projectRoot, "dist", "bin", "consh-book.js"))) throw new HostsError(`no build in ${projectRoot}/dist: run  npm run build`);
  const dir = mkdtempSync(join(process.env.CONSH_HOSTS_TMP ?? tmpdir(), "consh-hosts-book-"));
  const book = join(dir, "book");
  mkdirSync(book);
  for (const p of ["package.json", "dist", "chapters", "snapshots"]) cpSync(join(projectRoot, p), join(book, p), { recursive: true });
  const lock = JSON.parse(readFileSync(join(projectRoot, "package-lock.json"), "utf8"));
  for (const p of runtimePackages(lock)) {
    if (existsSync(join(projectRoot, p))) cpSync(join(projectRoot, p), join(book, p), { recursive: true });
  }
  run("tar", ["-C", book, "-cf", join(dir, "book.tar"), "."]);
  run("rm", ["-rf", book]);
  bookTar = join(dir, "book.tar");
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  return bookTar;
}

/** The job for `row`; `node`: a Node binary the guest installs as /usr/local/bin/node (a root without a supported Node). */
export function makeJob(row, mode, node) {
  const tar = packBook();
  const dir = mkdtempSync(join(process.env.CONSH_HOSTS_TMP ?? tmpdir(), `consh-hosts-${row.name}-`));
  jobs.add(dir);
  chmodSync(dir, 0o755);
  copyFileSync(tar, join(dir, "book.tar"));
  for (const f of ["guest.sh", "state.sh"]) {
    copyFileSync(new URL(`./${f}`, import.meta.url), join(dir, f));
    chmodSync(join(dir, f), 0o755);
  }
  if (node) copyFileSync(node, join(dir, "node"));
  // A row that practises a chapter gets the learner's driver, one script for the guest's Node.
  const practice = row.practice && mode === "check" ? row.practice : "";
  if (practice) buildPracticeDriver(join(dir, "practice.mjs"));
  const params = { ROW: row.name, RUNNER: row.runner, SUBTREE: row.subtree ?? "", USERNS_CLONE: row.usernsClone ?? "", MODE: mode, PRACTICE: practice };
  writeFileSync(
    join(dir, "params"),
    Object.entries(params)
      .map(([k, v]) => `${k}='${v}'\n`)
      .join(""),
  );
  mkdirSync(join(dir, "out"));
  chmodSync(join(dir, "out"), 0o777);
  return dir;
}
