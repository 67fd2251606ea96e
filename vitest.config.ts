// Unit tests (fast, no host changes) and integration tests (the built CLI on fixture books, on this real host).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["test/{book,snapshot,terminal,host,report,run}/**/*.test.ts"], testTimeout: 20_000 } },
      { test: { name: "integration", include: ["test/cli/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 60_000, fileParallelism: false } },
    ],
  },
});
