// Start-up time of the CLI against bare `node -e 0`, side by side: every round
// runs each command once, in a rotating order; medians and ratios. Also how
// long `run chapter-03` takes to reach its first step (step mode: until the
// prompt for the first step is printed), and what each host probe costs.
// Usage: node bench/startup.mjs (ROUNDS=n; BEFORE=TREE adds an earlier build).
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cliOf, ROOT, fmt, stats } from "./lib.mjs";

const COMMANDS = [
  ["node -e 0", ["-e", "0"]],
  ["--help", ["--help"]],
  ["list", ["list"]],
  ["show 7", ["show", "7"]],
  ["progress", ["progress"]],
  ["read 3", ["read", "3"]],
  ["export 7", ["export", "7"]],
];

function time(args, env) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { env, stdio: ["ignore", "ignore", "pipe"] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return ms;
}

/** Spawn → the first step's prompt on stdout (step mode, answers through a pipe), then quit. */
function toFirstStep(cli, env) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [cli, "run", "chapter-03", "--step"], { env, stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let at;
    child.stdout.on("data", (d) => {
      out += d;
      if (at === undefined && out.includes("[Enter] run it")) {
        at = performance.now() - t0;
        child.stdin.end("q\n");
      }
    });
    child.on("error", reject);
    child.on("close", (code) => (at === undefined ? reject(new Error(`run chapter-03 --step exited ${code} before its first step: ${out}`)) : resolve(at)));
  });
}

/** Each probe `run` makes, spawned as the runner spawns it. */
function probes() {
  const dir = mkdtempSync(join(tmpdir(), "consh-bench-probe-"));
  const overlay = 'cd "$1" && rm -rf l u w m && mkdir l u w m && echo x > l/f && mount -t overlay overlay -o lowerdir=l,upperdir=u,workdir=w m && cat m/f';
  const list = [
    ["unshare --user --map-root-user true (user namespaces)", ["unshare", "--user", "--map-root-user", "true"]],
    ["unshare --version (util-linux version)", ["unshare", "--version"]],
    ["lsns --help (lsns -T)", ["lsns", "--help"]],
    ["ip -V (iproute2)", ["ip", "-V"]],
    ["sudo -n true (ordinary users only)", ["sudo", "-n", "true"]],
    ["overlay in a user namespace (only chapters that nest)", ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", overlay, "sh", dir]],
  ];
  return { list, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Two environments, side by side in every round: this machine's as it is (its
 * NODE_EXTRA_CA_CERTS makes every Node start load extra certificates, about 80 ms
 * here) and a plain Node's (without it, as on a learner's machine). `before`, a
 * tree with an earlier build, runs each command of that build in the same rounds.
 */
export async function startup({ rounds = 20, before } = {}) {
  const state = mkdtempSync(join(tmpdir(), "consh-bench-state-"));
  const machine = { ...process.env, XDG_STATE_HOME: state, XDG_CACHE_HOME: state, NO_COLOR: "1" };
  delete machine.CI;
  const plainNode = { ...machine };
  delete plainNode.NODE_EXTRA_CA_CERTS;
  delete plainNode.NODE_OPTIONS;
  const envs = [
    [`this machine (NODE_EXTRA_CA_CERTS ${process.env.NODE_EXTRA_CA_CERTS ? "set" : "unset"})`, machine],
    ["plain Node (no NODE_EXTRA_CA_CERTS)", plainNode],
  ];
  const builds = [["now", cliOf(ROOT)], ...(before ? [["before", cliOf(before)]] : [])];
  try {
    const jobs = [];
    for (const [envName, env] of envs) {
      for (const [name, args] of COMMANDS) {
        if (name === "node -e 0") jobs.push({ envName, build: "now", name, run: () => time(args, env) });
        else for (const [build, cli] of builds) jobs.push({ envName, build, name, run: () => time([cli, ...args], env) });
      }
      for (const [build, cli] of builds) jobs.push({ envName, build, name: "first step", run: () => toFirstStep(cli, { ...env, CI: "true" }) });
    }
    for (const j of jobs) await j.run(); // warm the page cache and the book caches
    const times = new Map(jobs.map((j) => [j, []]));
    for (let i = 0; i < rounds; i++) {
      for (let k = 0; k < jobs.length; k++) {
        const j = jobs[(k + i) % jobs.length];
        times.get(j).push(await j.run());
      }
    }
    const p = probes();
    const probeTimes = [];
    try {
      for (const [name, argv] of p.list) {
        const ms = [];
        for (let i = 0; i < rounds; i++) {
          const t0 = performance.now();
          spawnSync(argv[0], argv.slice(1), { stdio: "ignore", env: plainNode });
          ms.push(performance.now() - t0);
        }
        probeTimes.push([name, stats(ms)]);
      }
    } finally {
      p.remove();
    }
    const inProcess = probeHostInProcess(rounds, plainNode);
    const results = envs.map(([envName]) => ({
      env: envName,
      rows: jobs.filter((j) => j.envName === envName).map((j) => ({ name: j.name, build: j.build, ...stats(times.get(j)) })),
    }));
    return { rounds, before, results, probes: probeTimes, inProcess };
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
}

export function printStartup(r) {
  console.log(
    `Start-up, wall time from spawn to exit (ms; ${r.rounds} rounds, every command of both environments${r.before ? " and both builds" : ""} interleaved)`,
  );
  for (const { env, rows } of r.results) {
    const bare = rows.find((x) => x.name === "node -e 0").median;
    const firstStepBudget = 1.5 * bare + r.inProcess.first.median;
    console.log(`  ${env}`);
    for (const row of rows.filter((x) => x.build === "now")) {
      const ratio = row.median / bare;
      const target =
        row.name === "node -e 0"
          ? ""
          : row.name === "first step"
            ? `  target ${fmt(firstStepBudget, 1)} ms: ${row.median <= firstStepBudget ? "met" : "MISSED"}`
            : `  ${ratio <= 1.5 ? "<= 1.5: met" : "> 1.5: MISSED"}`;
      const was = rows.find((x) => x.build === "before" && x.name === row.name);
      const versus = was ? `  before ${fmt(was.median, 1).padStart(6)} (now/before ${fmt(row.median / was.median)})` : "";
      const label = row.name === "first step" ? "run 3 to 1st step" : row.name;
      console.log(
        `    ${label.padEnd(18)} median ${fmt(row.median, 1).padStart(6)}  min ${fmt(row.min, 1).padStart(6)}  ${fmt(ratio)}x node${target}${versus}`,
      );
    }
  }
  console.log(
    "Host probes (ms): each spawned alone, then those run chapter-03 makes, at once in-process (the first call is the first-step target's allowance)",
  );
  for (const [name, s] of r.probes) console.log(`  ${name.padEnd(56)} median ${fmt(s.median, 2).padStart(6)}  min ${fmt(s.min, 2).padStart(6)}`);
  const { first, warm, probes } = r.inProcess;
  console.log(`  run chapter-03 probes: ${probes.join(", ") || "none"} (and sudo -n for an ordinary user)`);
  console.log(
    `  probeHost() for them in a fresh Node, its first call (as run makes it)  median ${fmt(first.median, 2).padStart(6)}  min ${fmt(first.min, 2).padStart(6)}`,
  );
  console.log(
    `  probeHost() for them again in the same process                     median ${fmt(warm.median, 2).padStart(6)}  min ${fmt(warm.min, 2).padStart(6)}`,
  );
}

/**
 * What `probeHost()` costs inside a fresh Node (its first call, as a run makes
 * it) and once warm, with the probes `run chapter-03` makes (those its chapters
 * need: spawned at once, awaited, parsed).
 */
function probeHostInProcess(rounds, env) {
  const dist = (f) => JSON.stringify(join(ROOT, "dist/lib", f));
  const script = `const { probeHost } = await import(${dist("host/probe.js")});
    const { probesFor } = await import(${dist("host/checks.js")});
    const { loadBook } = await import(${dist("book/load-book.js")});
    const { findChapter, planRun } = await import(${dist("book/plan.js")});
    const book = loadBook(${JSON.stringify(ROOT)});
    const probes = probesFor(planRun(book, [findChapter(book, "chapter-03")]).map((p) => p.chapter));
    const t = []; for (let i = 0; i < 6; i++) { const t0 = performance.now(); await probeHost(probes, process.env); t.push(performance.now() - t0); }
    console.log(JSON.stringify({ t, probes: Object.keys(probes).filter((k) => probes[k]) }));`;
  const first = [];
  const warm = [];
  let probes = [];
  for (let i = 0; i < rounds; i++) {
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { env, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`probeHost: ${r.stderr}`);
    const { t, probes: made } = JSON.parse(r.stdout);
    probes = made;
    first.push(t[0]);
    warm.push(...t.slice(1));
  }
  return { first: stats(first), warm: stats(warm), probes };
}

if (import.meta.url === `file://${process.argv[1]}`) printStartup(await startup({ rounds: Number(process.env.ROUNDS ?? 20), before: process.env.BEFORE }));
