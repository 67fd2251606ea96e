// Writes a tangle block (file=PATH) under the run's work dir.

import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { TangleFile } from "../book/model.js";

export function tangle(workDir: string, file: TangleFile): string {
  const path = join(workDir, file.path);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, file.text);
  chmodSync(path, file.executable ? 0o755 : 0o644);
  return path;
}
