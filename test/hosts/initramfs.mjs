// The guests' initramfs for one kernel: static busybox (this machine's, or for
// another architecture the one in the kernel's entry), init.sh, and the modules
// (uncompressed, with their dependencies, in load order) that mounting a 9p root
// under an overlay needs, plus veth.
import { copyFileSync, chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { basename, join } from "node:path";
import { ensure } from "./cache.mjs";
import { HostsError, requireTools, run, which } from "./util.mjs";

const wanted = ["virtio_pci", "9pnet_virtio", "9p", "overlay", "veth"];
const initScript = new URL("./init.sh", import.meta.url);

const modName = (path) =>
  basename(path)
    .replace(/\.ko(\.xz|\.zst|\.gz)?$/, "")
    .replace(/-/g, "_");

/** Module paths (relative to the modules dir) in load order, dependencies first. */
export function loadOrder(modulesDep, names) {
  const deps = new Map();
  for (const line of modulesDep.split("\n")) {
    const [mod, rest] = line.split(":");
    if (mod) deps.set(mod, (rest ?? "").trim().split(/\s+/).filter(Boolean));
  }
  const byName = new Map([...deps.keys()].map((p) => [modName(p), p]));
  const order = [];
  const visit = (path) => {
    if (order.includes(path)) return;
    for (const d of [...(deps.get(path) ?? [])].reverse()) visit(d);
    order.push(path);
  };
  for (const n of names) {
    const p = byName.get(n.replace(/-/g, "_"));
    if (p) visit(p); // not a module: built into the kernel
  }
  return order;
}

function busybox() {
  const bb = ["/bin/busybox", "/usr/bin/busybox"].find((p) => existsSync(p));
  if (!bb) throw new HostsError("missing a static busybox: install with  apt-get install -y busybox-static");
  const out = run("sh", ["-c", 'LC_ALL=C readelf -l "$1" 2>/dev/null | grep -c INTERP || true', "sh", bb]).stdout.trim();
  if (out !== "0" && which("readelf")) throw new HostsError(`${bb} is not statically linked: install with  apt-get install -y busybox-static`);
  return bb;
}

async function build(kernelDir, out) {
  requireTools([
    ["xz", "xz-utils"],
    ["gzip", "gzip"],
  ]);
  const root = join(out, "root");
  for (const d of ["bin", "proc", "sys", "dev", "modules"]) mkdirSync(join(root, d), { recursive: true });
  const foreignBusybox = join(kernelDir, "busybox");
  copyFileSync(existsSync(foreignBusybox) ? foreignBusybox : busybox(), join(root, "bin", "busybox"));
  chmodSync(join(root, "bin", "busybox"), 0o755);
  copyFileSync(initScript, join(root, "init"));
  chmodSync(join(root, "init"), 0o755);
  const mods = join(kernelDir, "modules");
  const order = loadOrder(readFileSync(join(mods, "modules.dep"), "utf8"), wanted);
  const names = [];
  order.forEach((p, i) => {
    const name = `${String(i).padStart(2, "0")}-${modName(p)}.ko`;
    const src = join(mods, p);
    const data = p.endsWith(".xz")
      ? run("xz", ["-dc", src], { encoding: "buffer" }).stdout
      : p.endsWith(".zst")
        ? run("zstd", ["-dc", src], { encoding: "buffer" }).stdout
        : readFileSync(src);
    writeFileSync(join(root, "modules", name), data);
    names.push(name);
  });
  writeFileSync(join(root, "modules", "order"), `${names.join("\n")}\n`);
  run("sh", ["-c", 'cd "$1" && find . | sort | busybox cpio -o -H newc 2>/dev/null | gzip -9 > "$2"', "sh", root, join(out, "initramfs.gz")]);
  run("rm", ["-rf", root]);
}

/** The cached initramfs for a kernel entry (`id`: the rows' kernel name, e.g. trixie-arm64): { file, seconds }. */
export async function initramfs(k, id) {
  const recipe = createHash("sha256").update(readFileSync(initScript)).update(wanted.join(",")).update(k.version).digest("hex").slice(0, 16);
  const { dir, seconds } = await ensure(`initramfs-${id}`, `initramfs ${recipe}`, (tmp) => build(k.dir, tmp));
  return { file: join(dir, "initramfs.gz"), seconds };
}
