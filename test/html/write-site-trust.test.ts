// Where `html --out` may write: never into a directory, marker or subfolder another
// user could change, never through a link, and it removes only regular files its
// own marker lists inside the site. Owner changes need root; those cases skip otherwise.
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
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
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), "consh-html-trust-"));
  chmodSync(d, 0o755);
  dirs.push(d);
  return d;
};
const files: SiteFile[] = [
  { path: "index.html", content: "<p>index</p>" },
  { path: "figures/a.svg", content: "<svg/>" },
];

describe("writeSite trust", () => {
  it.runIf(root)("refuses an out dir another user owns (exit 5), even with a marker, and touches nothing", () => {
    const base = tmp();
    const victim = join(base, "victim");
    mkdirSync(victim);
    writeFileSync(join(victim, "shadow"), "secret");
    const out = join(base, "out");
    mkdirSync(out);
    chmodSync(out, 0o777);
    symlinkSync(victim, join(out, "figures"));
    writeFileSync(join(out, MARKER), JSON.stringify(["figures/shadow"]));
    chownSync(out, 1000, 1000);
    chownSync(join(out, MARKER), 1000, 1000);
    const e = failure(() => writeSite(out, files));
    expect(e.exitCode).toBe(ExitCode.environment);
    expect(e.message).toMatch(/out is owned by uid 1000, not by uid 0/);
    expect(e.hint).toMatch(/--out/);
    expect(readFileSync(join(victim, "shadow"), "utf8")).toBe("secret");
    expect(readdirSync(victim)).toEqual(["shadow"]);
    expect(readdirSync(out).sort()).toEqual([MARKER, "figures"]);
  });

  it("refuses an out dir of its own that others may write (exit 5)", () => {
    const out = join(tmp(), "out");
    mkdirSync(out);
    chmodSync(out, 0o777);
    const e = failure(() => writeSite(out, files));
    expect(e.exitCode).toBe(ExitCode.environment);
    expect(e.message).toMatch(/writable by group or others \(mode 0777\)/);
    expect(readdirSync(out)).toEqual([]);
  });

  it.runIf(root)("refuses an out dir under a directory another user owns (exit 5)", () => {
    const parent = join(tmp(), "theirs");
    mkdirSync(parent);
    chownSync(parent, 1000, 1000);
    const e = failure(() => writeSite(join(parent, "site"), files));
    expect(e.exitCode).toBe(ExitCode.environment);
    expect(e.message).toMatch(/theirs is owned by uid 1000/);
    expect(existsSync(join(parent, "site"))).toBe(false);
  });

  it("refuses an out dir that is a symlink (exit 5)", () => {
    const base = tmp();
    mkdirSync(join(base, "real"));
    symlinkSync(join(base, "real"), join(base, "out"));
    expect(failure(() => writeSite(join(base, "out"), files)).message).toMatch(/is a symbolic link/);
    expect(readdirSync(join(base, "real"))).toEqual([]);
  });

  it("never writes through a symlinked subfolder or a symlinked marker", () => {
    const base = tmp();
    const victim = join(base, "victim");
    mkdirSync(victim);
    const out = join(base, "out");
    writeSite(out, files);
    rmSync(join(out, "figures"), { recursive: true });
    symlinkSync(victim, join(out, "figures"));
    const e = failure(() => writeSite(out, files));
    expect(e.exitCode).toBe(ExitCode.environment);
    expect(e.message).toMatch(/figures is a symbolic link; nothing is written through it/);
    expect(readdirSync(victim)).toEqual([]);

    const out2 = join(base, "out2");
    writeSite(out2, files);
    writeFileSync(join(victim, "target"), "keep");
    rmSync(join(out2, MARKER));
    symlinkSync(join(victim, "target"), join(out2, MARKER));
    expect(failure(() => writeSite(out2, files)).message).toMatch(/\.consh-book-site is a symbolic link; it will not be trusted/);
    expect(readFileSync(join(victim, "target"), "utf8")).toBe("keep");
  });

  it("removes only listed regular files inside the site: no '..', no absolute path, no link, no folder", () => {
    const base = tmp();
    const outside = join(base, "outside");
    writeFileSync(outside, "keep");
    const out = join(base, "out");
    writeSite(out, files);
    writeFileSync(join(out, "old.html"), "old");
    symlinkSync(outside, join(out, "link.html"));
    mkdirSync(join(out, "adir"));
    writeFileSync(join(out, "adir", "x.html"), "x");
    mkdirSync(join(out, "sub"));
    symlinkSync(base, join(out, "sub", "up"));
    writeFileSync(
      join(out, MARKER),
      JSON.stringify(["index.html", "old.html", "../outside", outside, "link.html", "adir", "sub/up/outside", "figures/../../outside"]),
    );
    writeSite(out, files);
    expect(existsSync(join(out, "old.html"))).toBe(false);
    expect(readFileSync(outside, "utf8")).toBe("keep");
    expect(lstatSync(join(out, "link.html")).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(out, "adir", "x.html"), "utf8")).toBe("x");
    expect(JSON.parse(readFileSync(join(out, MARKER), "utf8"))).toEqual(["index.html", "figures/a.svg"]);
    expect(lstatSync(join(out, MARKER)).mode & 0o777).toBe(0o644);
    expect(readdirSync(out).filter((n) => n.includes(".tmp-"))).toEqual([]);
  });
});
