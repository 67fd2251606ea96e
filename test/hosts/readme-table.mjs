// Rewrite the README's host-matrix table from test/hosts/last-report.json:
//   node test/hosts/readme-table.mjs   (after a full, real npm run test:hosts)
import { readFileSync, writeFileSync } from "node:fs";
const rep = JSON.parse(readFileSync(new URL("./last-report.json", import.meta.url), "utf8"));
const lines = [
  "| row | guest | kernel | runner (uid:gid) | exit (expected) | steps passed / failed / skipped | skipped: the capability the host lacks | chapters it cannot run | unit + CLI tests passed / failed / skipped | practised: steps typed by the learner / steps | failing steps | host state before = after | as expected | seconds |",
  "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
];
const short = (c) => c.replace("chapter-", "ch");
for (const r of rep.rows) {
  const skips = Object.entries(r.skips ?? {})
    .map(([why, steps]) => `${why} ×${steps.length}`)
    .join(", ");
  const tests = r.tests ? `${r.tests.passed} / ${r.tests.failed} / ${r.tests.skipped}` : "-";
  const practised = r.practice ? `${short(r.practice.chapter)}: ${r.practice.typed} / ${r.practice.total}` : "-";
  lines.push(
    `| ${r.name} | ${r.guest} | ${r.kernel} | ${r.runner} (${r.uid}:${r.gid}) | ${r.exit} (${r.expectedExit}) | ${r.passed} / ${r.failed} / ${r.skipped} | ${skips || "-"} | ${(r.cannotRun ?? []).map(short).join(", ") || "-"} | ${tests} | ${practised} | ${r.failedSteps.map((s) => `\`${s}\``).join(", ") || "none"} | ${r.hostStateSame ? "yes" : "**no**"} | ${r.ok ? "yes" : "**no**"} | ${r.seconds} |`,
  );
}
const total = rep.rows.reduce((s, r) => s + r.seconds, 0);
const table = `${lines.join("\n")}\n\n(${rep.finishedAt.slice(0, 16).replace("T", " ")} UTC, commit ${rep.commit.slice(0, 7)}; guests under ${(rep.accel ?? "tcg").toUpperCase()}, 2 vCPUs; the rows took ${Math.round(total / 60)} minutes${rep.totalSeconds ? `, the whole run ${Math.round(rep.totalSeconds / 60)}` : ""}.)`;
const p = new URL("../../README.md", import.meta.url);
const s = readFileSync(p, "utf8");
const start = s.indexOf("<!-- hosts-table -->");
const out =
  start >= 0
    ? s.replace(/<!-- hosts-table -->[\s\S]*?<!-- \/hosts-table -->/, `<!-- hosts-table -->\n${table}\n<!-- /hosts-table -->`)
    : s.replace("HOSTS_TABLE", `<!-- hosts-table -->\n${table}\n<!-- /hosts-table -->`);
writeFileSync(p, out);
