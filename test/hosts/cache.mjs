// The build cache (kernels, initramfs, the Debian root): entries are built in a
// temporary directory and renamed into place with a stamp only when complete, so a
// half-built entry is never trusted; what is missing or stale is rebuilt.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { log } from "./util.mjs";

export const cacheDir = process.env.CONSH_HOSTS_CACHE ?? "/var/cache/consh-book-hosts";
const STAMP = ".complete";

/** The entry's directory if it is complete and was built by the same recipe (key). */
export function cached(name, key) {
  const dir = join(cacheDir, name);
  try {
    return readFileSync(join(dir, STAMP), "utf8") === key ? dir : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The entry `name`, built by `build(tmpDir)` when missing or built by another recipe.
 * Returns { dir, seconds } (seconds = 0 when it came from the cache).
 */
export async function ensure(name, key, build) {
  const hit = cached(name, key);
  if (hit) return { dir: hit, seconds: 0 };
  mkdirSync(cacheDir, { recursive: true, mode: 0o755 });
  removeAbandoned(name);
  const dir = join(cacheDir, name);
  const tmp = join(cacheDir, `.${name}.building-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { mode: 0o755 });
  const t0 = Date.now();
  log(`building cache entry ${name} in ${tmp}`);
  try {
    await build(tmp);
    writeFileSync(join(tmp, STAMP), key);
    const old = join(cacheDir, `.${name}.old-${process.pid}`);
    if (existsSync(dir)) renameSync(dir, old);
    renameSync(tmp, dir);
    removeTree(old);
  } catch (e) {
    removeTree(tmp);
    throw e;
  }
  const seconds = Math.round((Date.now() - t0) / 1000);
  log(`built ${name} in ${seconds} s`);
  return { dir, seconds };
}

/** Remove what a killed builder of `name` left (its process is gone): never trusted, never kept. */
function removeAbandoned(name) {
  for (const e of readdirSync(cacheDir)) {
    const m = new RegExp(`^\\.${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.(building|old)-(\\d+)$`).exec(e);
    if (!m) continue;
    let alive = true;
    try {
      process.kill(Number(m[2]), 0);
    } catch {
      alive = false;
    }
    if (!alive) {
      log(`removing ${e}, left by a build that did not finish`);
      removeTree(join(cacheDir, e));
    }
  }
}

/** Remove a tree without crossing into mounts left inside it (debootstrap's /proc, ...). */
export function removeTree(path) {
  if (!existsSync(path)) return;
  const mounts = readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .map((l) => l.split(" ")[4])
    .filter((m) => m && (m === path || m.startsWith(`${path}/`)));
  for (const m of mounts.sort().reverse()) spawnSync("umount", ["-l", m]);
  spawnSync("rm", ["-rf", "--one-file-system", path]);
}
