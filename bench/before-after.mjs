// Two builds of consh-book side by side (e.g. before and after a refactor): `run --all`
// on each tree's own book, interleaved, and each tree's step-overhead benchmark.
// Usage: node bench/before-after.mjs BEFORE-TREE AFTER-TREE (both built; ROUNDS=n, default 5).
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { cliOf } from "./lib.mjs";
const [before, after] = process.argv.slice(2);
if (!before || !after) {
  console.error("usage: node bench/before-after.mjs BEFORE-TREE AFTER-TREE");
  process.exit(2);
}
const trees = { before, after };
const rounds = Number(process.env.ROUNDS ?? 5);
const book = { before: [], after: [] };
for (let i = 0; i < rounds; i++) {
  for (const k of i % 2 ? ["after", "before"] : ["before", "after"]) {
    const t0 = performance.now();
    const r = spawnSync("node", [cliOf(trees[k]), "run", "--all", "--book", trees[k]], {
      env: { ...process.env, CI: "true" },
      encoding: "utf8",
    });
    if (r.status !== 0) throw new Error(`${k}: ${r.stdout.slice(-800)}`);
    book[k].push(performance.now() - t0);
  }
}
const med = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
};
const step = { before: [], after: [] };
for (const k of ["before", "after", "before", "after"]) {
  const { stepOverhead } = await import(`${resolve(trees[k])}/bench/step-overhead.mjs?${k}${Math.random()}`);
  step[k].push(stepOverhead({ runs: rounds }));
}
console.log(
  JSON.stringify(
    { rounds, runAllMs: { before: med(book.before), after: med(book.after), ratio: med(book.after) / med(book.before), all: book }, step },
    null,
    1,
  ),
);
