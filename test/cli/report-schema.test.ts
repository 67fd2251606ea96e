// The --json report's contract: real reports from CLI runs of fixture books
// (passing, failing, timing out, mismatching, a quit in step mode) validate
// against src/report/report.schema.json, checked by ajv.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { afterAll, describe, expect, it } from "vitest";
import type { JsonReport } from "../../src/report/json.js";
import { ROOT, cli, env, sandbox, type Sandbox } from "./helpers.js";

const schema = JSON.parse(readFileSync(join(ROOT, "src/report/report.schema.json"), "utf8")) as object;
const validate = new Ajv({ allErrors: true, strict: true }).compile<JsonReport>(schema);
const boxes: Sandbox[] = [];
afterAll(() => {
  for (const b of boxes) b.remove();
});

async function reportOf(fixture: string, args: string[]): Promise<{ code: number | undefined; doc: unknown }> {
  const b = sandbox(fixture);
  boxes.push(b);
  const file = join(b.dir, "report.json");
  const r = await cli(["run", ...args, "--book", b.book, "--work-dir", b.work, "--json", file], { env: env({ CI: "true" }) });
  return { code: r.code, doc: JSON.parse(readFileSync(file, "utf8")) };
}

function expectValid(doc: unknown): asserts doc is JsonReport {
  const ok = validate(doc);
  expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
  expect(ok).toBe(true);
}

describe("the JSON report validates against its schema", () => {
  it("for a passing book (skipped and background steps included)", async () => {
    const { code, doc } = await reportOf("basic", ["--all"]);
    expect(code).toBe(0);
    expectValid(doc);
    expect(doc.schemaVersion).toBe(2);
    expect(doc.passed).toBe(true);
    expect(doc.chapters.every((c) => c.status === "passed" && c.notRun.length === 0)).toBe(true);
    expect(doc.chapters.flatMap((c) => c.steps).some((s) => s.status === "skipped" && s.skippedBy === "host")).toBe(true);
  });

  it("for a failing book (wrong status, timeout, mismatch, obsolete sections), run with --keep-going", async () => {
    const { code, doc } = await reportOf("failing", ["--all", "--keep-going"]);
    expect(code).toBe(1);
    expectValid(doc);
    const statuses = new Set(doc.chapters.flatMap((c) => c.steps).map((s) => s.status));
    expect(statuses).toContain("failed");
    expect(statuses).toContain("mismatch");
    expect(doc.passed).toBe(false);
  });

  it("rejects a report that breaks the contract (so the checks above can fail)", async () => {
    const { doc } = await reportOf("basic", ["1"]);
    expectValid(doc);
    const broken = structuredClone(doc) as unknown as { chapters: { status: string; steps: { exitCode: unknown }[] }[] };
    broken.chapters[0]!.status = "done";
    expect(validate(broken)).toBe(false);
    const noVersion = { ...(doc as object) } as Record<string, unknown>;
    delete noVersion.schemaVersion;
    expect(validate(noVersion)).toBe(false);
  });
});
