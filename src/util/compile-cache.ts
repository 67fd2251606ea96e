// Where Node may keep its compile cache for consh-book (module.enableCompileCache,
// Node 22.1+): a directory of consh-book's own cache that this user alone can
// write, since the cached code runs as consh-book, often as root. Never Node's
// shared default under the temp directory; nowhere, if no such directory can be had.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { cacheRoot } from "./cache-file.js";
import { writableDirProblem } from "./safe-write.js";
import { ancestorProblem, currentUid } from "./trust.js";

export function compileCacheDir(env: NodeJS.ProcessEnv): string | undefined {
  const dir = join(cacheRoot(env), "compile");
  const uid = currentUid();
  try {
    if (ancestorProblem(dir, uid, { allowMissing: true })) return undefined;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return writableDirProblem(dir, uid) ? undefined : dir;
  } catch {
    return undefined;
  }
}
