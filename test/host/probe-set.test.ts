// A run makes only the host probes its chapters need (read from what their
// steps run and require); doctor makes them all. Real probes on this host.
import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { loadBook } from "../../src/book/load-book.js";
import { stepsOf, type Step } from "../../src/book/model.js";
import { planRun } from "../../src/book/plan.js";
import { failingFor, probesFor, runChecks } from "../../src/host/checks.js";
import { EVERY_PROBE, probeHost } from "../../src/host/probe.js";
import { chapterOf, stepOf } from "../support/factories.js";

const step = (text: string, requires: string[] = []): Step => stepOf({ text, requires });
const none = { userns: false, utilLinux: false, lsns: false, iproute2: false, overlayUserns: false };

describe("probesFor", () => {
  it("asks for nothing that starts a process when the chapters only write files and echo", () => {
    expect(probesFor([chapterOf({ blocks: [step("echo hello\n")] })])).toEqual(none);
  });

  it("asks for user namespaces and util-linux's version when a step runs unshare", () => {
    expect(probesFor([chapterOf({ blocks: [step("sudo unshare --pid --fork true\n")] })])).toEqual({ ...none, userns: true, utilLinux: true });
  });

  it("asks for lsns only when a step requires lsns-tree, and for ip only when a step runs ip", () => {
    expect(probesFor([chapterOf({ blocks: [step("lsns -T\n", ["lsns-tree"])] })])).toEqual({ ...none, utilLinux: true, lsns: true });
    expect(probesFor([chapterOf({ blocks: [step("ip link add a type veth peer name b\n")] })])).toEqual({ ...none, iproute2: true });
  });

  it("takes every chapter of the run into account", () => {
    const chapters = [chapterOf({ blocks: [step("ip addr\n")] }), chapterOf({ id: "chapter-02", blocks: [step("lsns -T\n", ["lsns-tree"])] })];
    expect(probesFor(chapters)).toEqual({ ...none, utilLinux: true, lsns: true, iproute2: true });
  });
});

describe("probeHost with a set of probes", () => {
  it("reports what it did not probe as not probed, and probes the rest", async () => {
    const host = await probeHost(none, process.env);
    expect(host.userns).toEqual({ ok: false, detail: "not probed: no chapter of this run needs it" });
    expect(host.utilLinux).toBeUndefined();
    expect(host.lsnsTree).toBe(false);
    expect(host.iproute2).toBe(false);
    const all = await probeHost(EVERY_PROBE, process.env);
    expect(all.utilLinux).toMatch(/^\d+\.\d+/);
    expect(all.iproute2).toBe(true);
    // What needs no process is found either way.
    expect(host.cgroup).toEqual(all.cgroup);
    expect(host.busybox).toEqual(all.busybox);
  });
});

describe("the book's chapters with only the probes they need", () => {
  it("meet the same checks and find the same capabilities as with every probe", async () => {
    const book = loadBook(fileURLToPath(new URL("../../", import.meta.url)));
    const all = await probeHost(EVERY_PROBE, process.env);
    const allChecks = await runChecks(all);
    for (const chapter of book.chapters) {
      const planned = planRun(book, [chapter]).map((p) => p.chapter);
      const host = await probeHost(probesFor(planned), process.env);
      const checks = await runChecks(host, planned);
      for (const c of planned) {
        expect(
          failingFor(c, checks).map((f) => f.id),
          `${chapter.id} plans ${c.id}`,
        ).toEqual(failingFor(c, allChecks).map((f) => f.id));
        for (const step of stepsOf(c)) {
          const missing = (h: typeof host) => step.requires.filter((r) => !h.caps.has(r as never));
          expect(missing(host), `${c.id} step ${step.id}`).toEqual(missing(all));
        }
      }
    }
  });
});
