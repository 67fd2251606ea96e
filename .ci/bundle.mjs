// Bundles the CLI for start-up speed: src/bin/main.ts becomes one CommonJS file,
// dist/bin/main.cjs, and each library it uses one more (markdown-it.cjs, execa.cjs,
// yaml.cjs, diff.cjs): Node reads a few files instead of hundreds of small modules,
// and a command's modules and libraries still run only when it is used.
// src/bin/consh-book.ts becomes the executable dist/bin/consh-book.cjs that loads
// them. Then a warm-up run gives V8's code cache for each bundle (NAME.cjs.cache),
// so that the executable does not compile them again (start-up: bench/startup.mjs).
// The licences of the bundled packages go to dist/bin/THIRD-PARTY-LICENSES.txt.
// Part of `npm run build` (and so of `npm pack`, whose --json owns stdout: this
// script writes to stderr only); the tsc output under dist/ stays for tests and benchmarks.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = join(root, "dist/bin");
// What tsc and earlier bundles left in dist/bin: the bundle replaces it all.
for (const f of existsSync(out) ? readdirSync(out) : []) if (/\.(js|cjs|cache)$/.test(f)) rmSync(join(out, f));

const common = {
  absWorkingDir: root,
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
};
// The libraries go into bundles of their own (markdown-it.cjs, ...), loaded by the
// executable only when a command uses them: --help and list read and deserialise
// a smaller main.cjs and its cache. Each exports what consh-book imports.
const LIBRARIES = {
  // Imported as a default: consh-book's modules take module.exports itself as that.
  // Its ESM build (see `conditions` below), whose dependencies are bundled from
  // their own packages: their licences are found; the CommonJS build inlines them.
  "markdown-it": 'module.exports = require("markdown-it").default;',
  execa: 'export * from "execa";',
  yaml: 'export * from "yaml";',
  diff: 'export * from "diff";',
};
const bundles = {
  main: { entryPoints: ["src/bin/main.ts"], external: Object.keys(LIBRARIES) },
  ...Object.fromEntries(Object.entries(LIBRARIES).map(([name, contents]) => [name, { stdin: { contents, resolveDir: root, loader: "js" } }])),
};
const inputs = [];
for (const [name, options] of Object.entries(bundles)) {
  const file = join(out, `${name}.cjs`);
  const result = await build({
    ...common,
    ...options,
    outfile: file,
    metafile: true,
    conditions: ["import"],
    // import.meta.url of the modules (the book and package.json are found from it) is the bundle's own.
    define: { "import.meta.url": "__cbUrl" },
    // "use strict" first: the banner would otherwise push esbuild's directive off the top.
    banner: { js: "\"use strict\";var __cbUrl=require('url').pathToFileURL(__filename).href;" },
  });
  inputs.push(...Object.keys(result.metafile.inputs));
  // The executable compiles the bundles with node:vm, which has no loader for import():
  // everything must be bundled.
  const bundled = readFileSync(file, "utf8");
  if (/\bimport\(/.test(bundled)) throw new Error(`dist/bin/${name}.cjs calls import(): bundle that module too`);
  // esbuild escapes what is not ASCII except in regular expressions and raw
  // templates; the one such place (in markdown-it) is escaped here, so that the
  // executable can read the bundle as Latin-1. Anything else stays (read as UTF-8).
  const ascii = bundled.replaceAll("/([?!])\u2026/g", "/([?!])\\u2026/g");
  writeFileSync(file, ascii);
  if (/[^\0-\x7f]/.test(ascii)) console.error(`note: dist/bin/${name}.cjs is not ASCII: it will be read as UTF-8 (about 2 ms more)`);
}
await build({ ...common, entryPoints: ["src/bin/consh-book.ts"], outfile: join(out, "consh-book.cjs"), banner: { js: "#!/usr/bin/env node" } });
chmodSync(join(out, "consh-book.cjs"), 0o755);

// The code caches: the executable's own loader compiles the bundles, the warm-up
// runs them (state and caches in a scratch directory), and V8 serialises what it compiled.
const loader = createRequire(import.meta.url)(join(out, "consh-book.cjs"));
// The executable's list decides which require() calls go to a bundle: it must name these.
if (JSON.stringify([...loader.LIBRARIES].sort()) !== JSON.stringify(Object.keys(LIBRARIES).sort())) {
  throw new Error(`src/bin/consh-book.ts's LIBRARIES (${loader.LIBRARIES}) must name the bundled libraries: ${Object.keys(LIBRARIES)}`);
}
const scratch = mkdtempSync(join(tmpdir(), "consh-book-build-"));
try {
  const { main, loaded } = loader.loadMain(false);
  await main.warmUp({ ...process.env, XDG_STATE_HOME: scratch, XDG_CACHE_HOME: scratch, NO_COLOR: "1", CI: "" });
  for (const name of Object.keys(bundles)) {
    const script = loaded.get(name)?.script;
    if (!script) throw new Error(`the warm-up did not load dist/bin/${name}.cjs: it would have no code cache`);
    const data = script.createCachedData();
    const header = loader.cacheHeader(readFileSync(loader.bundleFile(name)), data);
    if (header === undefined) throw new Error(`this Node (${process.version}) has no zlib.crc32: build with Node 20.15 or later`);
    writeFileSync(loader.cacheFile(name), Buffer.concat([Buffer.from(header, "latin1"), data]), { mode: 0o644 });
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

// The package of each bundled input under node_modules, and its licence text.
const packages = new Map();
for (const input of inputs) {
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
console.error(`bundled dist/bin/ (${Object.keys(bundles).join(", ")}) with ${packages.size} packages, and their code caches`);
