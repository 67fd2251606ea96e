// Builds the executable: an ordinary esbuild bundle of src/bin/consh-book.ts in
// dist/bin/ (ESM, with the libraries inside so the package installs offline),
// split at each command's lazy import() so that a command loads only its own
// modules and libraries. Not minified, with source maps (CONSH_DEBUG traces use
// them). The licences of the bundled packages go to dist/bin/THIRD-PARTY-LICENSES.txt.
// Part of `npm run build`; writes to stderr only (npm pack --json owns stdout).
import { chmodSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("../..", import.meta.url));
const out = join(root, "dist/bin");
if (existsSync(out)) rmSync(out, { recursive: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: ["src/bin/consh-book.ts"],
  outdir: out,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20.19",
  chunkNames: "[name]-[hash]",
  sourcemap: "linked",
  sourcesContent: false,
  metafile: true,
  logLevel: "warning",
  // Bundled CommonJS packages (commander) call require() for Node's own modules.
  banner: { js: 'import { createRequire as __consh_createRequire } from "node:module"; const require = __consh_createRequire(import.meta.url);' },
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
const chunks = readdirSync(out).filter((f) => f.endsWith(".js")).length;
console.error(`bundled dist/bin/consh-book.js (${chunks} files) with ${packages.size} packages`);
