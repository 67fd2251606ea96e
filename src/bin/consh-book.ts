#!/usr/bin/env node
// The consh-book executable. Where Node has a compile cache (22.1+), it is
// turned on first, in a directory only this user can write (util/compile-cache.ts),
// so that the modules loaded after it are not compiled again at the next start;
// then the CLI (main.ts) runs. Each command's modules load when it is used.

import module from "node:module";
import { compileCacheDir } from "../util/compile-cache.js";

type WithCompileCache = typeof module & { enableCompileCache?: (dir: string) => unknown };

if (process.env.CONSH_DEBUG) process.setSourceMapsEnabled(true); // stack traces point into src/
const enable = (module as WithCompileCache).enableCompileCache;
if (typeof enable === "function") {
  const dir = compileCacheDir(process.env);
  if (dir !== undefined) enable(dir);
}
const { start } = await import("./main.js");
await start();
