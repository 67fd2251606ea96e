// The stress test (npm run test:stress): several whole-book runs at once, repeated.
// Kept out of test/vitest.config.ts so that `npm test` does not run it.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("../..", import.meta.url));

export default defineConfig({
  test: { root, include: ["test/stress/**/*.test.ts"], testTimeout: 30 * 60_000, fileParallelism: false },
});
