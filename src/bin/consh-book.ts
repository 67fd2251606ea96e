// The consh-book executable: loads the bundled CLI (main.cjs next to it) with
// the V8 code cache the build made for it, so Node skips compiling it, and runs it.
//
// The cache is used only when its first line names the SHA-256 of main.cjs as it
// is now (V8 itself checks only the source's length) and of the cache's own data
// (V8 does not check it: damaged data can crash Node), and when it belongs to
// main.cjs's owner and no one else can write it: its bytecode runs as consh-book.
// Otherwise main.cjs is compiled as usual; nothing is ever written here at run time.

import { isAscii } from "node:buffer";
import { createHash } from "node:crypto";
import { closeSync, fstatSync, openSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Script } from "node:vm";

export const MAIN = join(__dirname, "main.cjs");
export const CODE_CACHE = `${MAIN}.cache`;

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** The cache's first line for the bundle's bytes and the V8 data that follows it. */
export function cacheHeader(bundle: Buffer, data: Buffer): string {
  return `consh-book code cache 2 ${sha256(bundle)} ${sha256(data)}\n`;
}

/** The V8 data of a cache that is main.cjs's and matches its bytes, else undefined. */
function trustedCache(bundle: Buffer): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(CODE_CACHE, "r");
    const cache = fstatSync(fd); // the file read is the file checked
    if (!cache.isFile() || cache.uid !== statSync(MAIN).uid || (cache.mode & 0o022) !== 0) return undefined;
    const bytes = readFileSync(fd);
    const newline = bytes.indexOf(10);
    const data = bytes.subarray(newline + 1);
    return newline > 0 && bytes.subarray(0, newline + 1).toString("latin1") === cacheHeader(bundle, data) ? data : undefined;
  } catch {
    return undefined; // no cache: compile as usual
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

interface MainModule {
  start(): Promise<void>;
  warmUp(env: NodeJS.ProcessEnv): Promise<void>;
}

/** Compiles and runs main.cjs as a CommonJS module (with the cache when `useCache`); its exports and script. */
export function loadMain(useCache: boolean): { main: MainModule; script: Script } {
  const bundle = readFileSync(MAIN);
  // The build writes ASCII only, which is read faster as Latin-1 than decoded as UTF-8.
  const source = isAscii(bundle) ? bundle.toString("latin1") : bundle.toString("utf8");
  const cachedData = useCache ? trustedCache(bundle) : undefined;
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: MAIN,
    ...(cachedData ? { cachedData } : {}),
  });
  const mod = { exports: {} as MainModule };
  script.runInThisContext().call(mod.exports, mod.exports, require, mod, MAIN, __dirname);
  return { main: mod.exports, script };
}

if (require.main === module) void loadMain(true).main.start();
