// Debian kernels for the guests: linux-image-ARCH of a suite, fetched with
// `apt-get download` from a one-line sources list used only for this download,
// unpacked with `dpkg-deb -x` (no install scripts). The entry holds vmlinuz,
// modules/ (lib/modules/VERSION) and version; for another architecture than this
// machine's (arm64) also that architecture's static busybox, for its initramfs.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensure } from "./cache.mjs";
import { HostsError, log, requireTools, run } from "./util.mjs";

const mirror = process.env.CONSH_HOSTS_MIRROR ?? "http://deb.debian.org/debian";
const keyring = "/usr/share/keyrings/debian-archive-keyring.gpg";

function aptOptions(dir, arch) {
  return [
    "-o",
    `APT::Architecture=${arch}`,
    "-o",
    `APT::Architectures=${arch}`,
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

/** Download and unpack the kernel of `suite` for `arch` into `out`. */
async function buildKernel(suite, arch, out) {
  requireTools([
    ["apt-get", "apt"],
    ["dpkg-deb", "dpkg"],
  ]);
  const apt = join(out, "apt");
  mkdirSync(join(apt, "lists", "partial"), { recursive: true });
  mkdirSync(join(apt, "cache", "archives", "partial"), { recursive: true });
  writeFileSync(join(apt, "status"), "");
  writeFileSync(join(apt, "sources.list"), `deb [arch=${arch} signed-by=${keyring}] ${mirror} ${suite} main\n`);
  const o = aptOptions(apt, arch);
  log(`apt-get update for ${suite} (${mirror})`);
  try {
    run("apt-get", [...o, "update"]);
  } catch (e) {
    throw new HostsError(`cannot read the ${suite} package index from ${mirror} (set CONSH_HOSTS_MIRROR to a reachable Debian mirror): ${e.message}`);
  }
  const show = run("apt-cache", [...o, "depends", `linux-image-${arch}`]).stdout;
  const image = new RegExp(`Depends: (linux-image-[0-9][^\\s]*-${arch})\\b`).exec(show)?.[1];
  if (!image) throw new HostsError(`linux-image-${arch} in ${suite} depends on no linux-image-VERSION-${arch}:\n${show}`);
  log(`downloading ${image} (${suite}, ${arch})`);
  run("apt-get", [...o, "download", image], { cwd: apt });
  const deb = readdirSync(apt).find((f) => f.startsWith("linux-image-") && f.endsWith(".deb"));
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
  if (arch !== "amd64") {
    // The initramfs's busybox must be this architecture's.
    run("apt-get", [...o, "download", "busybox-static"], { cwd: apt });
    const bb = readdirSync(apt).find((f) => f.startsWith("busybox-static_") && f.endsWith(".deb"));
    if (!bb) throw new HostsError(`apt-get download busybox-static (${suite}, ${arch}) left no .deb in ${apt}`);
    run("dpkg-deb", ["-x", join(apt, bb), join(out, "bb")]);
    renameSync(join(out, "bb", existsSync(join(out, "bb", "bin", "busybox")) ? "bin" : "usr/bin", "busybox"), join(out, "busybox"));
    rmSync(join(out, "bb"), { recursive: true, force: true });
  }
  rmSync(x, { recursive: true, force: true });
  rmSync(apt, { recursive: true, force: true });
}

/** The cached kernel of a suite for an architecture: { dir, version, arch, seconds }. */
export async function kernel(suite, arch = "amd64") {
  // amd64 keeps the entries' earlier names and keys (no rebuild of what is cached).
  const name = arch === "amd64" ? `kernel-${suite}` : `kernel-${suite}-${arch}`;
  const key = arch === "amd64" ? `kernel v2 ${suite} ${mirror}` : `kernel v2 ${suite} ${arch} ${mirror}`;
  const { dir, seconds } = await ensure(name, key, (tmp) => buildKernel(suite, arch, tmp));
  return { dir, version: readFileSync(join(dir, "version"), "utf8"), arch, seconds };
}
