// Start-up time of the CLI against bare `node -e 0`, side by side: every round
// runs each command once, in a rotating order; medians and ratios. Also how
// long `run chapter-03` takes to reach its first step (step mode: until the
// prompt for the first step is printed), and what each host probe costs.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI, fmt, stats } from "./lib.mjs";

const COMMANDS = [
  ["node -e 0", ["-e", "0"]],
  ["--help", [CLI, "--help"]],
  ["list", [CLI, "list"]],
  ["show 7", [CLI, "show", "7"]],
  ["progress", [CLI, "progress"]],
  ["read 3", [CLI, "read", "3"]],
  ["export 7", [CLI, "export", "7"]],
];

function time(args, env) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { env, stdio: ["ignore", "ignore", "pipe"] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return ms;
}

/** Spawn → the first step's prompt on stdout (step mode, answers through a pipe), then quit. */
function toFirstStep(env) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [CLI, "run", "chapter-03", "--step"], { env, stdio: ["pipe", "pipe", "pipe"] });
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

export async function startup({ rounds = 20 } = {}) {
  const state = mkdtempSync(join(tmpdir(), "consh-bench-state-"));
  const env = { ...process.env, XDG_STATE_HOME: state, NO_COLOR: "1" };
  delete env.CI;
  try {
    for (const [, args] of COMMANDS) time(args, env); // warm the page cache
    const times = new Map(COMMANDS.map(([name]) => [name, []]));
    const first = [];
    for (let i = 0; i < rounds; i++) {
      const order = COMMANDS.map((_, k) => COMMANDS[(k + i) % COMMANDS.length]);
      for (const [name, args] of order) times.get(name).push(time(args, env));
      first.push(await toFirstStep({ ...env, CI: "true" }));
    }
    const p = probes();
    const probeTimes = [];
    try {
      for (const [name, argv] of p.list) {
        const ms = [];
        for (let i = 0; i < rounds; i++) {
          const t0 = performance.now();
          spawnSync(argv[0], argv.slice(1), { stdio: "ignore" });
          ms.push(performance.now() - t0);
        }
        probeTimes.push([name, stats(ms)]);
      }
    } finally {
      p.remove();
    }
    return { rounds, commands: [...times].map(([name, ms]) => [name, stats(ms)]), firstStep: stats(first), probes: probeTimes };
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
}

export function printStartup(r) {
  const bare = r.commands[0][1].median;
  console.log(`Start-up, wall time from spawn to exit (ms; ${r.rounds} rounds, commands interleaved)`);
  for (const [name, s] of r.commands) {
    const ratio = s.median / bare;
    const verdict = name === "node -e 0" ? "" : `  ${fmt(ratio)}x bare node ${ratio <= 1.5 ? "(<= 1.5: met)" : "(> 1.5: MISSED)"}`;
    console.log(`  ${name.padEnd(12)} median ${fmt(s.median, 1).padStart(6)}  min ${fmt(s.min, 1).padStart(6)}  max ${fmt(s.max, 1).padStart(6)}${verdict}`);
  }
  const f = r.firstStep;
  console.log(
    `  run chapter-03 to its first step: median ${fmt(f.median, 1)}  min ${fmt(f.min, 1)}  max ${fmt(f.max, 1)}  = ${fmt(f.median / bare)}x bare node`,
  );
  console.log("Host probes, each spawned alone (ms)");
  for (const [name, s] of r.probes) console.log(`  ${name.padEnd(56)} median ${fmt(s.median, 2).padStart(6)}  min ${fmt(s.min, 2).padStart(6)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) printStartup(await startup({ rounds: Number(process.env.ROUNDS ?? 20) }));
