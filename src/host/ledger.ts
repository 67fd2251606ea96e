// The run's ledger: every host resource the run made or found, one JSON line each,
// written as soon as it is known so `consh-book clean` can finish a killed run.

import { appendFileSync, existsSync, readFileSync } from "node:fs";

export type Resource =
  | { kind: "rundir"; path: string }
  | { kind: "terminal"; name: string; pid: number; start: string }
  | { kind: "process"; pid: number; comm: string }
  | { kind: "mount"; path: string; fsType: string }
  | { kind: "netns"; name: string }
  | { kind: "link"; name: string }
  | { kind: "cgroup"; path: string }
  /** A controller the run switched on in a cgroup's cgroup.subtree_control (put back at teardown). */
  | { kind: "subtree"; path: string; controller: string };

export function resourceKey(r: Resource): string {
  switch (r.kind) {
    case "rundir":
    case "mount":
    case "cgroup":
      return `${r.kind}:${r.path}`;
    case "terminal":
    case "process":
      return `${r.kind}:${r.pid}`;
    case "netns":
    case "link":
      return `${r.kind}:${r.name}`;
    case "subtree":
      return `${r.kind}:${r.path}:${r.controller}`;
  }
}

export class Ledger {
  private readonly known = new Set<string>();

  constructor(readonly file: string) {
    for (const r of Ledger.read(file)) this.known.add(resourceKey(r));
  }

  /** Appends the resources not yet recorded. */
  record(resources: readonly Resource[]): void {
    const fresh = resources.filter((r) => !this.known.has(resourceKey(r)));
    if (fresh.length === 0) return;
    for (const r of fresh) this.known.add(resourceKey(r));
    try {
      appendFileSync(this.file, fresh.map((r) => `${JSON.stringify({ at: new Date().toISOString(), ...r })}\n`).join(""));
    } catch {
      // the run dir is gone (torn down already); nothing left to record
    }
  }

  static read(file: string): Resource[] {
    if (!existsSync(file)) return [];
    const out: Resource[] = [];
    for (const line of readFileSync(file, "utf8").split("\n")) {
      if (line.trim() === "") continue;
      try {
        out.push(JSON.parse(line) as Resource);
      } catch {
        // a line cut short by a kill; the rest is still good
      }
    }
    return out;
  }
}
