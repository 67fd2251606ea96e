// Debian kernels for the guests: linux-image-amd64 of a suite, fetched with
// `apt-get download` from a one-line sources list used only for this download,
// unpacked with `dpkg-deb -x` (no install scripts). The entry holds vmlinuz,
// modules/ (lib/modules/VERSION) and version.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensure } from "./cache.mjs";
import { HostsError, log, requireTools, run } from "./util.mjs";

const mirror = process.env.CONSH_HOSTS_MIRROR ?? "http://deb.debian.org/debian";
const keyring = "/usr/share/keyrings/debian-archive-keyring.gpg";

function aptOptions(dir) {
  return [
    "-o",
    `Dir::Etc::SourceList=${join(dir, "sources.list")}`,
    "-o",
    "Dir::Etc::SourceParts=/dev/null",
    "-o",
    `Dir::State::Lists=${join(dir, "lists")}`,
    "-o",
    `Dir::Cache=${join(dir, "cache")}`,
    "-o",
    `Dir::State::status=${join(dir, "status")}`,
    "-o",
    "Debug::NoLocking=1",
    "-o",
    "APT::Sandbox::User=root",
    "-q",
  ];
}

/** Download and unpack the kernel of `suite` into `out`. */
async function buildKernel(suite, out) {
  requireTools([
    ["apt-get", "apt"],
    ["dpkg-deb", "dpkg"],
  ]);
  const apt = join(out, "apt");
  mkdirSync(join(apt, "lists", "partial"), { recursive: true });
  mkdirSync(join(apt, "cache", "archives", "partial"), { recursive: true });
  writeFileSync(join(apt, "status"), "");
  writeFileSync(join(apt, "sources.list"), `deb [signed-by=${keyring}] ${mirror} ${suite} main\n`);
  const o = aptOptions(apt);
  log(`apt-get update for ${suite} (${mirror})`);
  try {
    run("apt-get", [...o, "update"]);
  } catch (e) {
    throw new HostsError(`cannot read the ${suite} package index from ${mirror} (set CONSH_HOSTS_MIRROR to a reachable Debian mirror): ${e.message}`);
  }
  const show = run("apt-cache", [...o, "depends", "linux-image-amd64"]).stdout;
  const image = /Depends: (linux-image-[0-9][^\s]*-amd64)\b/.exec(show)?.[1];
  if (!image) throw new HostsError(`linux-image-amd64 in ${suite} depends on no linux-image-VERSION-amd64:\n${show}`);
  log(`downloading ${image} (${suite})`);
  run("apt-get", [...o, "download", image], { cwd: apt });
  const deb = readdirSync(apt).find((f) => f.endsWith(".deb"));
  if (!deb) throw new HostsError(`apt-get download ${image} left no .deb in ${apt}`);
  const x = join(out, "x");
  run("dpkg-deb", ["-x", join(apt, deb), x]);
  // bookworm: lib/modules; trixie (merged /usr): usr/lib/modules.
  const modRoot = [join(x, "lib", "modules"), join(x, "usr", "lib", "modules")].find((d) => existsSync(d));
  const version = modRoot && readdirSync(modRoot)[0];
  if (!version) throw new HostsError(`${deb} has no lib/modules/VERSION`);
  renameSync(join(x, "boot", `vmlinuz-${version}`), join(out, "vmlinuz"));
  renameSync(join(modRoot, version), join(out, "modules"));
  // modules.dep is made by the package's install scripts, which do not run here.
  requireTools([["depmod", "kmod"]]);
  const base = join(out, "depmod");
  mkdirSync(join(base, "lib", "modules"), { recursive: true });
  symlinkSync("../../../modules", join(base, "lib", "modules", version));
  run("depmod", ["-b", base, version]);
  rmSync(base, { recursive: true, force: true });
  writeFileSync(join(out, "version"), version);
  writeFileSync(join(out, "package"), deb);
  rmSync(x, { recursive: true, force: true });
  rmSync(apt, { recursive: true, force: true });
}

/** The cached kernel of a suite: { dir, version, seconds }. */
export async function kernel(suite) {
  const { dir, seconds } = await ensure(`kernel-${suite}`, `kernel v2 ${suite} ${mirror}`, (tmp) => buildKernel(suite, tmp));
  return { dir, version: readFileSync(join(dir, "version"), "utf8"), seconds };
}
