// Small shared helpers for the host matrix: running commands, a named error, logging.
import { spawnSync } from "node:child_process";

/** A fault the matrix reports in one clear line (what is missing, how to get it), without a stack. */
export class HostsError extends Error {
  constructor(message) {
    super(message);
    this.name = "HostsError";
  }
}

export function log(msg) {
  process.stderr.write(`[hosts] ${msg}\n`);
}

/** Run a program; throw a HostsError with its stderr tail when it fails. */
export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, stdio: opts.inherit ? "inherit" : "pipe", ...opts });
  if (r.error) throw new HostsError(`cannot run ${cmd}: ${r.error.message}`);
  if (r.status !== 0 && !opts.allowFail) {
    const tail = `${r.stderr ?? ""}${r.stdout ?? ""}`.trim().split("\n").slice(-15).join("\n");
    throw new HostsError(`${cmd} ${args.join(" ")} exited with ${r.status ?? r.signal}${tail ? `:\n${tail}` : ""}`);
  }
  return r;
}

/** The path of a program on PATH (plus the sbin directories), or undefined. */
export function which(name) {
  const r = spawnSync("sh", ["-c", 'PATH="$PATH:/usr/sbin:/sbin" command -v "$1"', "sh", name], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Demand programs; name the Debian package that provides each missing one. */
export function requireTools(tools) {
  const missing = tools.filter(([prog]) => !which(prog));
  if (missing.length) {
    const pkgs = [...new Set(missing.map(([, pkg]) => pkg))].join(" ");
    throw new HostsError(`missing ${missing.map(([p]) => p).join(", ")}: install with  apt-get install -y ${pkgs}`);
  }
}

/** The heavy lock every guest boot, debootstrap and book run on this machine holds. */
export const heavyLock = process.env.CONSH_HEAVY_LOCK ?? "/tmp/consh-heavy.lock";
