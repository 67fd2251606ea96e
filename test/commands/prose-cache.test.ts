// Prose parsed once is taken from the cache for the same text, parsed afresh for
// any other text or a damaged file, and never read from a place others can write.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { proseCacheDir, proseOf } from "../../src/commands/prose-cache.js";
import { parseProse } from "../../src/report/prose-parse.js";

let root: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "consh-prose-cache-"));
  env = { XDG_CACHE_HOME: join(root, "cache") };
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const only = () => join(proseCacheDir(env), readdirSync(proseCacheDir(env))[0]!);

describe("the prose cache", () => {
  it("parses the first time, then gives the same prose from its file", async () => {
    const first = await proseOf("Some *prose* with `code`.\n", env);
    expect(first).toEqual(parseProse("Some *prose* with `code`.\n"));
    expect(readdirSync(proseCacheDir(env))).toHaveLength(1);
    // Changed in the file, the prose comes back changed: it was read from there.
    const c = JSON.parse(readFileSync(only(), "utf8"));
    c.prose[0].spans[0].text = "from the cache ";
    writeFileSync(only(), JSON.stringify(c));
    expect(await proseOf("Some *prose* with `code`.\n", env)).toEqual([
      { kind: "paragraph", spans: [{ text: "from the cache " }, { code: true, text: "code" }, { text: "." }] },
    ]);
  });

  const PLANTED = [{ kind: "paragraph", spans: [{ text: "planted" }] }];

  it("is used only for the very text it was parsed from", async () => {
    await proseOf("first text\n", env);
    const c = JSON.parse(readFileSync(only(), "utf8"));
    writeFileSync(only(), JSON.stringify({ ...c, prose: PLANTED }));
    expect(await proseOf("first text\n", env)).toEqual(PLANTED); // (the file is read)
    writeFileSync(only(), JSON.stringify({ ...c, source: "other text\n", prose: PLANTED }));
    expect(await proseOf("first text\n", env)).toEqual(parseProse("first text\n"));
  });

  it("is used only by the build of consh-book that parsed it", async () => {
    await proseOf("some text\n", env);
    const c = JSON.parse(readFileSync(only(), "utf8"));
    writeFileSync(only(), JSON.stringify({ ...c, build: `${c.build}x`, prose: PLANTED }));
    expect(await proseOf("some text\n", env)).toEqual(parseProse("some text\n"));
  });

  it("parses afresh when the file holds something else than prose", async () => {
    await proseOf("some text\n", env);
    const c = JSON.parse(readFileSync(only(), "utf8"));
    for (const prose of [[{ kind: "code" }], [{ kind: "table" }], [{ kind: "paragraph", spans: [{}] }], {}]) {
      writeFileSync(only(), JSON.stringify({ ...c, prose }));
      expect(await proseOf("some text\n", env)).toEqual(parseProse("some text\n"));
    }
  });

  it("parses afresh when the file is not JSON", async () => {
    await proseOf("# A heading\n", env);
    writeFileSync(only(), "{ not json");
    expect(await proseOf("# A heading\n", env)).toEqual(parseProse("# A heading\n"));
  });

  it("does not read a file that others can write", async () => {
    await proseOf("trusted?\n", env);
    const c = JSON.parse(readFileSync(only(), "utf8"));
    c.prose = PLANTED;
    writeFileSync(only(), JSON.stringify(c));
    chmodSync(only(), 0o666);
    expect(await proseOf("trusted?\n", env)).toEqual(parseProse("trusted?\n"));
  });
});
