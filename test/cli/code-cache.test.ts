// The executable loads each bundle with the build's V8 code cache only when the
// cache matches the bundle's bytes and its own, and belongs to the bundle's owner alone; in
// every other case it compiles the bundle as usual and behaves the same. The
// libraries' bundles are read only by the commands that use them.
import { chmodSync, chownSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { env, ROOT } from "./helpers.js";

const BIN = join(ROOT, "dist/bin");
let dir: string;
let bin: string;

/** A copy of the built executable, bundles and caches (with package.json, for --version). */
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "consh-code-cache-"));
  bin = join(dir, "dist/bin");
  mkdirSync(bin, { recursive: true });
  for (const f of readdirSync(BIN).filter((f) => /\.cjs(\.cache)?$/.test(f))) copyFileSync(join(BIN, f), join(bin, f));
  copyFileSync(join(ROOT, "package.json"), join(dir, "package.json"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** For each bundle a command loads, whether V8 took its cache: "accepted", "rejected" or "not offered". */
async function cacheUse(args = ["list", "--book", ROOT], nodeArgs: string[] = []): Promise<Record<string, string>> {
  const probe = `process.argv = ["node", "consh-book", ...${JSON.stringify(args)}];
    const { main, loaded } = require(${JSON.stringify(join(bin, "consh-book.cjs"))}).loadMain(true);
    main.start().then(() => {
      const use = {};
      for (const [name, { script }] of loaded) use[name] = script.cachedDataRejected === undefined ? "not offered" : script.cachedDataRejected ? "rejected" : "accepted";
      process.stderr.write(JSON.stringify(use));
    });`;
  return JSON.parse((await execa("node", [...nodeArgs, "-e", probe], { env: env(), extendEnv: false })).stderr);
}

async function listed(): Promise<string> {
  const r = await execa("node", [join(bin, "consh-book.cjs"), "list", "--book", ROOT], { env: env(), extendEnv: false });
  return r.stdout;
}

describe("the code cache of the bundle", () => {
  it("is taken by V8 as the build wrote it, and starts with the checksums of the bundle and of its data", async () => {
    await listed(); // the book cache is filled: `list` then needs no library
    expect(await cacheUse()).toEqual({ main: "accepted" });
    const header = readFileSync(join(bin, "main.cjs.cache")).subarray(0, 200).toString("latin1").split("\n")[0];
    expect(header).toBe(`consh-book code cache 4 ${process.version} ${process.arch} ${header!.split(" ").slice(6).join(" ")}`);
    expect(header).toMatch(/ [0-9a-f]+-[0-9a-f]{8} [0-9a-f]+-[0-9a-f]{8}$/);
    expect((await execa("node", [join(bin, "consh-book.cjs"), "--version"])).stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("loads a library's bundle only for a command that uses it, with its own cache", async () => {
    await listed(); // the book cache is filled: `list` then needs no library
    expect(await cacheUse()).toEqual({ main: "accepted" });
    // read parses the chapter's prose the first time (markdown-it), then takes it from its cache.
    expect(await cacheUse(["read", "3", "--book", ROOT])).toEqual({ main: "accepted", "markdown-it": "accepted" });
    expect(await cacheUse(["read", "3", "--book", ROOT])).toEqual({ main: "accepted" });
    expect(
      readdirSync(bin)
        .filter((f) => f.endsWith(".cjs.cache"))
        .sort(),
    ).toEqual(["diff", "execa", "main", "markdown-it", "yaml"].map((n) => `${n}.cjs.cache`));
  });

  it("is not offered for a changed bundle of the same length, which still runs as changed", async () => {
    const before = await listed();
    const source = readFileSync(join(bin, "main.cjs"), "latin1");
    // Same length, other bytes: V8's own check (the length) would let stale bytecode through.
    const changed = source.replace("steps  needs", "STEPS  needs");
    expect(changed).not.toBe(source);
    writeFileSync(join(bin, "main.cjs"), changed, "latin1");
    expect((await cacheUse()).main).toBe("not offered");
    expect(await listed()).toBe(before.replace("steps  needs", "STEPS  needs"));
  });

  it("is not offered when its V8 data is damaged (V8 would not notice, and could crash)", async () => {
    const before = await listed();
    const bytes = readFileSync(join(bin, "main.cjs.cache"));
    const at = bytes.indexOf(10) + 1 + Math.floor((bytes.length - bytes.indexOf(10)) / 2);
    bytes[at] = bytes[at]! ^ 0xff;
    writeFileSync(join(bin, "main.cjs.cache"), bytes);
    expect((await cacheUse()).main).toBe("not offered");
    expect(await listed()).toBe(before);
  });

  it("is not offered when others can write it, and the command works the same", async () => {
    const before = await listed();
    chmodSync(join(bin, "main.cjs.cache"), 0o666);
    expect((await cacheUse()).main).toBe("not offered");
    expect(await listed()).toBe(before);
  });

  it.runIf(process.getuid?.() === 0)("is not offered when it belongs to another user than the bundle", async () => {
    chownSync(join(bin, "main.cjs.cache"), 1000, statSync(join(bin, "main.cjs")).gid);
    expect((await cacheUse()).main).toBe("not offered");
  });

  it("is checked for each library's bundle too: a damaged one is not offered", async () => {
    await listed(); // the book cache is filled: `read` then needs no yaml
    const cache = join(bin, "markdown-it.cjs.cache");
    const bytes = readFileSync(cache);
    bytes[bytes.length - 9] = bytes[bytes.length - 9]! ^ 0xff;
    writeFileSync(cache, bytes);
    // (Each call is a new copy's first read, so the prose is parsed: markdown-it loads.)
    expect(await cacheUse(["read", "3", "--book", ROOT])).toEqual({ main: "accepted", "markdown-it": "not offered" });
  });

  it("is not offered on a Node without zlib.crc32 (before 20.15), and the command works the same", async () => {
    const before = await listed();
    const preload = join(dir, "no-crc32.cjs");
    writeFileSync(preload, 'require("node:zlib").crc32 = undefined;\n');
    expect((await cacheUse(["list", "--book", ROOT], ["-r", preload])).main).toBe("not offered");
    const nodeArgs = ["-r", preload, join(bin, "consh-book.cjs"), "list", "--book", ROOT];
    const r = await execa("node", nodeArgs, { env: env(), extendEnv: false });
    expect(r.stdout).toBe(before);
  });

  it("is not offered to another Node than the one that made it (V8 may take it, and run wrong code), and the command works the same", async () => {
    const before = await listed();
    const preload = join(dir, "other-node.cjs");
    writeFileSync(preload, 'Object.defineProperty(process, "version", { value: "v0.0.1-another-node" });\n');
    expect((await cacheUse(["list", "--book", ROOT], ["-r", preload])).main).toBe("not offered");
    const nodeArgs = ["-r", preload, join(bin, "consh-book.cjs"), "list", "--book", ROOT];
    const r = await execa("node", nodeArgs, { env: env(), extendEnv: false });
    expect(r.stdout).toBe(before);
  });

  it("a missing cache: the bundle is compiled as usual", async () => {
    const before = await listed();
    rmSync(join(bin, "main.cjs.cache"));
    expect((await cacheUse()).main).toBe("not offered");
    expect(await listed()).toBe(before);
  });
});
