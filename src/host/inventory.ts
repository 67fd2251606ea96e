// What a learner may make on the host by hand, listed before and after a
// practice run: mounts, named network namespaces, network links and cgroups.
// What appeared meanwhile and outlived the run's teardown was not made under
// the run's names, so it is never removed by guess: it is listed with the
// command that removes it.

import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { shellQuote } from "../util/quote.js";
import { readMounts } from "./mountinfo.js";
import { NETNS_DIRS } from "./run-names.js";

export interface Inventory {
  mounts: string[];
  netns: string[];
  links: string[];
  cgroups: string[];
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** The cgroup directories of every mounted hierarchy, `depth` levels down. */
function cgroupDirs(depth = 3): string[] {
  const roots = readMounts()
    .filter((m) => m.fsType === "cgroup2" || m.fsType === "cgroup")
    .map((m) => m.mountPoint);
  const out: string[] = [];
  const walk = (dir: string, left: number) => {
    if (left === 0) return;
    for (const name of list(dir)) {
      const path = join(dir, name);
      try {
        if (!statSync(path).isDirectory()) continue;
      } catch {
        continue;
      }
      out.push(path);
      walk(path, left - 1);
    }
  };
  for (const root of new Set(roots)) walk(root, depth);
  return out;
}

export function takeInventory(): Inventory {
  return {
    mounts: readMounts().map((m) => m.mountPoint),
    netns: NETNS_DIRS.flatMap((d) => list(d).map((n) => join(d, n))),
    links: list("/sys/class/net"),
    cgroups: cgroupDirs(),
  };
}

export interface Leftover {
  what: string;
  /** The command that removes it. */
  remove: string;
}

/** A name some run of consh-book gave (consh-ID..., cbIDh/c): that run's teardown owns it, not the learner. */
const RUN_NAMED = /(^|\/)(consh-[a-z][a-z0-9]{5}(-[^/]*)?|cb[a-z][a-z0-9]{5}[hc])(\/|$)/;

/**
 * What is in `after` but not `before`, each with the command that removes it
 * (deepest cgroups and mounts first); never what any run of consh-book named.
 */
export function leftovers(before: Inventory, after: Inventory): Leftover[] {
  const added = (k: keyof Inventory) => {
    const had = new Set(before[k]);
    return after[k].filter((x) => !had.has(x) && !RUN_NAMED.test(x) && !x.includes("/consh-book-"));
  };
  const deepestFirst = (a: string, b: string) => b.split("/").length - a.split("/").length;
  return [
    ...added("mounts")
      .sort(deepestFirst)
      .map((m) => ({ what: `a mount on ${m}`, remove: `sudo umount ${shellQuote(m)}` })),
    ...added("netns").map((n) => ({ what: `the network namespace name ${n}`, remove: `sudo ip netns delete ${shellQuote(n.split("/").pop()!)}` })),
    ...added("links").map((l) => ({ what: `the network link ${l}`, remove: `sudo ip link delete ${shellQuote(l)}` })),
    ...added("cgroups")
      .sort(deepestFirst)
      .map((c) => ({ what: `the cgroup ${c}`, remove: `sudo rmdir ${shellQuote(c)}` })),
  ];
}
