// The consh-book executable: loads the bundled CLI (main.cjs next to it) and,
// only when a command needs one, the bundle of a library (markdown-it.cjs,
// execa.cjs, ...), each with the V8 code cache the build made for it, so Node
// neither compiles them at every start nor reads what the command does not use.
//
// A cache is used only when its first line names the checksum of its bundle as
// it is now (V8 itself checks only the source's length) and of the cache's own
// data (V8 does not check it: damaged data can crash Node), and when it belongs
// to the bundle's owner and no one else can write it: its bytecode runs as
// consh-book. Otherwise the bundle is compiled as usual; nothing is ever written
// here at run time.

import { isAscii } from "node:buffer";
import { closeSync, fstatSync, openSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Script } from "node:vm";
import { checksum } from "../util/checksum.js";

/** The libraries bundled apart from main.cjs: a command that does not use one never reads it. */
export const LIBRARIES = ["markdown-it", "execa", "yaml", "diff"] as const;

export const bundleFile = (name: string) => join(__dirname, `${name}.cjs`);
export const cacheFile = (name: string) => `${bundleFile(name)}.cache`;

/**
 * The cache's first line for the bundle's bytes and the V8 data that follows it
 * (undefined: no checksums on this Node). It names the Node that made it: V8
 * takes a cache from another Node with the same V8 version (20.20.2's in 20.19.0),
 * and the code it then runs is wrong (a variable the bundle set reads undefined).
 */
export function cacheHeader(bundle: Buffer, data: Buffer): string | undefined {
  const sums = [checksum(bundle), checksum(data)];
  return sums.every((s) => s !== undefined) ? `consh-book code cache 4 ${process.version} ${process.arch} ${sums.join(" ")}\n` : undefined;
}

/** The V8 data of a cache that is the bundle's and matches its bytes, else undefined. */
function trustedCache(name: string, bundle: Buffer): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(cacheFile(name), "r");
    const cache = fstatSync(fd); // the file read is the file checked
    if (!cache.isFile() || cache.uid !== statSync(bundleFile(name)).uid || (cache.mode & 0o022) !== 0) return undefined;
    const bytes = readFileSync(fd);
    const newline = bytes.indexOf(10);
    const data = bytes.subarray(newline + 1);
    const header = cacheHeader(bundle, data);
    return header !== undefined && newline > 0 && bytes.subarray(0, newline + 1).toString("latin1") === header ? data : undefined;
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

/** The bundles loaded so far, by name: main and the libraries. */
export type Loaded = Map<string, { exports: unknown; script: Script }>;

/** Compiles and runs a bundle as a CommonJS module (with its cache when `useCache`), once. */
function load(name: string, useCache: boolean, loaded: Loaded): unknown {
  const known = loaded.get(name);
  if (known) return known.exports;
  const file = bundleFile(name);
  const bundle = readFileSync(file);
  // The build writes ASCII only, which is read faster as Latin-1 than decoded as UTF-8.
  const source = isAscii(bundle) ? bundle.toString("latin1") : bundle.toString("utf8");
  const cachedData = useCache ? trustedCache(name, bundle) : undefined;
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const mod = { exports: {} };
  loaded.set(name, { exports: mod.exports, script });
  // A bundle's require() finds the other bundles first, then Node's own modules.
  const requireBundle = (id: string) => ((LIBRARIES as readonly string[]).includes(id) ? load(id, useCache, loaded) : require(id));
  try {
    script.runInThisContext().call(mod.exports, mod.exports, requireBundle, mod, file, __dirname);
  } catch (err) {
    loaded.delete(name); // as Node's loader does: a later require() runs it again, never half-made exports
    throw err;
  }
  loaded.set(name, { exports: mod.exports, script });
  return mod.exports;
}

/** Loads main.cjs (and later, on demand, the libraries' bundles); its exports and every bundle loaded. */
export function loadMain(useCache: boolean): { main: MainModule; loaded: Loaded } {
  const loaded: Loaded = new Map();
  return { main: load("main", useCache, loaded) as MainModule, loaded };
}

if (require.main === module) void loadMain(true).main.start();
