// .github/workflows/book.yml cannot run here: validate it with GitHub's own
// workflow parser (@actions/workflow-parser, which checks a workflow against
// GitHub's workflow schema, shipped inside the package: no network needed),
// and check that it runs what it promises.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { NoOperationTraceWriter, parseWorkflow } from "@actions/workflow-parser";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const FILE = ".github/workflows/book.yml";
const text = readFileSync(join(ROOT, FILE), "utf8");

function errorsOf(content: string): string[] {
  const result = parseWorkflow({ name: FILE, content }, new NoOperationTraceWriter());
  return result.context.errors.getErrors().map((e) => e.message);
}

interface Workflow {
  jobs: Record<
    string,
    { strategy: { matrix: { os: string[]; runner: string[] } }; steps: { uses?: string; run?: string; if?: string; with?: Record<string, string> }[] }
  >;
}

describe("the GitHub workflow", () => {
  it("is valid by GitHub's workflow schema", () => {
    expect(errorsOf(text)).toEqual([]);
  });

  it("the same check rejects a broken workflow (so the check above can fail)", () => {
    expect(errorsOf(text.replace("runs-on:", "runs_on:")).join("\n")).toMatch(/runs_on|runs-on/);
    expect(errorsOf(text.replace("timeout-minutes: 30", "timeout-minutes: soon")).length).toBeGreaterThan(0);
  });

  it("runs the tests and the whole book on ubuntu-22.04 and 24.04, as root and as an ordinary user, and uploads the reports", () => {
    const wf = parse(text) as Workflow;
    const job = Object.values(wf.jobs)[0]!;
    expect(job.strategy.matrix.os).toEqual(["ubuntu-22.04", "ubuntu-24.04"]);
    expect(job.strategy.matrix.runner).toEqual(["user", "root"]);
    const runs = job.steps.map((s) => s.run ?? "").join("\n");
    expect(runs).toMatch(/sh \.ci\/setup-host\.sh --tests/);
    expect(runs).toMatch(/vitest run --config test\/vitest\.config\.ts/);
    expect(runs).toMatch(/consh-book\.js run --all --json reports\/book\.json --junit reports\/book\.xml/);
    const sysctl = job.steps.find((s) => s.run?.includes("apparmor_restrict_unprivileged_userns=0"));
    expect(sysctl?.if).toBe("matrix.os == 'ubuntu-24.04'");
    const upload = job.steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    expect(upload?.if).toBe("always()");
    expect(upload?.with?.path).toBe("reports/");
  });
});
