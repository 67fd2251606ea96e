// How long a learner waits after each command they type before practice says
// whether the step is done: a step's check in the run's hidden checker shell
// (a real bash in a real work dir), for checks shaped like the book's, and the
// same checks as plain `sh -c` processes, side by side in each round.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, fmt, stats } from "./lib.mjs";

const { Checker } = await import(join(ROOT, "dist/lib/run/checker.js"));
const { Terminal } = await import(join(ROOT, "dist/lib/terminal/terminal.js"));

/** Checks like the book's: a mount, a link, a process's namespace, a file (they fail here, as before a step). */
const CHECKS = [
  ["a mount (findmnt --mountpoint)", 'findmnt -n -o FSTYPE,OPTIONS --mountpoint "$CONSH_WORK/merged" > /dev/null || { echo "nothing is mounted"; exit 1; }'],
  ["a veth (ip link show)", 'ip link show cbzzzzzzc > /dev/null 2>&1 || { echo "no such veth"; exit 1; }'],
  ["a process's PID namespace (/proc)", '[ "$(awk \'/^NSpid:/ { print $NF }\' /proc/$$/status)" = 1 ] || { echo "not PID 1"; exit 1; }'],
  ["a file's contents (grep)", 'grep -Eq "^[0-9]+ [0-9]+$" "$CONSH_WORK/cpu.before" 2>/dev/null || { echo "no counters"; exit 1; }'],
];

export async function checkLatency({ rounds = 20 } = {}) {
  const work = mkdtempSync(join(tmpdir(), "consh-bench-checks-"));
  const terminals = [];
  const checker = new Checker(() => {
    const t = Terminal.start({
      name: "(checks)",
      cwd: work,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", CONSH_WORK: work },
      shell: ["bash", "--noprofile", "--norc"],
    });
    terminals.push(t);
    return t;
  });
  const inChecker = [];
  const spawned = [];
  try {
    for (const [, text] of CHECKS) await checker.check({ kind: "check", step: "s", text: `${text}\n`, line: 1 }); // warm-up
    for (let i = 0; i < rounds; i++) {
      for (const [, text] of CHECKS) {
        const t0 = performance.now();
        await checker.check({ kind: "check", step: "s", text: `${text}\n`, line: 1 });
        inChecker.push(performance.now() - t0);
        const t1 = performance.now();
        spawnSync("sh", ["-c", text], { env: { PATH: process.env.PATH, CONSH_WORK: work } });
        spawned.push(performance.now() - t1);
      }
    }
  } finally {
    for (const t of terminals) await t.kill();
    rmSync(work, { recursive: true, force: true });
  }
  return { rounds, checks: CHECKS.length, checker: stats(inChecker), spawned: stats(spawned) };
}

export function printCheckLatency(r) {
  console.log(`A step's check after a typed command (${r.checks} checks like the book's, ${r.rounds} rounds, ms)`);
  console.log(`  in the run's checker shell   median ${fmt(r.checker.median, 2)}  min ${fmt(r.checker.min, 2)}  max ${fmt(r.checker.max, 2)}`);
  console.log(`  the same as sh -c (spawned)  median ${fmt(r.spawned.median, 2)}  min ${fmt(r.spawned.min, 2)}  max ${fmt(r.spawned.max, 2)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) printCheckLatency(await checkLatency({ rounds: Number(process.env.ROUNDS ?? 20) }));
