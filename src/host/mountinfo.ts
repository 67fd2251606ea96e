// Reads /proc/self/mountinfo: where each filesystem of this mount namespace is mounted.

import { readFileSync } from "node:fs";

interface Mount {
  id: number;
  parent: number;
  mountPoint: string;
  fsType: string;
  source: string;
  superOptions: string[];
}

/** Mount points use octal escapes for space, tab, newline and backslash. */
function unescapeMountPath(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

export function readMounts(file = "/proc/self/mountinfo"): Mount[] {
  const mounts: Mount[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    const [left, right] = line.split(" - ");
    if (!left || !right) continue;
    const f = left.split(" ");
    const r = right.split(" ");
    mounts.push({
      id: Number(f[0]),
      parent: Number(f[1]),
      mountPoint: unescapeMountPath(f[4] ?? ""),
      fsType: r[0] ?? "",
      source: unescapeMountPath(r[1] ?? ""),
      superOptions: (r[2] ?? "").split(","),
    });
  }
  return mounts;
}
