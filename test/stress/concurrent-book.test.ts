// Several whole-book runs at once, repeated: every run passes (chapter 10's CPU
// lesson on a loaded machine, chapter 11's netns names beside another run's), and
// the host is as it was after each round. On this real host, as the invoking user.
// CONSH_STRESS_RUNS (default 3) runs at once, CONSH_STRESS_ROUNDS (default 3) rounds.
import { existsSync, readdirSync } from "node:fs";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { probeCgroups } from "../../src/host/probe.js";
import { readSubtree, MARK_DIR } from "../../src/host/subtree.js";
import { CLI, env } from "../cli/helpers.js";
import { hostState } from "../cli/host-state.js";

const RUNS = Number(process.env.CONSH_STRESS_RUNS ?? 3);
const ROUNDS = Number(process.env.CONSH_STRESS_ROUNDS ?? 3);

/** The host state, plus what the book's runs may switch on in cgroup2's root and their marks. */
function state(): string {
  const cg2 = probeCgroups().v2Mount;
  const marks = existsSync(MARK_DIR) ? readdirSync(MARK_DIR).sort() : [];
  return [hostState(), "## cgroup2 root's subtree_control", cg2 ? readSubtree(cg2).join(" ") : "", "## marks", ...marks].join("\n");
}

interface RunOutcome {
  code: number | undefined;
  seconds: number;
  summary: string;
  failures: string;
}

async function wholeBook(): Promise<RunOutcome> {
  const t0 = performance.now();
  const r = await execa("node", [CLI, "run", "--all"], { reject: false, all: true, extendEnv: false, env: env({ CI: "true" }) });
  const all = String(r.all);
  return {
    code: r.exitCode,
    seconds: Math.round((performance.now() - t0) / 100) / 10,
    summary: all
      .split("\n")
      .filter((l) => /all passed|failed after|passed: \d|chapter-\d+ failed/.test(l))
      .join(" | "),
    // Each failing step with its diff or last output, and any teardown problem.
    failures: all
      .split("\n")
      .filter((l, i, lines) => /✗|teardown problem/.test(l) || (lines.slice(Math.max(0, i - 25), i).some((p) => p.includes("✗")) && /^ {4}/.test(l)))
      .join("\n"),
  };
}

describe(`${RUNS} whole-book runs at once, ${ROUNDS} rounds`, () => {
  it("all pass and leave the host as it was", async () => {
    const table: string[] = [];
    const problems: string[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const before = state();
      const t0 = performance.now();
      const outcomes = await Promise.all(Array.from({ length: RUNS }, () => wholeBook()));
      const wall = Math.round((performance.now() - t0) / 100) / 10;
      const after = state();
      const same = after === before;
      outcomes.forEach((o, i) => {
        table.push(`round ${round} run ${i + 1}: exit ${o.code} in ${o.seconds} s: ${o.summary}`);
        if (o.code !== 0) problems.push(`round ${round} run ${i + 1} (exit ${o.code}):\n${o.failures}`);
      });
      table.push(`round ${round}: ${wall} s wall, host state ${same ? "unchanged" : "CHANGED"}`);
      if (!same) problems.push(`round ${round}: host state changed`);
    }
    console.log(table.join("\n"));
    expect(problems, problems.join("\n\n")).toEqual([]);
  });
});
