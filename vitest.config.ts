import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import exampleIntegration from "./examples/fruit-api/vitest.integration.config.js";

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));
// The example's integration project, read as plain settings (it has its own copy of vitest's types).
const exampleTest = (exampleIntegration as { test: { name: string; root: string; include: string[]; pool: string; testTimeout: number; hookTimeout: number } }).test;

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: "forks",
    // The SDK's Node-version warning, once per run (test/support/global-setup.ts) instead of once per worker.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    globalSetup: ["test/support/global-setup.ts"],
    // One line per real component at the end (and under CI=true, none skipped, none missing).
    reporters: ["default", "./test/support/real-reporter.ts"],
    projects: [
      { extends: true, test: { name: "dpra", include: ["test/**/*.test.ts"] } },
      // The bundled sample app: its own dependencies (scripts/ensure-examples.mjs installs them).
      "examples/fruit-api/vitest.config.ts",
      // Its integration and E2E tests on the PostgreSQL of test/support/postgres.ts (which does not
      // depend on where the checkout sits): that global setup runs first and hands the server on.
      {
        test: {
          ...exampleTest,
          globalSetup: [here("test/support/example-postgres.ts"), here("examples/fruit-api/tests/support/global-setup.ts")],
        },
      },
    ],
  },
});
