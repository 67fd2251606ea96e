// npm run bench: every benchmark, printed as a table (see bench/BENCHMARKS.md).
// Exits 0 unless something failed to run. ROUNDS=n changes the number of rounds;
// --smoke (npm test runs it so that no benchmark rots) makes one round of each
// with small outputs: it proves they run, and its numbers mean nothing.
import { bookVsPlain, printBookVsPlain } from "./book-vs-plain.mjs";
import { checkLatency, printCheckLatency } from "./check-latency.mjs";
import { containerStart, printContainerStart } from "./container-start.mjs";
import { endDetection, printEndDetection } from "./end-detection.mjs";
import { printStartup, startup } from "./startup.mjs";
import { printStepOverhead, stepOverhead } from "./step-overhead.mjs";
import { printSiteBuild, siteBuild } from "./site-build.mjs";

const smoke = process.argv.includes("--smoke");
const rounds = smoke ? 1 : Number(process.env.ROUNDS ?? 20);
console.log(`consh-book benchmarks, ${new Date().toISOString()}, ${rounds} rounds each\n`);
printStartup(await startup({ rounds }));
console.log("");
printStepOverhead(stepOverhead({ runs: rounds }));
console.log("");
printCheckLatency(await checkLatency({ rounds }));
console.log("");
// At most 3 rounds: the earlier scan it compares with takes 15 s at 40 MB.
printEndDetection(await endDetection({ rounds: Math.min(rounds, 3), ...(smoke ? { sizesMb: [1, 2, 4] } : {}) }));
console.log("");
printContainerStart(await containerStart({ rounds }));
console.log("");
printBookVsPlain(await bookVsPlain({ rounds }));
console.log("");
printSiteBuild(await siteBuild({ rounds }));
