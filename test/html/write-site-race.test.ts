// html --out against a local user who changes the path while the site is written:
// the interleaving is forced through writeSite's seams (before each mkdir and write),
// not hoped for in a loop. Writes go through the directory opened and checked, so
// a link or another user's directory planted after the check is refused (exit 5).
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ExitCode } from "../../src/errors.js";
import type { SiteFile } from "../../src/html/site.js";
import { MARKER, writeSite } from "../../src/html/write-site.js";
import { failure } from "../support/failure.js";

const root = process.getuid?.() === 0;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
/** A directory like /tmp: anyone may make entries in it (sticky), and a victim directory beside it. */
function shared() {
  const base = mkdtempSync(join(tmpdir(), "consh-html-race-"));
  dirs.push(base);
  const tmp = join(base, "tmp");
  mkdirSync(tmp);
  chmodSync(tmp, 0o1777);
  const victim = join(base, "victim");
  mkdirSync(victim, { mode: 0o700 });
  return { tmp, victim };
}
const files: SiteFile[] = [
  { path: "index.html", content: "<p>index</p>" },
  { path: "figures/a.svg", content: "<svg/>" },
];
/** A seam that plants something at its first call only (the moment after the checks, before the first mkdir). */
const once = (plant: () => void) => {
  let done = false;
  return () => {
    if (!done) plant();
    done = true;
  };
};

describe("writeSite against a path changed after its check", () => {
  it("refuses a symbolic link planted where it is about to make a directory, and writes nothing through it", () => {
    const { tmp, victim } = shared();
    const out = join(tmp, "x", "site");
    const e = failure(() => writeSite(out, files, { beforeMkdir: once(() => symlinkSync(victim, join(tmp, "x"))) }));
    expect(e.exitCode).toBe(ExitCode.environment);
    expect(e.message).toMatch(/x is a symbolic link/);
    expect(readdirSync(victim)).toEqual([]);
  });

  it.runIf(root)("refuses another user's directory made in between, with a link to root's directory in it (exit 5)", () => {
    const { tmp, victim } = shared();
    const out = join(tmp, "x", "site");
    const plant = () => {
      mkdirSync(join(tmp, "x"));
      symlinkSync(victim, join(tmp, "x", "site"));
      chownSync(join(tmp, "x"), 1000, 1000);
    };
    const e = failure(() => writeSite(out, files, { beforeMkdir: once(plant) }));
    expect(e.exitCode).toBe(ExitCode.environment);
    expect(e.message).toMatch(/x is owned by uid 1000/);
    expect(readdirSync(victim)).toEqual([]);
  });

  it("writes through the directories it opened: a sub-folder swapped for a link after its check is not followed", () => {
    const { tmp, victim } = shared();
    const out = join(tmp, "site");
    const swap = (path: string) => {
      if (!path.endsWith("/figures/a.svg")) return;
      renameSync(join(out, "figures"), join(out, "figures.old"));
      symlinkSync(victim, join(out, "figures"));
    };
    writeSite(out, files, { beforeWrite: swap });
    expect(readdirSync(victim)).toEqual([]);
    expect(readFileSync(join(out, "figures.old", "a.svg"), "utf8")).toBe("<svg/>");
  });
});

describe("writeSite when a rename fails", () => {
  it("removes its temp file and says what failed (exit 5)", () => {
    const { tmp } = shared();
    const out = join(tmp, "site");
    writeSite(out, files);
    rmSync(join(out, "index.html"));
    mkdirSync(join(out, "index.html", "keep"), { recursive: true }); // rename(2) cannot replace a non-empty directory
    const e = failure(() => writeSite(out, files));
    expect(e.exitCode).toBe(ExitCode.environment);
    expect(e.message).toMatch(/cannot write the site to .*site: .*index\.html/);
    expect(e.message).not.toMatch(/\/proc\/self\/fd/);
    expect(readdirSync(out).sort()).toEqual([MARKER, "figures", "index.html"]);
  });
});
