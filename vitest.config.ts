import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: "forks",
    projects: [
      { extends: true, test: { name: "dpra", include: ["test/**/*.test.ts"] } },
      // The bundled sample app: its own dependencies (scripts/ensure-examples.mjs installs them).
      "examples/fruit-api/vitest.config.ts",
      "examples/fruit-api/vitest.integration.config.ts",
    ],
  },
});
