// Container start latency, from "start the container" to the first command's
// output inside it: (a) the book's own scripts (consh_setup.sh and
// consh_post_setup.sh), (b) `runc run` on an OCI bundle whose rootfs is the
// book's lower layer, (c) bare unshare of the same seven namespaces running
// `true` (time to exit: the floor). Interleaved a, b, c in every round.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, fmt, stats } from "./lib.mjs";

const { loadBook } = await import(join(ROOT, "dist/lib/book/load-book.js"));

/** Writes the book's tangled scripts (create_lowerfs.sh, consh_setup.sh, consh_post_setup.sh) into dir/consh. */
function tangleScripts(dir) {
  const book = loadBook(ROOT);
  for (const ch of book.chapters) {
    for (const b of ch.blocks) {
      if (b.kind !== "file" || !/consh\/(create_lowerfs|consh_setup|consh_post_setup)\.sh$/.test(b.path)) continue;
      const path = join(dir, b.path);
      mkdirSync(join(path, ".."), { recursive: true });
      writeFileSync(path, b.text);
      chmodSync(path, 0o755);
    }
  }
}

/** Spawns argv; resolves with ms until `marker` shows in stdout (or until exit if no marker). */
function timeUntil(argv, { marker, input, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(argv[0], argv.slice(1), { cwd, stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    let at;
    child.stdout.on("data", (d) => {
      out += d;
      if (marker && at === undefined && out.includes(marker)) {
        at = performance.now() - t0;
        child.stdin.end();
      }
    });
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = marker ? at : performance.now() - t0;
      if (ms === undefined || code !== 0) reject(new Error(`${argv.join(" ")} failed (${code}): ${out}${err}`));
      else resolve(ms);
    });
    if (input !== undefined) child.stdin.write(input);
    if (!marker) child.stdin.end();
  });
}

export async function containerStart({ rounds = 20, warmup = 2 } = {}) {
  if (process.getuid() !== 0) return { skipped: "needs root (runc and the cleanup between rounds)" };
  if (spawnSync("runc", ["--version"]).status !== 0) return { skipped: "runc is not installed (Debian: apt-get install runc)" };
  const dir = mkdtempSync(join(tmpdir(), "consh-bench-start-"));
  const cg2 = spawnSync("awk", ['$3 == "cgroup2" { print $2; exit }', "/proc/self/mounts"], { encoding: "utf8" }).stdout.trim();
  try {
    tangleScripts(dir);
    spawnSync(join(dir, "consh/create_lowerfs.sh"), [join(dir, "lower")], { stdio: "ignore" });
    // (b) the OCI bundle: runc's default spec, read-only rootfs = the lower layer, no terminal.
    const bundle = join(dir, "bundle");
    mkdirSync(bundle);
    spawnSync("runc", ["spec"], { cwd: bundle });
    const spec = JSON.parse((await import("node:fs")).readFileSync(join(bundle, "config.json"), "utf8"));
    spec.root = { path: join(dir, "lower"), readonly: true };
    spec.process.terminal = false;
    spec.process.args = ["/bin/sh", "-c", "echo ready"];
    writeFileSync(join(bundle, "config.json"), JSON.stringify(spec));
    const a = [];
    const b = [];
    const c = [];
    for (let i = 0; i < warmup + rounds; i++) {
      const name = `consh-bench-${process.pid}-${i}`;
      const ovl = join(dir, `ovl-${i}`);
      const ta = await timeUntil([join(dir, "consh/consh_setup.sh"), "-c", name, "-h", "bench", join(dir, "lower"), ovl], {
        marker: "ready",
        input: "echo ready\n",
      });
      spawnSync("umount", [join(ovl, "merged")]);
      spawnSync("rmdir", [join(cg2, name)]);
      rmSync(ovl, { recursive: true, force: true });
      const tb = await timeUntil(["runc", "run", "--bundle", bundle, name], { marker: "ready" });
      const tc = await timeUntil(["unshare", "--user", "--map-root-user", "--pid", "--fork", "--mount", "--uts", "--ipc", "--net", "--cgroup", "true"]);
      if (i >= warmup) {
        a.push(ta);
        b.push(tb);
        c.push(tc);
      }
    }
    return { rounds, book: stats(a), runc: stats(b), unshare: stats(c) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printContainerStart(r) {
  console.log("Container start, to the first output inside (ms)");
  if (r.skipped) {
    console.log(`  skipped: ${r.skipped}`);
    return;
  }
  const row = (name, s) =>
    console.log(`  ${name.padEnd(44)} median ${fmt(s.median, 1).padStart(6)}  min ${fmt(s.min, 1).padStart(6)}  max ${fmt(s.max, 1).padStart(6)}`);
  row("(a) the book's scripts (setup + post-setup)", r.book);
  row("(b) runc run on the lower layer", r.runc);
  row("(c) bare unshare of 7 namespaces, true", r.unshare);
  console.log(
    `  (a)/(b) = ${fmt(r.book.median / r.runc.median)}   (a)/(c) = ${fmt(r.book.median / r.unshare.median)}   target (a) < (b): ${r.book.median < r.runc.median ? "met" : "MISSED"}  (${r.rounds} interleaved rounds)`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) printContainerStart(await containerStart());
