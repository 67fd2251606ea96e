// Bundles the practice driver (practice-chapter.ts, with the book parser and the
// tmux driver) into one script a guest runs with its own Node.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Writes the bundle to `out` (a file). */
export function buildPracticeDriver(out) {
  buildSync({
    absWorkingDir: root,
    entryPoints: [join(root, "test/hosts/practice-chapter.ts")],
    outfile: out,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20.19",
    logLevel: "warning",
    banner: { js: 'import { createRequire as __consh_createRequire } from "node:module"; const require = __consh_createRequire(import.meta.url);' },
  });
}
