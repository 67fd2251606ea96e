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
import { nodeBinary } from "./node.mjs";
import { runNodeRow } from "./node-row.mjs";
import { killGuests, qemuBinary } from "./qemu.mjs";
import { details, table, writeReport } from "./report.mjs";
import { findRow, kernelSpec, rows } from "./rows.mjs";
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
  const env = { kernels: {}, initramfs: {}, roots: {}, nodes: {}, accel: "tcg", builds: {} };
  for (const v of new Set(selected.map((r) => r.node).filter(Boolean))) {
    const n = await nodeBinary(v);
    env.nodes[v] = n;
    env.builds[`node ${v}`] = n.seconds;
  }
  if (!guests.length) return env;
  for (const id of new Set(guests.map((r) => r.kernel))) {
    const { suite, arch } = kernelSpec(id);
    qemuBinary(arch);
    const k = await kernel(suite, arch);
    const i = await initramfs(k, id);
    env.kernels[id] = k;
    env.initramfs[id] = i.file;
    env.builds[`kernel+initramfs ${id}`] = k.seconds + i.seconds;
  }
  for (const r of guests.filter((r) => r.init === "systemd")) {
    const name = r.root ?? "trixie";
    if (env.roots[name]) continue;
    const d = await debianRoot(name, { kernel: env.kernels[r.kernel], initrd: env.initramfs[r.kernel] });
    env.roots[name] = d.dir;
    env.builds[`debian root ${name}`] = d.seconds;
  }
  const first = guests.find((r) => kernelSpec(r.kernel).arch === "amd64")?.kernel;
  if (first) env.accel = await chooseAccel(env.kernels[first], env.initramfs[first]);
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
  const started = Date.now();
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
    for (const r of selected.filter((r) => r.init !== "host")) qemuBinary(kernelSpec(r.kernel).arch);
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
    const r = row.init !== "host" ? await runGuestRow(row, env) : row.node ? runNodeRow(row, env) : runLocalRow(row);
    results.push(r.result);
    if (o.keep && r.job) log(`${row.name}: kept ${r.job}`);
    else r.cleanup();
  }
  console.log(table(results));
  const d = details(results);
  if (d) console.log(`\n${d}`);
  const totalSeconds = Math.round((Date.now() - started) / 1000);
  log(`the matrix took ${totalSeconds} s (${Object.values(env.builds).reduce((a, b) => a + b, 0)} s of it building the cache)`);
  if (selected.length === rows.length) log(`report: ${writeReport(results, env.accel, totalSeconds)}`);
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
