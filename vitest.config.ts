import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: "forks",
    // The SDK's Node-version warning, once per run (test/support/global-setup.ts) instead of once per worker.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    globalSetup: ["test/support/global-setup.ts"],
    projects: [
      { extends: true, test: { name: "dpra", include: ["test/**/*.test.ts"] } },
      // The bundled sample app: its own dependencies (scripts/ensure-examples.mjs installs them).
      "examples/fruit-api/vitest.config.ts",
      "examples/fruit-api/vitest.integration.config.ts",
    ],
  },
});
