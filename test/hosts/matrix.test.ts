// Unit tests for the host matrix's pure parts: module load order, the runtime
// packages copied into guests, step counting, host-state diffs, the cache's
// never-trust-a-half-built-entry rule, missing tools, and how a row's result is judged.
import { mkdtempSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { afterAll, describe, expect, it } from "vitest";

process.env.CONSH_HOSTS_CACHE = mkdtempSync(join(tmpdir(), "consh-hosts-cache-test-"));
// @ts-expect-error plain .mjs modules without types
const { loadOrder } = await import("./initramfs.mjs");
// @ts-expect-error plain .mjs modules without types
const { runtimePackages } = await import("./job.mjs");
// @ts-expect-error plain .mjs modules without types
const { countSteps, stateDiff } = await import("./outcome.mjs");
// @ts-expect-error plain .mjs modules without types
const { ensure, cached, cacheDir } = await import("./cache.mjs");

afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

describe("loadOrder", () => {
  const dep = [
    "kernel/fs/9p/9p.ko.xz: kernel/net/9p/9pnet.ko.xz kernel/fs/netfs/netfs.ko.xz",
    "kernel/net/9p/9pnet.ko.xz:",
    "kernel/fs/netfs/netfs.ko.xz:",
    "kernel/net/9p/9pnet_virtio.ko.xz: kernel/net/9p/9pnet.ko.xz kernel/fs/netfs/netfs.ko.xz",
    "kernel/fs/overlayfs/overlay.ko.xz:",
  ].join("\n");
  it("puts dependencies first, each module once, and skips built-in ones", () => {
    const order: string[] = loadOrder(dep, ["virtio_pci", "9pnet_virtio", "9p", "overlay"]);
    expect(order).toEqual([
      "kernel/fs/netfs/netfs.ko.xz",
      "kernel/net/9p/9pnet.ko.xz",
      "kernel/net/9p/9pnet_virtio.ko.xz",
      "kernel/fs/9p/9p.ko.xz",
      "kernel/fs/overlayfs/overlay.ko.xz",
    ]);
  });
});

describe("runtimePackages", () => {
  it("keeps what npm ci --omit=dev installs", () => {
    const lock = {
      packages: {
        "": {},
        "node_modules/a": {},
        "node_modules/vitest": { dev: true },
        "node_modules/a/node_modules/b": {},
        "node_modules/fsevents": { optional: true },
      },
    };
    expect(runtimePackages(lock)).toEqual(["node_modules/a", "node_modules/a/node_modules/b"]);
  });
});

describe("countSteps", () => {
  it("counts passed, failed and skipped steps and names the failing ones with their diff", () => {
    const report = {
      chapters: [
        {
          id: "chapter-08",
          steps: [
            { id: "a", status: "passed" },
            { id: "b", status: "started" },
            { id: "c", status: "skipped" },
            { id: "mounts", status: "mismatch", diff: "--- snap\n+++ this run\n@@ -1 +1 @@\n-[CGROUP2] cgroup2\n+/sys/fs/cgroup cgroup2" },
          ],
        },
      ],
    };
    const c = countSteps(report);
    expect([c.passed, c.failed, c.skipped]).toEqual([2, 1, 1]);
    expect(c.failedSteps).toEqual([{ step: "ch08 mounts", status: "mismatch", diff: "-[CGROUP2] cgroup2\n+/sys/fs/cgroup cgroup2" }]);
  });
  it("groups skipped steps by the capability they lack, and names the chapters the run left out", () => {
    const report = {
      chapters: [
        {
          id: "chapter-12",
          steps: [
            { id: "start-inner", status: "skipped", reason: "needs overlay-userns: an overlay can be mounted inside a user namespace" },
            { id: "userns-tree", status: "skipped", reason: "needs lsns-tree: lsns can print the namespace tree" },
            { id: "nested-cgroup", status: "skipped", reason: "needs overlay-userns: ..." },
          ],
        },
      ],
      cannotRun: [{ id: "chapter-11", title: "t", checks: [] }],
    };
    const c = countSteps(report);
    expect(c.skips).toEqual({ "overlay-userns": ["ch12 start-inner", "ch12 nested-cgroup"], "lsns-tree": ["ch12 userns-tree"] });
    expect(c.cannotRun).toEqual(["chapter-11"]);
  });
  it("counts nothing when the run stopped before any step (no report)", () => {
    expect(countSteps(null)).toMatchObject({ passed: 0, failed: 0, skipped: 0 });
  });
});

describe("stateDiff", () => {
  it("is empty for equal states and shows what appeared and disappeared", () => {
    expect(stateDiff("a\nb", "a\nb")).toEqual([]);
    expect(stateDiff("a\nb", "a\nc")).toEqual(["- b", "+ c"]);
  });
});

describe("cache", () => {
  it("never trusts an entry whose build failed, and rebuilds it", async () => {
    await expect(
      ensure("x", "k1", async () => {
        throw new Error("half-built");
      }),
    ).rejects.toThrow("half-built");
    expect(cached("x", "k1")).toBeUndefined();
    expect(readdirSync(cacheDir)).toEqual([]);
    const built = await ensure("x", "k1", async () => {});
    expect(existsSync(built.dir)).toBe(true);
    expect(
      (
        await ensure("x", "k1", async () => {
          throw new Error("not rebuilt");
        })
      ).seconds,
    ).toBe(0);
    expect(cached("x", "k2")).toBeUndefined();
  });
});

describe("requireTools", () => {
  it("names the missing program and the package that provides it", async () => {
    // @ts-expect-error plain .mjs modules without types
    const { requireTools } = await import("./util.mjs");
    expect(() => requireTools([["consh-no-such-program", "consh-pkg"]])).toThrow("missing consh-no-such-program: install with  apt-get install -y consh-pkg");
  });
});

describe("outcome", () => {
  // @ts-expect-error plain .mjs modules without types
  const load = () => import("./outcome.mjs");
  const row = {
    name: "r",
    guest: "g",
    cgroup: "v2",
    init: "systemd",
    runner: "learner",
    uid: 1234,
    gid: 2345,
    expectedExit: 0,
    expectSessionScope: true,
    timeoutSec: 60,
  };
  it("a guest that never finished is not as expected, with why and the console's last lines", async () => {
    const { outcome } = await load();
    const dir = mkdtempSync(join(tmpdir(), "consh-hosts-out-"));
    const r = outcome(row, "6.12", dir, { seconds: 60, timedOut: true, code: "SIGKILL", console: "booting\nstuck here" });
    rmSync(dir, { recursive: true, force: true });
    expect(r.ok).toBe(false);
    expect(r.error).toContain("timed out after 60 s");
    expect(r.error).toContain("stuck here");
  });
  it("a finished run is as expected only with the expected exit, the same host state and a session scope", async () => {
    const { outcome } = await load();
    const dir = mkdtempSync(join(tmpdir(), "consh-hosts-out-"));
    const files: Record<string, string> = {
      done: "",
      exit: "0\n",
      "state-before": "a\nb",
      "state-after": "a\nb",
      cgroup: "0::/user.slice/user-1234.slice/session-1.scope\n",
    };
    for (const [f, t] of Object.entries(files)) writeFileSync(join(dir, f), t);
    expect(outcome(row, "6.12", dir, { seconds: 1 }).ok).toBe(true);
    writeFileSync(join(dir, "cgroup"), "0::/\n");
    expect(outcome(row, "6.12", dir, { seconds: 1 }).ok).toBe(false);
    writeFileSync(join(dir, "cgroup"), files.cgroup!);
    writeFileSync(join(dir, "state-after"), "a\nb\nleft behind");
    const r = outcome(row, "6.12", dir, { seconds: 1 });
    rmSync(dir, { recursive: true, force: true });
    expect([r.ok, r.hostStateSame, r.stateDiff]).toEqual([false, false, ["+ left behind"]]);
  });
});

describe("outcome of a row that practises a chapter", () => {
  it("is as expected only when practice ended with 0 and every step was typed; otherwise it says why, with the screen", async () => {
    // @ts-expect-error plain .mjs modules without types
    const { outcome } = await import("./outcome.mjs");
    const dir = mkdtempSync(join(tmpdir(), "consh-hosts-out-"));
    for (const [f, t] of Object.entries({ done: "", exit: "0\n", "state-before": "a", "state-after": "a" })) writeFileSync(join(dir, f), t);
    const row = { name: "r", guest: "g", runner: "learner", uid: 1234, gid: 2345, expectedExit: 0, timeoutSec: 60, practice: "chapter-07" };
    const practised = (json: string) => {
      writeFileSync(join(dir, "practice.json"), json);
      return outcome(row, "6.12", dir, { seconds: 1 });
    };
    const all = practised('{"exit":0,"typed":8,"skipped":0,"total":8}\n');
    expect([all.ok, all.practice]).toEqual([true, { chapter: "chapter-07", exit: 0, typed: 8, total: 8 }]);
    const some = practised('{"exit":0,"typed":7,"skipped":1,"total":8,"problem":"timed out waiting for the step","screen":["host $"]}\n');
    expect(some.ok).toBe(false);
    expect(some.error).toBe("practising chapter-07: exit 0, 7 of 8 steps typed: timed out waiting for the step\nits screen's last lines:\nhost $");
    expect(practised('{"exit":1,"typed":8,"skipped":0,"total":8}\n').ok).toBe(false);
    rmSync(join(dir, "practice.json"));
    writeFileSync(join(dir, "practice.err"), "node: not found\n");
    const none = outcome(row, "6.12", dir, { seconds: 1 });
    rmSync(dir, { recursive: true, force: true });
    expect([none.ok, none.error]).toEqual([
      false,
      "practising chapter-07: exit -1, 0 of 0 steps typed: the practice driver printed no result: node: not found",
    ]);
  });
});

describe("outcome of a row that cannot run every chapter", () => {
  it("is as expected only when the run left out exactly the chapters the row names", async () => {
    // @ts-expect-error plain .mjs modules without types
    const { outcome } = await import("./outcome.mjs");
    const dir = mkdtempSync(join(tmpdir(), "consh-hosts-out-"));
    const report = { chapters: [{ id: "chapter-01", steps: [{ id: "a", status: "passed" }] }], cannotRun: [{ id: "chapter-03" }, { id: "chapter-06" }] };
    for (const [f, t] of Object.entries({
      done: "",
      exit: "3\n",
      "state-before": "a",
      "state-after": "a",
      "report.json": JSON.stringify(report),
      node: "v20.19.0\n",
    }))
      writeFileSync(join(dir, f), t);
    const row = { name: "r", guest: "g", cgroup: "v2", init: "none", runner: "learner", uid: 1234, gid: 2345, expectedExit: 3, timeoutSec: 60 };
    const ok = outcome({ ...row, expectCannotRun: ["chapter-06", "chapter-03"] }, "6.1", dir, { seconds: 1 });
    expect([ok.ok, ok.cannotRun, ok.node]).toEqual([true, ["chapter-03", "chapter-06"], "v20.19.0"]);
    const other = outcome({ ...row, expectCannotRun: ["chapter-03"] }, "6.1", dir, { seconds: 1 });
    rmSync(dir, { recursive: true, force: true });
    expect(other.ok).toBe(false);
    expect(other.error).toBe("the run left out chapter-03, chapter-06, the row expects chapter-03");
  });
});

describe("rows", () => {
  it("name a kernel by suite, or suite and architecture", async () => {
    // @ts-expect-error plain .mjs modules without types
    const { kernelSpec, rows } = await import("./rows.mjs");
    expect(kernelSpec("bullseye")).toEqual({ suite: "bullseye", arch: "amd64" });
    expect(kernelSpec("trixie-arm64")).toEqual({ suite: "trixie", arch: "arm64" });
    // The oldest Node engines allows is one of the rows.
    const engines = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).engines.node as string;
    expect(rows.map((r: { node?: string }) => r.node)).toContain(`${engines.replace(">=", "")}.0`);
  });
});

describe("testCounts", () => {
  it("reads passed, failed and skipped tests from vitest's JSON report, and nothing from none", async () => {
    // @ts-expect-error plain .mjs modules without types
    const { testCounts } = await import("./node-row.mjs");
    expect(testCounts({ numPassedTests: 390, numFailedTests: 1, numPendingTests: 2, numTodoTests: 0, numRuntimeErrors: 1 })).toEqual({
      passed: 390,
      failed: 2,
      skipped: 2,
    });
    expect(testCounts(null)).toBeUndefined();
  });
});

describe("cache, abandoned builds", () => {
  it("removes what a builder that is gone left, and keeps the entry it then builds", async () => {
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(cacheDir, ".y.building-999999999", "root"), { recursive: true });
    await ensure("y", "k", async () => {});
    expect(readdirSync(cacheDir).filter((e) => e.startsWith(".y."))).toEqual([]);
    expect(cached("y", "k")).toBeDefined();
  });
});
