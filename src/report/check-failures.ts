// The host checks a book needs and this host fails, one line each with the fix per distribution.

import type { Chapter } from "../book/model.js";
import type { CheckResult } from "../host/checks.js";

export function formatCheckFailures(failing: { chapter: Chapter; check: CheckResult }[]): string {
  const byCheck = new Map<string, { check: CheckResult; chapters: string[] }>();
  for (const f of failing) {
    const entry = byCheck.get(f.check.id) ?? { check: f.check, chapters: [] };
    if (!entry.chapters.includes(f.chapter.id)) entry.chapters.push(f.chapter.id);
    byCheck.set(f.check.id, entry);
  }
  return [...byCheck.values()]
    .map(({ check, chapters }) => {
      const fix = check.fix ? `\n    Debian/Ubuntu: ${check.fix.debian}\n    Fedora:        ${check.fix.fedora}` : "";
      return `  ✗ ${check.title}: ${check.detail} (needed by ${chapters.join(", ")})${fix}`;
    })
    .join("\n");
}
