// Bundles the CLI for start-up speed: src/bin/consh-book.ts and every library it
// uses become dist/bin/consh-book.js plus one chunk per lazily imported command
// (Node loads one file per command instead of hundreds of small modules), and
// the licences of the bundled packages go to dist/bin/THIRD-PARTY-LICENSES.txt.
// Part of `npm run build` (and so of `npm pack`, whose --json owns stdout: this
// script writes to stderr only); the tsc output under dist/ stays for tests and benchmarks.
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = join(root, "dist/bin");
for (const f of existsSync(out) ? readdirSync(out) : []) if (f.startsWith("chunk-")) rmSync(join(out, f));

const result = await build({
  absWorkingDir: root,
  entryPoints: ["src/bin/consh-book.ts"],
  outdir: out,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  minify: true,
  chunkNames: "chunk-[hash]",
  metafile: true,
  legalComments: "none",
  // A few bundled packages are CommonJS and call require(): give them one.
  banner: { js: "import{createRequire as __cbRequire}from'node:module';const require=__cbRequire(import.meta.url);" },
  logLevel: "warning",
});
chmodSync(join(out, "consh-book.js"), 0o755);

// The package of each bundled input under node_modules, and its licence text.
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (!m || packages.has(m[1])) continue;
  const dir = join(root, m[1]);
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
  packages.set(
    m[1],
    `${pkg.name}@${pkg.version} (${pkg.license ?? "see its package"})\n\n${file ? readFileSync(join(dir, file), "utf8").trim() : "(no licence file in the package)"}`,
  );
}
const notice = [...packages.values()].sort().join(`\n\n${"-".repeat(72)}\n\n`);
writeFileSync(join(out, "THIRD-PARTY-LICENSES.txt"), `consh-book's bundle (dist/bin/) contains these packages:\n\n${notice}\n`);
console.error(`bundled dist/bin/consh-book.js with ${packages.size} packages`);
