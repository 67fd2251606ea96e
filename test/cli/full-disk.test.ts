// A report and progress.json on a really full disk (a 1 MiB tmpfs, as root): the run's
// verdict is printed, then exit 5; the previous report and the progress are left whole.
// The tmpfs is mounted on a directory this test made and unmounted on every path.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, statfsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runIn, type Sandbox, sandboxes } from "./helpers.js";

const box = sandboxes();
let mounted: string | undefined;
const unmount = () => {
  if (mounted) execFileSync("umount", [mounted]);
  mounted = undefined;
};
afterEach(unmount); // before the sandbox under it is removed (afterEach hooks run in reverse order)

/** A book whose one step prints `bytes` bytes (so the --json report holds them), and a 1 MiB tmpfs in its sandbox. */
function loudBookOnSmallDisk(bytes: number): { b: Sandbox; disk: string } {
  const b = box("basic");
  for (const f of readdirSync(join(b.book, "chapters"))) if (f !== "chapter-01-state.md") execFileSync("rm", [join(b.book, "chapters", f)]);
  writeFileSync(
    join(b.book, "chapters", "chapter-01-state.md"),
    `---\ntitle: Loud\n---\n\nA loud step.\n\n\`\`\`sh {step=loud}\nhead -c ${bytes} /dev/zero | tr '\\\\0' a; echo\n\`\`\`\n`,
  );
  execFileSync("rm", ["-f", join(b.book, "snapshots", "chapter-01.snap"), join(b.book, "snapshots", "chapter-02.snap")]);
  const disk = join(b.dir, "small-disk");
  mkdirSync(disk, { mode: 0o700 });
  execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m,mode=0700", "consh-test-full", disk]);
  mounted = disk;
  return { b, disk };
}

describe.runIf(process.getuid?.() === 0)("a full disk after the run (a real 1 MiB tmpfs)", () => {
  it("a 3 MB --json report that does not fit: exit 5, the previous report left as it was, no temp file", async () => {
    const { b, disk } = loudBookOnSmallDisk(3_000_000);
    try {
      writeFileSync(join(disk, "r.json"), '{"previous":true}\n');
      const r = await runIn(b, ["1", "--json", join(disk, "r.json")]);
      expect(r.stdout).toMatch(/chapter-01 passed/); // the verdict first
      expect(r.stderr).toMatch(/could not write the --json report to .*r\.json: ENOSPC/);
      expect(r.code).toBe(5);
      expect(readFileSync(join(disk, "r.json"), "utf8")).toBe('{"previous":true}\n');
      expect(readdirSync(disk)).toEqual(["r.json"]);
    } finally {
      unmount();
    }
  });

  it("progress.json on a disk with 8 KiB left: exit 5, and the 40 KB of progress kept, not cut short", async () => {
    const { b, disk } = loudBookOnSmallDisk(10);
    try {
      const file = join(disk, "consh-book", "progress.json");
      mkdirSync(join(disk, "consh-book"), { mode: 0o700 });
      const at = "2025-01-01T00:00:00.000Z";
      const books = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`/books/b${i}`, { "chapter-01": { status: "passed", at } }]));
      const before = `${JSON.stringify({ version: 1, books }, null, 2)}\n`;
      writeFileSync(file, before);
      const st = statfsSync(disk);
      writeFileSync(join(disk, "filler"), Buffer.alloc(st.bavail * st.bsize - 8192));
      const r = await runIn(b, ["1"], { XDG_STATE_HOME: disk });
      expect(r.stdout).toMatch(/chapter-01 passed/);
      expect(r.stderr).toMatch(/note: your progress was not saved: cannot write the progress file .*progress\.json: ENOSPC/);
      expect(r.code).toBe(0); // the book's verdict: only the progress could not be saved
      expect(readFileSync(file, "utf8")).toBe(before);
      expect(readdirSync(join(disk, "consh-book"))).toEqual(["progress.json"]);
    } finally {
      unmount();
    }
  });
});
