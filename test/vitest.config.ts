// Unit tests (fast, no host changes) and integration tests (the built CLI on
// fixture books, on this real host). Paths are relative to the project root.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("..", import.meta.url));

export default defineConfig({
  test: {
    root,
    projects: [
      {
        test: {
          name: "unit",
          root,
          include: ["test/{book,commands,snapshot,terminal,host,report,run,progress,prose,workflow,html,hosts,util}/**/*.test.ts"],
          testTimeout: 20_000,
          // GitHub's workflow parser imports its schema JSON without an import attribute: let vite load it.
          server: { deps: { inline: ["@actions/workflow-parser"] } },
        },
      },
      { test: { name: "integration", root, include: ["test/cli/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 60_000, fileParallelism: false } },
    ],
  },
});
