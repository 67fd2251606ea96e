// npm run bench: every benchmark, printed as a table. Exits 0 unless something failed to run.
import { printStepOverhead, stepOverhead } from "./step-overhead.mjs";

printStepOverhead(stepOverhead());
