// Import layering of src/: a module imports only from its own layer or a layer below it,
// never from a sibling in its own row, and never in a cycle. Checked by `npm run lint:deps`
// (part of `npm test`). Top to bottom:
//
//   bin                      the executable: reads argv, exits
//   cli                      wires commander to the commands
//   commands                 one file per subcommand; may print and choose exit codes
//   html | progress | run    the HTML edition, the progress file, the runner
//   report                   what a run reports and how it is shown (text, JSON, JUnit)
//   snapshot | host          snapshot files and matching | the host: probes, checks, teardown
//   terminal                 persistent shells and their process trees
//   book                     the book model and its parser
//   util | errors            neutral helpers (shell quoting) and the error/exit-code table
const LAYERS = [["bin"], ["cli"], ["commands"], ["html", "progress", "run"], ["report"], ["snapshot", "host"], ["terminal"], ["book"], ["util", "errors"]];

const FILE_LAYERS = new Set(["cli", "errors"]);
const pathOf = (name) => (FILE_LAYERS.has(name) ? `^src/${name}\\.ts$` : `^src/${name}/`);

const forbidden = [{ name: "no-circular", comment: "Import cycles make the layers meaningless.", severity: "error", from: {}, to: { circular: true } }];
LAYERS.forEach((row, rank) => {
  const above = LAYERS.slice(0, rank).flat();
  for (const name of row) {
    const banned = [...above, ...row.filter((other) => other !== name)];
    if (banned.length === 0) continue;
    forbidden.push({
      name: `layer-${name}`,
      comment: `src/${name} may import only from layers below it (see the table at the top of .dependency-cruiser.cjs).`,
      severity: "error",
      from: { path: pathOf(name) },
      to: { path: banned.map(pathOf) },
    });
  }
});

forbidden.push({
  name: "in-a-layer",
  comment: "Every file under src/ belongs to a layer: add a new folder to LAYERS.",
  severity: "error",
  from: { path: "^src/", pathNot: LAYERS.flat().map(pathOf) },
  to: {},
});

module.exports = {
  forbidden,
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    doNotFollow: { path: "node_modules" },
    exclude: { path: "\\.json$" },
  },
};
