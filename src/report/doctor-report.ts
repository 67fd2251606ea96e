// doctor's report: each host check with what it found, the capabilities for
// requires=, and per chapter whether it can run here (with why and the fix, or
// the steps this host skips). Pure: the probes are made by the command.

import { CAPABILITIES, isCapabilityName } from "../book/capability-names.js";
import { stepsOf, type Book, type Chapter } from "../book/model.js";
import type { CheckResult } from "../host/checks.js";
import type { HostFacts } from "../host/probe.js";
import { whyNotRunnable } from "../host/runnable.js";
import { formatCheckFailures } from "./check-failures.js";
import type { Colors } from "../util/colors.js";
import { visible } from "../util/visible.js";

/** The report's text, and how many chapters cannot run here. */
export function doctorReport(book: Book, host: HostFacts, checks: readonly CheckResult[], c: Colors): { text: string; blocked: number } {
  const out: string[] = [c.bold("This host\n")];
  for (const check of checks) out.push(`  ${check.ok ? c.green("✓") : c.red("✗")} ${check.title}: ${c.dim(check.detail)}\n`);
  out.push(`  capabilities for requires=: ${[...host.caps].sort().join(", ") || "(none)"}\n`);
  out.push(c.bold("\nChapters\n"));
  let blocked = 0;
  for (const ch of book.chapters) {
    const failing = whyNotRunnable(book, ch, checks);
    if (failing.length === 0) {
      out.push(`  ${c.green("✓")} ${ch.id}: ${visible(ch.title)}\n`);
      const skipped = skippedHere(ch, host.caps);
      if (skipped) out.push(`    ${c.dim(skipped)}\n`);
    } else {
      blocked++;
      out.push(`  ${c.red("✗")} ${ch.id}: ${visible(ch.title)}\n${formatCheckFailures(failing)}\n`);
    }
  }
  out.push(
    blocked === 0
      ? c.green("\nEvery chapter can run here.\n")
      : c.red(`\n${blocked} chapters cannot run here; fix the lines marked ✗ above. (run --all runs the others, then exits 3.)\n`),
  );
  return { text: out.join(""), blocked };
}

/** The steps of a chapter this host skips (a capability they require is missing), said per capability. */
function skippedHere(chapter: Chapter, caps: ReadonlySet<string>): string | undefined {
  const byCap = new Map<string, string[]>();
  for (const step of stepsOf(chapter)) {
    const missing = step.requires.find((r) => !caps.has(r));
    if (missing) byCap.set(missing, [...(byCap.get(missing) ?? []), step.id]);
  }
  if (byCap.size === 0) return undefined;
  const parts = [...byCap].map(
    ([cap, steps]) => `${steps.join(", ")} (${steps.length === 1 ? "it needs" : "they need"} ${cap}: ${isCapabilityName(cap) ? CAPABILITIES[cap] : cap})`,
  );
  return `skipped here: ${parts.join("; ")}`;
}
