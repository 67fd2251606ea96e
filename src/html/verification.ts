// The verification record: which hosts the snapshots were last verified on, from
// the host matrix's report (test/hosts/last-report.json), as HTML.

import { join } from "node:path";
import { readBookFile } from "./book-file.js";
import { escapeHtml } from "./escape.js";

interface HostRow {
  guest: string;
  kernel: string;
  cgroup: string;
  init: string;
  runner: string;
  uid: number;
  gid: number;
  expectedExit: number;
  exit: number;
  passed: number;
  failed: number;
  skipped: number;
  hostStateSame: boolean;
  ok: boolean;
  seconds: number;
  /** The matrix row's own name (optional). */
  name?: string;
  /** The Node that ran the book, e.g. v20.19.0 (optional). */
  node?: string;
}

/** A row whose run passed the whole book (not one that was meant to refuse, e.g. with exit 3). */
const verifiedOn = (r: HostRow) => r.ok && r.expectedExit === 0;

function resultText(x: HostRow): string {
  if (!x.ok) return "✗ not verified";
  if (x.expectedExit !== 0) return x.passed > 0 ? `✓ ran the chapters it can, as expected (exit ${x.exit})` : `✓ refused as expected (exit ${x.exit})`;
  return "✓ verified";
}

/** "kernels 5.10, 6.1 and 6.12; amd64 and arm64; Node v20.19.0 and v24.22.3" for the verified rows. */
function spread(rows: HostRow[]): string {
  const list = (xs: string[]) => {
    const u = [...new Set(xs)].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
    return u.length > 1 ? `${u.slice(0, -1).join(", ")} and ${u.at(-1)}` : (u[0] ?? "");
  };
  const kernels = rows.flatMap((r) => /^\d+\.\d+/.exec(r.kernel)?.[0] ?? []);
  const arches = rows.map((r) => (/arm64|aarch64/.test(r.kernel) ? "arm64" : "amd64"));
  const nodes = rows.flatMap((r) => (typeof r.node === "string" && /^v\d+\.\d+\.\d+$/.test(r.node) ? [r.node] : []));
  return [kernels.length ? `kernels ${list(kernels)}` : "", list(arches), nodes.length ? `Node ${list(nodes)}` : ""].filter(Boolean).join("; ");
}

interface HostReport {
  schemaVersion: number;
  finishedAt: string;
  commit: string;
  rows: HostRow[];
}

/** `badRows`: rows left out because they lack a field of the agreed shape (said on the index page). */
type Verification =
  | { state: "none"; file: string }
  | { state: "unreadable"; file: string; why: string }
  | { state: "ok"; file: string; report: HostReport; badRows: number };

const STRINGS = ["guest", "kernel", "cgroup", "init", "runner"] as const;
const NUMBERS = ["uid", "gid", "expectedExit", "exit", "passed", "failed", "skipped"] as const;

/** Whether a report row has every field the page shows, each of the agreed type. */
function isHostRow(x: unknown): x is HostRow {
  if (typeof x !== "object" || x === null || Array.isArray(x)) return false;
  const r = x as Record<string, unknown>;
  return (
    STRINGS.every((k) => typeof r[k] === "string") &&
    NUMBERS.every((k) => typeof r[k] === "number" && Number.isFinite(r[k])) &&
    typeof r.ok === "boolean" &&
    (r.name === undefined || typeof r.name === "string") &&
    (r.node === undefined || typeof r.node === "string")
  );
}

function reportFileOf(bookDir: string): string {
  return join(bookDir, "test", "hosts", "last-report.json");
}

/** Reads the report; a missing or malformed one is said plainly on the site, never fatal. */
export function readVerification(bookDir: string): Verification {
  const file = reportFileOf(bookDir);
  const read = readBookFile(file);
  if (read.state === "missing") return { state: "none", file };
  if (read.state === "bad") return { state: "unreadable", file, why: `it ${read.problem}` };
  try {
    const data = JSON.parse(read.data.toString("utf8")) as Partial<HostReport> | null;
    if (typeof data !== "object" || data === null || data.schemaVersion !== 1 || !Array.isArray(data.rows) || typeof data.finishedAt !== "string") {
      return { state: "unreadable", file, why: "it is not a schemaVersion 1 report with finishedAt and rows" };
    }
    const rows = (data.rows as unknown[]).filter(isHostRow);
    return { state: "ok", file, report: { ...(data as HostReport), rows }, badRows: data.rows.length - rows.length };
  } catch (err) {
    return { state: "unreadable", file, why: (err as Error).message };
  }
}

const when = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
};

/** One sentence for every chapter page. */
export function verificationLine(v: Verification): string {
  if (v.state !== "ok") return "These outputs are the recorded snapshots; no host-matrix report was found, so no verified hosts are listed.";
  const verified = v.report.rows.filter(verifiedOn);
  const ok = verified.length;
  const what = spread(verified);
  return `These outputs are the recorded snapshots, verified by whole-book runs on ${ok} host configuration${ok === 1 ? "" : "s"} (of ${v.report.rows.length} in the host matrix) on ${when(v.report.finishedAt)}${what ? `: ${what}` : ""}.`;
}

/** The full record for the index page. */
export function verificationHtml(v: Verification): string {
  const head = `<h2 id="verified">Where these outputs were verified</h2>`;
  if (v.state === "none") {
    return `${head}<p class="note">There is no host-matrix report (<code>test/hosts/last-report.json</code>) in this book, so this site cannot say which hosts the snapshots were verified on. Every output shown was recorded by a real run; <code>npm run test:hosts</code> writes the report.</p>`;
  }
  if (v.state === "unreadable") {
    return `${head}<p class="note">The host-matrix report <code>test/hosts/last-report.json</code> could not be read (${escapeHtml(v.why)}), so this site cannot say which hosts the snapshots were verified on.</p>`;
  }
  const r = v.report;
  const rows = r.rows
    .map(
      (x) =>
        `<tr class="${x.ok ? "ok" : "bad"}"><td>${escapeHtml(String(x.guest))}${x.name && x.name !== x.guest ? `<br><span class="dim small">${escapeHtml(String(x.name))}</span>` : ""}</td><td>${escapeHtml(String(x.kernel))}</td><td>${escapeHtml(`${x.cgroup}, ${x.init}`)}</td><td>${escapeHtml(`${x.runner} (uid ${x.uid}, gid ${x.gid})`)}</td><td>${escapeHtml(`${x.passed} passed, ${x.failed} failed, ${x.skipped} skipped`)}</td><td>${escapeHtml(resultText(x))}</td></tr>`,
    )
    .join("");
  const commit = typeof r.commit === "string" && r.commit ? ` at commit <code>${escapeHtml(r.commit.slice(0, 12))}</code>` : "";
  const bad =
    v.badRows > 0
      ? `<p class="note">${v.badRows} row${v.badRows === 1 ? " was" : "s were"} left out of this table: ${v.badRows === 1 ? "it lacks" : "they lack"} fields of the agreed shape in <code>test/hosts/last-report.json</code>; run <code>npm run test:hosts</code> again to rewrite the report.</p>`
      : "";
  return `${head}<p>The whole book was run on these hosts, each output compared with the snapshots shown here; the last run finished ${escapeHtml(when(r.finishedAt))}${commit}.</p>${bad}<div class="scroll"><table class="hosts"><thead><tr><th>guest</th><th>kernel</th><th>cgroups, init</th><th>runner</th><th>steps</th><th>result</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}
