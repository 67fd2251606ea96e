// Import layering of src/: a module imports only from its own layer or a layer below it,
// never from a sibling in its own row, and never in a cycle. Checked by `npm run lint:deps`
// (part of `npm test`). Top to bottom:
//
//   bin                      the executable: turns on the compile cache, runs the CLI
//   cli                      wires commander to the commands
//   commands                 one file per subcommand; may print and choose exit codes
//   session                  an interactive run: step mode, practice, --shell, reports, exit code
//   html | progress | run    the HTML edition, the progress file, the runner
//   report                   what a run reports and how it is shown (text, JSON, JUnit)
//   snapshot | host | prose  snapshot files and matching | the host: probes, checks, teardown |
//                            the book's prose drawn for a terminal
//   terminal                 persistent shells and their process trees
//   book                     the book model, its parser and its cache
//   util | errors            neutral helpers (quoting, trusted files, io) and the error/exit-code table
const LAYERS = [
  ["bin"],
  ["cli"],
  ["commands"],
  ["session"],
  ["html", "progress", "run"],
  ["report"],
  ["snapshot", "host", "prose"],
  ["terminal"],
  ["book"],
  ["util", "errors"],
];

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

// Commands are independent: one loads only what it uses (html must not load the runner).
// practice is run with a learner at the keyboard: it shares run's planning.
forbidden.push({
  name: "commands-apart",
  comment: "A command does not import another command (helpers belong in a lower layer); only practice builds on run.",
  severity: "error",
  from: { path: "^src/commands/", pathNot: "^src/commands/practice\\.ts$" },
  to: { path: "^src/commands/" },
});
forbidden.push({
  name: "html-without-runner",
  comment: "The HTML edition never loads the runner, the session or the diff library.",
  severity: "error",
  from: { path: "^src/(commands/html\\.ts|html/)" },
  to: { path: ["^src/(run|session|terminal)/", "node_modules/diff/"] },
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
