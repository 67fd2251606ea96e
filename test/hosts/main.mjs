// npm run test:hosts [-- --only ROW[,ROW]] [-- --record ROW] [-- --list]
// Boots throwaway qemu guests (and runs this machine as one more row), runs the
// whole book in each, prints the matrix, writes test/hosts/last-report.json after a
// full run, and exits non-zero when any row is not as expected.
import { copyFileSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { chooseAccel } from "./accel.mjs";
import { debianRoot } from "./debian-root.mjs";
import { runGuestRow } from "./guest-row.mjs";
import { initramfs } from "./initramfs.mjs";
import { keepJobs, packBook, projectRoot } from "./job.mjs";
import { kernel } from "./kernels.mjs";
import { runLocalRow } from "./local-row.mjs";
import { killGuests, qemuBinary } from "./qemu.mjs";
import { details, table, writeReport } from "./report.mjs";
import { findRow, rows } from "./rows.mjs";
import { cacheDir } from "./cache.mjs";
import { HostsError, log, requireTools } from "./util.mjs";

function parseArgs(argv) {
  const o = { only: undefined, record: undefined, list: false, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--only") o.only = (argv[++i] ?? "").split(",").filter(Boolean);
    else if (a === "--record") o.record = argv[++i];
    else if (a === "--list") o.list = true;
    else if (a === "--keep") o.keep = true;
    else throw new HostsError(`unknown argument ${a}: use --only ROW[,ROW], --record ROW, --keep (keep guests' job directories) or --list`);
  }
  for (const n of [...(o.only ?? []), ...(o.record ? [o.record] : [])]) {
    if (!findRow(n)) throw new HostsError(`unknown row ${n}: one of ${rows.map((r) => r.name).join(", ")}`);
  }
  if (o.record && findRow(o.record).init === "host") throw new HostsError(`--record needs a guest row, not ${o.record}`);
  return o;
}

async function prepare(selected) {
  const guests = selected.filter((r) => r.init !== "host");
  const env = { kernels: {}, initramfs: {}, debianRoot: undefined, accel: "tcg", builds: {} };
  if (!guests.length) return env;
  qemuBinary();
  for (const suite of new Set(guests.map((r) => r.kernel))) {
    const t0 = Date.now();
    const k = await kernel(suite);
    const i = await initramfs(k, suite);
    env.kernels[suite] = k;
    env.initramfs[suite] = i.file;
    env.builds[`kernel+initramfs ${suite}`] = k.seconds + i.seconds;
    void t0;
  }
  if (guests.some((r) => r.init === "systemd")) {
    const d = await debianRoot();
    env.debianRoot = d.dir;
    env.builds["debian root"] = d.seconds;
  }
  const first = guests[0].kernel;
  env.accel = await chooseAccel(env.kernels[first], env.initramfs[first]);
  return env;
}

async function record(row, env) {
  const { result, job, cleanup } = await runGuestRow(row, env, "record");
  const src = join(job, "out", "snapshots");
  const changed = [];
  if (existsSync(join(job, "out", "done")) && existsSync(src)) {
    for (const f of readdirSync(src).filter((f) => f.endsWith(".snap"))) {
      const dst = join(projectRoot, "snapshots", f);
      if (!existsSync(dst) || readFileSync(dst, "utf8") !== readFileSync(join(src, f), "utf8")) {
        copyFileSync(join(src, f), dst);
        changed.push(f);
      }
    }
  }
  console.log(table([result]));
  const d = details([result]);
  if (d) console.log(d);
  console.log(
    changed.length ? `recorded on ${row.name}: ${changed.join(", ")} (in ${join(projectRoot, "snapshots")})` : `recorded on ${row.name}: no snapshot changed`,
  );
  cleanup();
  return result.error || (result.exit !== 0 && result.exit !== 1) ? 1 : 0;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.list) {
    for (const r of rows) console.log(`${r.name.padEnd(22)} ${r.guest}; runner ${r.runner}; expect exit ${r.expectedExit}`);
    return 0;
  }
  if (process.getuid?.() !== 0)
    throw new HostsError("the host matrix needs root (qemu shares this machine's root read-only, debootstrap builds a root): run  sudo npm run test:hosts");
  const selected = o.record ? [findRow(o.record)] : o.only ? rows.filter((r) => o.only.includes(r.name)) : rows;
  if (o.keep) keepJobs();
  log(`cache: ${cacheDir} (CONSH_HOSTS_CACHE)`);
  if (selected.some((r) => r.init !== "host")) {
    qemuBinary();
    requireTools([
      ["xz", "xz-utils"],
      ["gzip", "gzip"],
      ["depmod", "kmod"],
    ]);
  }
  requireTools([
    ["tar", "tar"],
    ["flock", "util-linux"],
  ]);
  packBook();
  const env = await prepare(selected);
  for (const [what, s] of Object.entries(env.builds)) log(`${what}: ${s ? `built in ${s} s` : "from the cache"}`);
  if (o.record) return record(selected[0], env);
  const results = [];
  for (const row of selected) {
    const r = row.init === "host" ? runLocalRow(row) : await runGuestRow(row, env);
    results.push(r.result);
    if (o.keep && r.job) log(`${row.name}: kept ${r.job}`);
    else r.cleanup();
  }
  console.log(table(results));
  const d = details(results);
  if (d) console.log(`\n${d}`);
  if (selected.length === rows.length) log(`report: ${writeReport(results, env.accel)}`);
  return results.every((r) => r.ok) ? 0 : 1;
}

for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    killGuests();
    process.exit(sig === "SIGINT" ? 130 : 143);
  });
}

main().then(
  (code) => process.exit(code),
  (e) => {
    killGuests();
    if (e instanceof HostsError) {
      process.stderr.write(`test:hosts: ${e.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`test:hosts: internal error: ${e?.stack ?? e}\n`);
    process.exit(70);
  },
);
