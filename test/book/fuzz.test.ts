// Fuzz test of the chapter and snapshot parsers: mutations of the real chapters and
// snapshots (truncation, CRLF, BOM, long lines, unclosed fences, odd quoting, binary
// bytes, duplicated and removed lines). Every case must parse to a result or throw a
// ConshError (never another exception), and quickly. Seeded and repeatable: set
// CONSH_FUZZ_SEED=N to replay, CONSH_FUZZ_CASES=N for more cases.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseChapter } from "../../src/book/parse-chapter.js";
import { ConshError } from "../../src/errors.js";
import { parseSnapshot } from "../../src/snapshot/format.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SEED = Number(process.env.CONSH_FUZZ_SEED ?? 20261129);
const CASES = Number(process.env.CONSH_FUZZ_CASES ?? 300);
/** A single parse taking longer than this is a hang in the making. */
const SLOW_MS = 2000;

/** mulberry32: a small seeded PRNG, so every case can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)]!;

const ODD = ['"', "\\", "{", "}", "=", "'", "`", " ", "\t", "\u00a0", "é", "\u2028", '\\"', '""', "{}", '="', "step=", "file=", 'redact="X:("', "}}", "{{"];

/** One mutation of `text`; `name` says which, for the failure message. */
const MUTATIONS: Record<string, (t: string, r: Rand) => string> = {
  truncate: (t, r) => t.slice(0, int(r, t.length + 1)),
  crlf: (t) => t.replace(/\n/g, "\r\n"),
  bom: (t) => `\ufeff${t}`,
  "long line": (t, r) => {
    const lines = t.split("\n");
    lines.splice(int(r, lines.length + 1), 0, pick(r, ["x", "`", "=", "[..]", "a", " "]).repeat(20_000 + int(r, 100_000)));
    return lines.join("\n");
  },
  "unclosed fence": (t, r) => {
    const lines = t.split("\n");
    const fences = lines.flatMap((l, i) => (/^\s*(```|~~~)\s*$/.test(l) ? [i] : []));
    if (fences.length === 0) return `${t}\n\`\`\`sh {step=open}\necho`;
    lines.splice(pick(r, fences), 1);
    return lines.join("\n");
  },
  "odd quoting": (t, r) => {
    const lines = t.split("\n");
    const infos = lines.flatMap((l, i) => (l.includes("{") ? [i] : []));
    const at = infos.length ? pick(r, infos) : int(r, lines.length);
    const l = lines[at] ?? "";
    const p = int(r, l.length + 1);
    lines[at] = l.slice(0, p) + pick(r, ODD) + l.slice(p);
    return lines.join("\n");
  },
  binary: (t, r) => {
    let out = t;
    for (let n = 1 + int(r, 20); n > 0; n--) {
      const p = int(r, out.length + 1);
      // Raw bytes as a latin1 reading would give them, plus lone surrogates and NULs.
      const ch = pick(r, [String.fromCharCode(int(r, 256)), "\u0000", "\ud800", "\udfff", "\ufffe", "\ufffd", "\u001b[2J"]);
      out = out.slice(0, p) + ch + out.slice(p);
    }
    return out;
  },
  "random bytes file": (_t, r) => Buffer.from(Array.from({ length: int(r, 4000) }, () => int(r, 256))).toString("utf8"),
  "duplicate lines": (t, r) => {
    const lines = t.split("\n");
    for (let n = 1 + int(r, 5); n > 0; n--) {
      const i = int(r, lines.length);
      const len = 1 + int(r, 6);
      lines.splice(int(r, lines.length + 1), 0, ...lines.slice(i, i + len));
    }
    return lines.join("\n");
  },
  "remove lines": (t, r) => {
    const lines = t.split("\n");
    for (let n = 1 + int(r, 5); n > 0; n--) lines.splice(int(r, lines.length), 1 + int(r, 3));
    return lines.join("\n");
  },
  "swap lines": (t, r) => {
    const lines = t.split("\n");
    const i = int(r, lines.length);
    const j = int(r, lines.length);
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
    return lines.join("\n");
  },
};

interface Case {
  seed: number;
  base: string;
  text: string;
  applied: string[];
}

/** `count` mutated texts of `files`; each case has its own seed, derived from SEED. */
function cases(kind: string, files: { base: string; text: string }[], count: number): Case[] {
  const out: Case[] = [];
  for (let n = 0; n < count; n++) {
    const seed = (SEED ^ Math.imul(n + 1, 0x9e3779b1) ^ (kind === "chapter" ? 0 : 0x5bd1e995)) >>> 0;
    const r = prng(seed);
    const file = pick(r, files);
    const names = Object.keys(MUTATIONS);
    const applied = Array.from({ length: 1 + int(r, 3) }, () => pick(r, names));
    const text = applied.reduce((t, m) => MUTATIONS[m]!(t, r), file.text);
    out.push({ seed, base: file.base, text, applied });
  }
  return out;
}

const read = (dir: string) =>
  readdirSync(join(ROOT, dir))
    .filter((base) => /\.(md|snap)$/.test(base))
    .sort()
    .map((base) => ({ base, text: readFileSync(join(ROOT, dir, base), "utf8") }));

/** Runs `parse`; returns a description of what went wrong, or undefined if all is well. */
function check(parse: () => unknown): string | undefined {
  const started = performance.now();
  try {
    parse();
  } catch (err) {
    if (!(err instanceof ConshError)) return `threw ${(err as Error)?.name}: ${(err as Error)?.message}`;
  }
  const ms = performance.now() - started;
  if (ms > SLOW_MS) return `took ${Math.round(ms)} ms`;
  return undefined;
}

function run(kind: string, all: Case[], parse: (c: Case) => unknown): void {
  const failures: string[] = [];
  for (const c of all) {
    const what = check(() => parse(c));
    if (what) failures.push(`seed ${c.seed} (${c.base}: ${c.applied.join(", ")}): ${what}`);
  }
  expect(failures, `${kind} fuzz failures (replay one with CONSH_FUZZ_SEED=${SEED}; each line names its case's seed)`).toEqual([]);
}

describe(`fuzz (seed ${SEED}, ${CASES} cases per parser)`, () => {
  it("the mutations are repeatable from the seed", () => {
    const a = cases("chapter", read("chapters"), 5);
    const b = cases("chapter", read("chapters"), 5);
    expect(a).toEqual(b);
    expect(new Set(a.map((c) => c.text)).size).toBeGreaterThan(1);
  });

  it("the chapter parser returns a chapter or its problems, or throws a ConshError", () => {
    const all = cases("chapter", read("chapters"), CASES);
    let problems = 0;
    run("chapter", all, (c) => {
      const r = parseChapter(`/fuzz/chapters/${c.base}`, c.base, c.text);
      if (Array.isArray(r)) {
        problems++;
        for (const p of r) {
          // Every problem is located and says how to fix it.
          if (!(p.line >= 1) || p.what === "" || p.fix === "") throw new Error(`unlocated problem ${JSON.stringify(p)}`);
        }
      }
      return r;
    });
    // The mutations do break chapters (or the test proves nothing).
    expect(problems).toBeGreaterThan(CASES / 4);
  });

  it("the snapshot parser returns a snapshot or throws a ConshError", () => {
    const all = cases("snapshot", read("snapshots"), CASES);
    run("snapshot", all, (c) => parseSnapshot(`/fuzz/snapshots/${c.base}`, c.text));
  });
});
