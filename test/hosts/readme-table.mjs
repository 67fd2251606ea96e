// Rewrite the README's host-matrix table from test/hosts/last-report.json:
//   node test/hosts/readme-table.mjs   (after a full, real npm run test:hosts)
import { readFileSync, writeFileSync } from "node:fs";
const rep = JSON.parse(readFileSync(new URL("./last-report.json", import.meta.url), "utf8"));
const lines = [
  "| row | guest | kernel | runner (uid:gid) | exit (expected) | steps passed / failed / skipped | failing steps | host state before = after | as expected | seconds |",
  "|---|---|---|---|---|---|---|---|---|---|",
];
for (const r of rep.rows)
  lines.push(
    `| ${r.name} | ${r.guest} | ${r.kernel} | ${r.runner} (${r.uid}:${r.gid}) | ${r.exit} (${r.expectedExit}) | ${r.passed} / ${r.failed} / ${r.skipped} | ${r.failedSteps.map((s) => `\`${s}\``).join(", ") || "none"} | ${r.hostStateSame ? "yes" : "**no**"} | ${r.ok ? "yes" : "**no**"} | ${r.seconds} |`,
  );
const table = `${lines.join("\n")}\n\n(${rep.finishedAt.slice(0, 16).replace("T", " ")} UTC, commit ${rep.commit.slice(0, 7)}; guests under ${(rep.accel ?? "tcg").toUpperCase()}, 2 vCPUs.)`;
const p = new URL("../../README.md", import.meta.url);
const s = readFileSync(p, "utf8");
const start = s.indexOf("<!-- hosts-table -->");
const out =
  start >= 0
    ? s.replace(/<!-- hosts-table -->[\s\S]*?<!-- \/hosts-table -->/, `<!-- hosts-table -->\n${table}\n<!-- /hosts-table -->`)
    : s.replace("HOSTS_TABLE", `<!-- hosts-table -->\n${table}\n<!-- /hosts-table -->`);
writeFileSync(p, out);
