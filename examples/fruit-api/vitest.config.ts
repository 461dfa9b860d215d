import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Unit tests: no network, no database. `npm run test:unit` adds a JUnit report for the pipeline.
export default defineConfig({
  test: {
    name: "fruit-api:unit",
    root: fileURLToPath(new URL(".", import.meta.url)),
    include: ["tests/unit/**/*.test.ts", "tests/infra/**/*.test.ts"],
    pool: "forks",
    testTimeout: 10_000,
  },
});
