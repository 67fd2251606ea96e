// Mount points as the kernel writes them in mountinfo: octal escapes for space, tab, newline, backslash.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readMounts } from "../../src/host/mountinfo.js";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function mountinfo(text: string): string {
  dir = mkdtempSync(join(tmpdir(), "consh-mountinfo-"));
  const file = join(dir, "mountinfo");
  writeFileSync(file, text);
  return file;
}

describe("readMounts", () => {
  it("undoes the kernel's octal escapes in mount points and sources", () => {
    const file = mountinfo(
      [
        "36 25 0:32 / /tmp/a\\040b\\011c\\012d\\134e rw,relatime shared:1 - tmpfs my\\040src rw,size=10k",
        "37 36 0:33 / /run/netns/consh-ab12cd rw - nsfs nsfs rw",
        "",
      ].join("\n"),
    );
    const [a, b] = readMounts(file);
    expect(a).toEqual({ id: 36, parent: 25, mountPoint: "/tmp/a b\tc\nd\\e", fsType: "tmpfs", source: "my src", superOptions: ["rw", "size=10k"] });
    expect(b).toMatchObject({ id: 37, parent: 36, mountPoint: "/run/netns/consh-ab12cd", fsType: "nsfs" });
  });

  it("skips lines without the optional-fields separator", () => {
    expect(readMounts(mountinfo("garbage line\n36 25 0:32 / /x rw - tmpfs t rw\n"))).toHaveLength(1);
  });

  it("reads this process's own mount table, root included", () => {
    expect(readMounts().some((m) => m.mountPoint === "/")).toBe(true);
  });
});
