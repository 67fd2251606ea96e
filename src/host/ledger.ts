// The run's ledger: every host resource the run made or found, one JSON line each,
// written as soon as it is known so `consh-book clean` can finish a killed run.

import { closeSync, constants, fstatSync, openSync } from "node:fs";
import { currentUid, readOwnedFile } from "../util/trust.js";
import { writeAll } from "../util/write-all.js";

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

function resourceKey(r: Resource): string {
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

const isText = (v: unknown): v is string => typeof v === "string" && v.length > 0 && v.length < 4096 && !v.includes("\0");
const isPid = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

/** The resource a parsed ledger line describes, or undefined when the line is not one (any shape but the right one). */
export function asResource(value: unknown): Resource | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  switch (v.kind) {
    case "rundir":
    case "cgroup":
      return isText(v.path) ? { kind: v.kind, path: v.path } : undefined;
    case "mount":
      return isText(v.path) && typeof v.fsType === "string" ? { kind: "mount", path: v.path, fsType: v.fsType } : undefined;
    case "terminal":
      return isText(v.name) && isPid(v.pid) && typeof v.start === "string" ? { kind: "terminal", name: v.name, pid: v.pid, start: v.start } : undefined;
    case "process":
      return isPid(v.pid) && typeof v.comm === "string" ? { kind: "process", pid: v.pid, comm: v.comm } : undefined;
    case "netns":
    case "link":
      return isText(v.name) ? { kind: v.kind, name: v.name } : undefined;
    case "subtree":
      return isText(v.path) && isText(v.controller) ? { kind: "subtree", path: v.path, controller: v.controller } : undefined;
    default:
      return undefined;
  }
}

interface LedgerContents {
  resources: Resource[];
  /** Lines that were not a resource (cut short by a kill, or not written by consh-book). */
  badLines: number;
  /** Why the file itself was not read (a symlink, another owner, not a regular file). */
  problem?: string;
}

/** Parses ledger text; every line that is not a well-formed resource is skipped and counted. */
export function parseLedger(text: string): { resources: Resource[]; badLines: number } {
  const resources: Resource[] = [];
  let badLines = 0;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      badLines++;
      continue;
    }
    const r = asResource(parsed);
    if (r) resources.push(r);
    else badLines++;
  }
  return { resources, badLines };
}

export class Ledger {
  private readonly known = new Set<string>();

  constructor(
    readonly file: string,
    owner = currentUid(),
  ) {
    for (const r of Ledger.read(file, owner)) this.known.add(resourceKey(r));
  }

  /** Appends the resources not yet recorded. */
  record(resources: readonly Resource[]): void {
    const fresh = resources.filter((r) => !this.known.has(resourceKey(r)));
    if (fresh.length === 0) return;
    for (const r of fresh) this.known.add(resourceKey(r));
    const text = fresh.map((r) => `${JSON.stringify({ at: new Date().toISOString(), ...r })}\n`).join("");
    let fd: number;
    try {
      // Never through a symlink, and only into a file of our own.
      fd = openSync(this.file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK, 0o600);
    } catch {
      return; // the run dir is gone (torn down already); nothing left to record
    }
    try {
      const st = fstatSync(fd);
      if (st.isFile() && st.uid === currentUid()) writeAll(fd, text);
    } catch {
      // a full disk: the ledger is a help for `clean`, not the run's result
    } finally {
      closeSync(fd);
    }
  }

  /** The resources recorded in `file`, a ledger of user `owner`, with what could not be read. */
  static inspect(file: string, owner = currentUid()): LedgerContents {
    const read = readOwnedFile(file, owner);
    if ("problem" in read)
      return read.problem === "does not exist" ? { resources: [], badLines: 0 } : { resources: [], badLines: 0, problem: `${file} ${read.problem}` };
    return parseLedger(read.text);
  }

  static read(file: string, owner = currentUid()): Resource[] {
    return Ledger.inspect(file, owner).resources;
  }
}
