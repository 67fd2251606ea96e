// doctor and the check run makes first, on this real host, and on this host
// seen through a PATH without busybox (a host that lacks it): named chapters are
// refused up front; --all and --next run what the host can and name the rest.
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Ajv } from "ajv";
import type { JsonReport } from "../../src/report/json.js";
import { cli, env, ROOT, sandbox, type Sandbox } from "./helpers.js";

let noBusybox: string;
let box: Sandbox;
beforeAll(() => {
  noBusybox = mkdtempSync(join(tmpdir(), "consh-path-"));
  for (const dir of ["/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"]) {
    let entries: string[] = [];
    try {
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e === "busybox") continue;
      try {
        symlinkSync(join(dir, e), join(noBusybox, e));
      } catch {
        // already linked from an earlier directory
      }
    }
  }
  box = sandbox("basic");
});
afterAll(() => {
  rmSync(noBusybox, { recursive: true, force: true });
  box.remove();
});

describe("doctor", () => {
  it("passes every check and every chapter of the book on this host", async () => {
    const r = await cli(["doctor"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✓ a statically linked busybox: .*busybox is statically linked/);
    expect(r.stdout).toMatch(/✓ a cgroup2 hierarchy: layout (hybrid|v2)/);
    expect(r.stdout).toMatch(/✓ chapter-12: One more thing/);
    expect(r.stdout).toMatch(/Every chapter can run here\./);
  });

  it("says what a host without busybox lacks, per chapter, with install commands, and exits 3", async () => {
    const r = await cli(["doctor", "--book", box.book], { env: env({ PATH: noBusybox }) });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/✗ a statically linked busybox: busybox is not installed/);
    expect(r.stdout).toMatch(/✓ chapter-01: State lives on/);
    expect(r.stdout).toMatch(
      /✗ chapter-02: Shells change.*\n.*needed by chapter-02\)\n\s+Debian\/Ubuntu: sudo apt-get install -y busybox-static\n\s+Fedora:\s+sudo dnf install -y busybox/,
    );
  });

  it("run refuses up front with the same message and exit 3, and runs nothing", async () => {
    const r = await cli(["run", "2", "--book", box.book, "--work-dir", box.work], { env: env({ PATH: noBusybox }) });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/this host cannot run chapter-02:\n\s+✗ a statically linked busybox/);
    expect(r.stdout).toBe("");
  });
});

describe("run --all and --next on a host that cannot run every chapter", () => {
  const schema = JSON.parse(readFileSync(join(ROOT, "src/report/report.schema.json"), "utf8")) as object;
  const validate = new Ajv({ allErrors: true, strict: true }).compile<JsonReport>(schema);
  const noBusyboxEnv = (extra: Record<string, string> = {}) => env({ PATH: noBusybox, XDG_STATE_HOME: join(box.dir, "state"), ...extra });

  it("--all runs every chapter it can, names the others with the reason and the fix, and exits 3", async () => {
    const json = join(box.dir, "partial.json");
    const r = await cli(["run", "--all", "--book", box.book, "--work-dir", box.work, "--json", json], { env: noBusyboxEnv({ CI: "true" }) });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(
      /this host cannot run chapter-02; running the one chapter it can .*\n\s+✗ a statically linked busybox: busybox is not installed \(needed by chapter-02\)\n\s+Debian\/Ubuntu: sudo apt-get install -y busybox-static/,
    );
    expect(r.stdout).toMatch(/chapter-01 passed/);
    expect(r.stdout).not.toMatch(/still-there/);
    expect(r.stdout).toMatch(/not run: this host cannot run chapter-02/);
    const doc = JSON.parse(readFileSync(json, "utf8")) as JsonReport;
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect([doc.passed, doc.chapters.map((c) => c.id), doc.cannotRun.map((c) => c.id)]).toEqual([false, ["chapter-01"], ["chapter-02"]]);
    expect(doc.cannotRun[0]!.checks).toMatchObject([{ id: "busybox", neededBy: "chapter-02", fix: { debian: "sudo apt-get install -y busybox-static" } }]);
  });

  it("--all exits 1 when a step it ran failed, chapters left out or not", async () => {
    const b = sandbox("basic");
    try {
      appendFileSync(join(b.book, "chapters/chapter-01-state.md"), "\n```sh {step=fails}\nfalse\n```\n");
      const r = await cli(["run", "--all", "--book", b.book, "--work-dir", b.work], { env: noBusyboxEnv() });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/not run: this host cannot run chapter-02/);
    } finally {
      b.remove();
    }
  });

  it("--next runs the first chapter it can, passing over (and naming) one it cannot; with only those left, it says why and exits 3", async () => {
    const b = sandbox("basic");
    try {
      writeFileSync(join(b.book, "chapters/chapter-03-echo.md"), "---\ntitle: Echo\n---\n\n```sh {step=hello}\necho hello\n```\n");
      const next = () => cli(["run", "--next", "--book", b.book, "--work-dir", b.work], { env: noBusyboxEnv({ XDG_STATE_HOME: join(b.dir, "state") }) });
      const first = await next();
      expect([first.code, first.stdout]).toEqual([0, expect.stringMatching(/^next: chapter-01/)]);
      const second = await next();
      expect(second.code).toBe(3);
      expect(second.stdout).toMatch(/^this host cannot run chapter-02; running the next chapter it can .*\n\s+✗ a statically linked busybox/);
      expect(second.stdout).toMatch(/next: chapter-03: Echo[\s\S]*chapter-03 passed/);
      const third = await next();
      expect(third.code).toBe(3);
      expect(third.stderr).toMatch(/this host cannot run any chapter that has not passed yet:\n\s+✗ a statically linked busybox: .*\(needed by chapter-02\)/);
      expect(third.stdout).toBe("");
    } finally {
      b.remove();
    }
  });
});
