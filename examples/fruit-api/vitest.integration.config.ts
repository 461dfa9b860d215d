import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Integration and E2E API tests against a live app: the one at BASE_URL, or one started from
// source on an embedded PostgreSQL by the global setup.
export default defineConfig({
  test: {
    name: "fruit-api:integration",
    root: fileURLToPath(new URL(".", import.meta.url)),
    include: ["tests/integration/**/*.test.ts", "tests/e2e/**/*.test.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    pool: "forks",
    testTimeout: 15_000,
    hookTimeout: 60_000,
  },
});
