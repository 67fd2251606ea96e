// A row for another Node on this machine: the official build (./node.mjs) first on
// PATH, in a copy of the project (its node_modules linked): build it with that Node,
// run the unit and CLI tests (vitest), then the whole book (CI=true), with the host
// state read before and after, all under the heavy lock. The worktree is not touched.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { release, tmpdir } from "node:os";
import { projectRoot } from "./job.mjs";
import { outcome } from "./outcome.mjs";
import { heavyLock, log, run } from "./util.mjs";

const script = `
state=$1; out=$2; copy=$3; limit=$4
cd "$copy" || exit 1
held=$(date +%s)
node --version > "$out/node"
start=$(date +%s)
# The build and the executable as package.json names them (npm run build, bin), so
# that this row cannot drift from how the project is built.
build=$(node -p 'require("./package.json").scripts.build')
cli=$(node -p 'require("./package.json").bin["consh-book"]')
PATH="$copy/node_modules/.bin:$PATH" sh -c "$build" > "$out/build.log" 2>&1
echo $? > "$out/build-exit"
# Without a build the CLI tests would only wait for prompts that never come.
[ "$(cat "$out/build-exit")" = 0 ] || { echo $(( $(date +%s) - held )) > "$out/row-seconds"; touch "$out/done"; exit 0; }
timeout -k 15 "$limit" node node_modules/vitest/vitest.mjs run --config test/vitest.config.ts --reporter=dot --reporter=json --outputFile.json="$out/tests.json" > "$out/tests.log" 2>&1
echo $? > "$out/tests-exit"
echo $(( $(date +%s) - start )) > "$out/tests-seconds"
sh "$state" > "$out/state-before"
start=$(date +%s)
CI=true timeout -k 15 "$limit" node "$cli" run --all --book "$copy" --keep-going --json "$out/report.json" > "$out/book.log" 2>&1
echo $? > "$out/exit"
echo $(( $(date +%s) - start )) > "$out/seconds"
sh "$state" > "$out/state-after"
echo $(( $(date +%s) - held )) > "$out/row-seconds"
touch "$out/done"
`;

/** Passed, failed and skipped tests from vitest's JSON report (undefined when it wrote none). */
export function testCounts(json) {
  if (!json) return undefined;
  return {
    passed: json.numPassedTests ?? 0,
    failed: (json.numFailedTests ?? 0) + (json.numRuntimeErrors ?? 0),
    skipped: (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0),
  };
}

function copyProject(dir) {
  const copy = join(dir, "project");
  mkdirSync(copy);
  run("tar", ["-C", projectRoot, "--exclude=./node_modules", "--exclude=./.git", "--exclude=./dist", "-cf", join(dir, "project.tar"), "."]);
  run("tar", ["-C", copy, "-xf", join(dir, "project.tar")]);
  rmSync(join(dir, "project.tar"));
  symlinkSync(join(projectRoot, "node_modules"), join(copy, "node_modules"));
  return copy;
}

/** env.nodes[row.node]: the cached official Node. */
export function runNodeRow(row, env) {
  const node = env.nodes[row.node];
  const dir = mkdtempSync(join(tmpdir(), `consh-hosts-${row.name}-`));
  chmodSync(dir, 0o755);
  const out = join(dir, "out");
  mkdirSync(out);
  const copy = copyProject(dir);
  const timeoutSec = Number(process.env.CONSH_HOSTS_TIMEOUT ?? row.timeoutSec);
  log(`${row.name}: Node ${node.version}: build, unit and CLI tests, the book (waiting for the heavy lock)`);
  const t0 = Date.now();
  const r = spawnSync("flock", [heavyLock, "sh", "-c", script, "sh", new URL("./state.sh", import.meta.url).pathname, out, copy, String(timeoutSec)], {
    encoding: "utf8",
    env: { ...process.env, PATH: `${node.bin}:${process.env.PATH}` },
  });
  const result = outcome({ ...row, timeoutSec }, release(), out, {
    seconds: Math.round((Date.now() - t0) / 1000),
    code: r.status,
    timedOut: false,
    console: r.stderr ?? "",
  });
  const read = (f) => {
    try {
      return readFileSync(join(out, f), "utf8");
    } catch {
      return undefined;
    }
  };
  let tests;
  let failures = "";
  try {
    const json = JSON.parse(read("tests.json") ?? "null");
    tests = testCounts(json);
    // The failed tests' names and messages: a tail of the log shows only the last code frame.
    failures = (json?.testResults ?? [])
      .flatMap((f) => (f.assertionResults ?? []).filter((a) => a.status === "failed").map((a) => `${a.fullName}\n${(a.failureMessages ?? []).join("\n")}`))
      .join("\n")
      .split("\n")
      .slice(0, 60)
      .join("\n");
  } catch {
    tests = undefined;
  }
  const tail = (f) => (read(f) ?? "").trim().split("\n").slice(-15).join("\n");
  result.tests = tests;
  // The row's time is counted from when it holds the heavy lock, as a guest's is.
  result.seconds = Number(read("row-seconds") ?? result.seconds);
  result.testsSeconds = Number(read("tests-seconds") ?? 0);
  if (read("build-exit")?.trim() !== "0") result.error = `the build with Node ${node.version} failed:\n${tail("build.log")}`;
  else if (!tests || tests.failed > 0 || read("tests-exit")?.trim() !== "0")
    result.error = `the unit and CLI tests under Node ${node.version} failed (exit ${read("tests-exit")?.trim()}):\n${failures || tail("tests.log")}`;
  result.ok = result.ok && !result.error;
  log(
    `${row.name}: ${result.ok ? "as expected" : "NOT as expected"} (tests ${tests ? `${tests.passed}/${tests.failed}/${tests.skipped}` : "none"}, book exit ${result.exit})`,
  );
  return { result, job: dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
