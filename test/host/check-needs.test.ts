// Which chapters a failing host check keeps from running: read from what their
// steps run, so that run --all leaves out only what cannot run (a host without
// unprivileged user namespaces still runs the chapters that make none).
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadBook } from "../../src/book/load-book.js";
import { failingFor, runChecks } from "../../src/host/checks.js";
import { EVERY_PROBE, probeHost } from "../../src/host/probe.js";
import { unrunnable } from "../../src/host/runnable.js";
import { chapterOf, stepOf } from "../support/factories.js";

const hostWithout = async (what: "userns" | "overlayUserns") => {
  const host = await probeHost(EVERY_PROBE, process.env);
  host[what] = { ok: false, detail: "refused here" };
  if (what === "overlayUserns") host.caps.delete("overlay-userns");
  return host;
};
const chapter = (...texts: string[]) => chapterOf({ blocks: texts.map((text) => stepOf({ text })) });
const needsUserns = async (...texts: string[]) => {
  const checks = await runChecks(await hostWithout("userns"));
  return failingFor(chapter(...texts), checks).some((c) => c.id === "userns");
};

describe("the user namespace check", () => {
  it("is needed by a step that makes a user namespace, or starts the container", async () => {
    expect(await needsUserns("unshare --user --pid --fork true\n")).toBe(true);
    expect(await needsUserns("unshare -Ur sh\n")).toBe(true);
    expect(await needsUserns('exec ../consh/consh_setup.sh -c "$CONSH_NAME" -h tekapo lower .\n')).toBe(true);
  });

  it("is not needed for unshare as root, its version, or the set-up script's usage and syntax", async () => {
    expect(await needsUserns("sudo unshare --pid --fork true\n", "unshare --version\n")).toBe(false);
    expect(await needsUserns("consh/consh_setup.sh\n", "sh -n consh/consh_setup.sh && echo parses\n")).toBe(false);
  });

  it("leaves the book's chapters 1, 2, 4 and 5 runnable on a host without it", async () => {
    const book = loadBook(fileURLToPath(new URL("../../", import.meta.url)));
    const checks = await runChecks(await hostWithout("userns"));
    const cannot = unrunnable(book, book.chapters, checks).map((x) => x.chapter.number);
    expect(cannot).toEqual([3, 6, 7, 8, 9, 10, 11, 12]);
  });
});

describe("the overlay-in-a-user-namespace check", () => {
  it("does not keep chapter 12 from running: its inner container's steps require overlay-userns and are skipped", async () => {
    const book = loadBook(fileURLToPath(new URL("../../", import.meta.url)));
    const checks = await runChecks(await hostWithout("overlayUserns"));
    expect(checks.find((c) => c.id === "overlay-userns")!.ok).toBe(false);
    expect(unrunnable(book, book.chapters, checks)).toEqual([]);
  });

  it("keeps a chapter from running that nests a container without requiring it", async () => {
    const nesting = chapterOf({ blocks: [stepOf({ terminal: "inner", text: "mount -t tmpfs tmpfs /inner\nexec /consh/consh_setup.sh -c inner lower .\n" })] });
    const checks = await runChecks(await hostWithout("overlayUserns"), [nesting]);
    expect(failingFor(nesting, checks).map((c) => c.id)).toEqual(["overlay-userns"]);
  });
});
